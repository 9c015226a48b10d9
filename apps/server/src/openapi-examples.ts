import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { SwaggerTransformObject } from '@fastify/swagger';

type Schema = Record<string, unknown>;
type Document = {
  paths?: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
};

// ajv-formats ships CommonJS; its default export is the function itself under NodeNext interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const FORMATS: Record<string, string> = {
  'date-time': '2026-03-02T10:15:00.000Z',
  date: '2026-03-02',
  uri: 'https://example.com/hooks/tillstream',
  uuid: '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e',
  email: 'customer@example.com',
};
/** Strings tried, in order, against a pattern and length bounds: ids, SKUs, currencies, codes. */
const CANDIDATES = ['TEE-001', 'EUR', 'store-amsterdam', 'example', '09:00', 'A1', '1', 'a'];

function sampleString(schema: Schema): string | undefined {
  if (typeof schema.format === 'string' && FORMATS[schema.format]) return FORMATS[schema.format];
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? Infinity;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : null;
  return CANDIDATES.find(
    (text) => text.length >= min && text.length <= max && (!pattern || pattern.test(text)),
  );
}

function sampleNumber(schema: Schema): number {
  const min =
    (schema.minimum as number | undefined) ??
    (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined);
  const max = schema.maximum as number | undefined;
  const value = min !== undefined && min > 1 ? min : Math.max(1, min ?? 1);
  return max !== undefined && value > max ? max : value;
}

/**
 * A plausible instance of a JSON Schema, for routes whose authors gave no example: declared examples,
 * defaults, constants and enums first, then one value per type that honours formats, patterns and bounds.
 */
function sample(schema: Schema, document: Document, minimal: boolean, depth = 0): unknown {
  if (depth > 12) return undefined;
  const next = (child: unknown) => sample((child ?? {}) as Schema, document, minimal, depth + 1);
  if (typeof schema.$ref === 'string')
    return next(document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
  for (const keyword of ['examples', 'enum'] as const)
    if (Array.isArray(schema[keyword]) && schema[keyword].length > 0)
      return structuredClone(schema[keyword][0]);
  for (const keyword of ['example', 'default', 'const'] as const)
    if (schema[keyword] !== undefined) return structuredClone(schema[keyword]);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) return next(branches.find((branch) => branch.type !== 'null') ?? branches[0]);
  if (Array.isArray(schema.allOf))
    return Object.assign({}, ...schema.allOf.map((part) => next(part) as object));
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>).filter(
      ([name]) => !minimal || required.has(name),
    );
    return Object.fromEntries(
      properties.map(([name, child]) => [name, next(child)]).filter(([, value]) => value !== undefined),
    );
  }
  if (type === 'array') {
    const item = next(schema.items);
    return item === undefined
      ? []
      : Array.from({ length: Math.max(1, (schema.minItems as number) ?? 1) }, () => item);
  }
  if (type === 'string') return sampleString(schema);
  if (type === 'integer' || type === 'number') return sampleNumber(schema);
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  return undefined;
}

/**
 * Examples for bodies the generator cannot fill (a member of any type, a pattern no candidate meets), keyed
 * by method, path and `request` or status. Each is kept only if its schema accepts it, so one that drifted
 * from its schema shows up as a body without an example. Their better home is the route schema, as
 * `examples`, which then wins over these.
 */
const HAND_WRITTEN: Record<string, unknown> = {
  'GET /pos/v1/quarantine 200': {
    transactions: [
      {
        terminalId: 'till-01',
        transactionId: '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e',
        type: 'sale',
        code: 'unknown_sku',
        detail: 'Unknown SKU TEE-999',
        attempts: 1,
        firstSeenAt: '2026-03-02T10:15:00.000Z',
        lastSeenAt: '2026-03-02T10:15:00.000Z',
        transaction: {
          type: 'sale',
          id: '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e',
          storeId: 'store-amsterdam',
          terminalId: 'till-01',
          occurredAt: '2026-03-02T10:14:58.000Z',
          currency: 'EUR',
          lines: [{ sku: 'TEE-999', quantity: 1, unitPrice: 2500 }],
          payments: [{ method: 'cash', amount: 2500, tendered: 3000 }],
        },
      },
    ],
  },
  'POST /commerce/v1/carts/{id}/checkout request': {
    email: 'customer@example.com',
    payment: { method: 'card' },
  },
};

function hasExample(media: Schema): boolean {
  const schema = (media.schema ?? {}) as Schema;
  return media.example !== undefined || media.examples !== undefined || Array.isArray(schema.examples);
}

/**
 * Completes the OpenAPI document with an example for every JSON request and response body that has none,
 * generated from its schema and kept only when the schema accepts it. Hand-written examples always win.
 */
export const addGeneratedExamples: SwaggerTransformObject = (documentObject) => {
  const document = (
    'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject
  ) as Document;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: false }));
  for (const schema of Object.entries(document.components?.schemas ?? {}))
    ajv.addSchema(schema[1], `#/components/schemas/${schema[0]}`);
  const valid = (schema: Schema, example: unknown) => {
    try {
      return ajv.validate(schema, example);
    } catch {
      return false; // a schema ajv cannot compile gets no generated example
    }
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const bodies: Array<[string, unknown]> = [
        ['request', (operation.requestBody as Schema | undefined)?.content],
        ...Object.entries((operation.responses ?? {}) as Record<string, Schema>).map(
          ([status, response]): [string, unknown] => [status, response.content],
        ),
      ];
      for (const [what, content] of bodies) {
        for (const [mediaType, media] of Object.entries((content ?? {}) as Record<string, Schema>)) {
          if (!mediaType.includes('json') || hasExample(media) || !media.schema) continue;
          const handWritten = HAND_WRITTEN[`${method.toUpperCase()} ${path} ${what}`];
          if (handWritten !== undefined && valid(media.schema as Schema, handWritten)) {
            media.example = structuredClone(handWritten);
            continue;
          }
          // A full example shows more; a minimal one (required members only) is valid more often.
          for (const minimal of [false, true]) {
            const example = sample(media.schema as Schema, document, minimal);
            if (example !== undefined && valid(media.schema as Schema, example)) {
              media.example = example;
              break;
            }
          }
        }
      }
    }
  }
  return document as ReturnType<SwaggerTransformObject>;
};
