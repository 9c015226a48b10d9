import { ERROR_CATALOG } from '@tillstream/contracts';

type Schema = Record<string, unknown>;
type Document = {
  paths?: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, Schema> };
};

/** The keys of a path item that are operations (it may hold `parameters` or a `summary` too). */
const OPERATIONS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description:
    'An RFC 9457 problem document. Branch on `code`, which is stable; every code, its status and meaning are ' +
    'in the error catalogue (docs/errors.md). Some codes add members of their own (`errors`, `allowed`, ' +
    '`requiredScope`, the lines at fault).',
  required: ['type', 'title', 'status', 'detail', 'code', 'traceId'],
  properties: {
    type: { type: 'string', description: '`urn:tillstream:problem:` and the code' },
    title: { type: 'string', description: "The code's title in the catalogue" },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What was wrong with this request, for a person' },
    code: { type: 'string', enum: Object.keys(ERROR_CATALOG) },
    traceId: {
      type: 'string',
      pattern: '^[0-9a-f]{32}$',
      description:
        "The request's W3C trace id (also in `X-Trace-Id`): quote it to find the request in the logs",
    },
    instance: { type: 'string', description: 'The request path' },
    errors: {
      type: 'array',
      description: 'With `validation_failed`: every place the request broke its schema',
      items: {
        type: 'object',
        required: ['in', 'path', 'message'],
        properties: {
          in: { type: 'string', enum: ['body', 'params', 'querystring', 'headers'] },
          path: { type: 'string', description: 'A JSON Pointer into that part of the request' },
          message: { type: 'string' },
          property: { type: 'string', description: 'The property that is not allowed there' },
        },
      },
    },
  },
  additionalProperties: true,
};

const PROBLEM_EXAMPLE = {
  type: 'urn:tillstream:problem:validation_failed',
  title: 'Request failed validation',
  status: 400,
  detail: '1 problem(s) in the request',
  code: 'validation_failed',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  instance: '/pos/v1/sales',
  errors: [{ in: 'body', path: '/lines/0/quantity', message: 'must be integer' }],
};

const PROBLEM_RESPONSE: Schema = {
  description: 'The request was refused (4XX) or failed (5XX); the body says why, with a stable `code`.',
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      example: PROBLEM_EXAMPLE,
    },
  },
};

/**
 * Gives every operation its error responses: one shared problem document for 4XX and 5XX, whose `code` lists
 * the error catalogue. The routes declare only their successes (a response schema per error would make the
 * serializer drop the members some codes add), so without this a client generated from the document would
 * know nothing of the errors it must branch on.
 */
export function addProblemResponses<T>(documentObject: T): T {
  const document = documentObject as Document;
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Problem: PROBLEM_SCHEMA };
  document.components.responses = { ...document.components.responses, Problem: PROBLEM_RESPONSE };
  const problem = { $ref: '#/components/responses/Problem' };
  for (const item of Object.values(document.paths ?? {}))
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATIONS.has(method)) continue;
      const responses = (operation.responses ??= {}) as Record<string, unknown>;
      responses['4XX'] ??= problem;
      responses['5XX'] ??= problem;
    }
  return documentObject;
}

/** What a public operation is counted by, if anything, by `<method> <OpenAPI path>`. */
export type PublicOperations = ReadonlyMap<string, 'reads' | 'writes' | undefined>;

/** `GET /commerce/v1/products/:sku` as the OpenAPI document names it: `get /commerce/v1/products/{sku}`. */
export const operationKey = (method: string, url: string): string =>
  `${method.toLowerCase()} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;

const RATE_LIMITED_RESPONSE: Schema = {
  description:
    'Too many requests from this client address (`rate_limited`): wait `Retry-After` seconds, or send an API ' +
    'key, whose requests are not counted. Every answer of the operation carries `RateLimit` and ' +
    '`RateLimit-Policy`.',
  headers: {
    'Retry-After': {
      description: 'Seconds until the next request is let through',
      schema: { type: 'integer', minimum: 1 },
    },
    RateLimit: {
      description: 'What is left: `"public-writes";r=<requests>;t=<seconds until the quota is whole again>`',
      schema: { type: 'string' },
    },
    'RateLimit-Policy': {
      description: 'The quota a minute: `"public-writes";q=300;w=60` (or `"public-reads"`)',
      schema: { type: 'string' },
    },
  },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * Marks the public operations as needing no key (the document's default is the bearer key), and gives those a
 * rate limit counts their 429. Run after addProblemResponses, whose Problem schema the 429 refers to.
 */
export function markPublicOperations<T>(documentObject: T, publicOperations: PublicOperations): T {
  const document = documentObject as Document;
  document.components!.responses = { ...document.components!.responses, RateLimited: RATE_LIMITED_RESPONSE };
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const [method, operation] of Object.entries(item)) {
      const key = `${method} ${path}`;
      if (!OPERATIONS.has(method) || !publicOperations.has(key)) continue;
      operation.security = [];
      if (publicOperations.get(key))
        (operation.responses as Record<string, unknown>)['429'] = {
          $ref: '#/components/responses/RateLimited',
        };
    }
  return documentObject;
}
