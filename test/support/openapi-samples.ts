/**
 * Plausible requests made from the OpenAPI document: the schema types the sweeps read, a sampler that fills a
 * body the schema would mostly accept, and the helpers that put one value in place inside such a body.
 */

/** A JSON Schema as it appears in the OpenAPI document (only the keywords the sampler reads). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

export interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
}

export interface SweepRequest {
  method: string;
  path: string;
  /** Raw request body, sent as application/json; undefined sends none. */
  body?: string;
  headers?: Record<string, string>;
  /** The operation it is sent to, `POST /pos/v1/sales`: the sweep keeps one route's requests in order. */
  route: string;
  /** What was made odd or extreme, for the failure message. */
  label: string;
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** What the sampler names every identifier: a test that creates things by this name lets samples reach them. */
export const SAMPLE_ID = 'SWEEP';
export const SAMPLE_UUID = '01a22e92-1261-73ec-9db5-034651304b19';
/** Tried in order against a string's pattern: names, codes, times of day, e-mail addresses, web addresses. */
const PATTERN_CANDIDATES = [
  SAMPLE_ID,
  'sweep',
  'EUR',
  'SWEEP-1',
  '10:00',
  'sweep@example.com',
  'http://127.0.0.1:9/sweep',
  SAMPLE_UUID,
  '*',
];

/** The route with each path parameter sampled (`SAMPLE_ID` where its schema yields nothing). */
export function samplePath(
  document: OpenApiDocument,
  sampler: Sampler,
  route: string,
  operation: Operation,
): string {
  const parameters = (operation.parameters ?? []).flatMap((parameter) => resolve(document, parameter) ?? []);
  return route.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = parameters.find((candidate) => candidate.name === name && candidate.in === 'path');
    return encodeURIComponent(String(sampler.sample(parameter?.schema, false) ?? SAMPLE_ID));
  });
}

/** One plausible request per documented operation: its path sampled, and its body's required fields. */
export function* plausibleRequests(document: OpenApiDocument): Generator<SweepRequest> {
  const sampler = new Sampler(document);
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const at = `${method.toUpperCase()} ${route}`;
      yield {
        method: method.toUpperCase(),
        path: samplePath(document, sampler, route, operation),
        body: bodySchema === undefined ? undefined : JSON.stringify(sampler.sample(bodySchema, false)),
        route: at,
        label: at,
      };
    }
  }
}

/** Follows `$ref`s to the schema or parameter they name. */
export function resolve<T extends { $ref?: string }>(
  document: OpenApiDocument,
  node: T | undefined,
): T | undefined {
  let current: unknown = node;
  for (let hops = 0; current && (current as { $ref?: string }).$ref && hops < 10; hops += 1) {
    const path = (current as { $ref: string }).$ref.replace(/^#\//, '').split('/');
    current = path.reduce<unknown>(
      (at, part) => (at as Record<string, unknown> | undefined)?.[part],
      document,
    );
  }
  return current as T | undefined;
}

/**
 * Makes bodies the schema would mostly accept. Identifiers come out as `SAMPLE_ID`, so that a test can create
 * what they name and let the handler, not only the validator, see the odd value. Timestamps rise one day per
 * sample, so that an `endsAt` sampled after its `startsAt` comes after it.
 */
export class Sampler {
  private days = 0;

  constructor(private readonly document: OpenApiDocument) {}

  /** `optional`: fill optional properties too (for where a body can go wrong), or only the required ones. */
  sample(node: Schema | undefined, optional: boolean, depth = 0): unknown {
    const schema = resolve(this.document, node);
    if (!schema || depth > 8) return null;
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[0];
    const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0];
    if (alternative) return this.sample(alternative, optional, depth + 1);
    if (schema.allOf)
      return Object.assign({}, ...schema.allOf.map((part) => this.sample(part, optional, depth + 1)));
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'object':
        return Object.fromEntries(
          Object.entries(schema.properties ?? {})
            .filter(([name]) => optional || (schema.required ?? []).includes(name))
            .map(([name, property]) => [name, this.sample(property, optional, depth + 1)]),
        );
      case 'array':
        return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
          this.sample(schema.items, optional, depth + 1),
        );
      case 'integer':
      case 'number':
        return Math.max(1, schema.minimum ?? 1);
      case 'boolean':
        return true;
      case 'string':
        return this.string(schema);
      default:
        return null;
    }
  }

  private string(schema: Schema): string {
    switch (schema.format) {
      case 'date-time':
        return new Date(Date.UTC(2026, 10, 1 + this.days++, 10)).toISOString();
      case 'date':
        return new Date(Date.UTC(2026, 10, 1 + this.days++)).toISOString().slice(0, 10);
      case 'uuid':
        return SAMPLE_UUID;
      // Only ever loopback, and a port nothing listens on: a subscription made from this reaches no one.
      case 'uri':
        return 'http://127.0.0.1:9/sweep';
    }
    const fitting = schema.pattern
      ? PATTERN_CANDIDATES.find((candidate) => new RegExp(schema.pattern!, 'u').test(candidate))
      : undefined;
    return fitting ?? SAMPLE_ID.padEnd(Math.max(1, schema.minLength ?? 1), 'X');
  }
}

export function replaced(value: unknown, at: readonly string[], odd: unknown): unknown {
  if (at.length === 0) return odd;
  const [key, ...rest] = at as [string, ...string[]];
  // A place inside an optional field the base left out: make the field, an array if it is indexed.
  const container = value ?? (/^\d+$/.test(key) ? [] : {});
  const copy = (Array.isArray(container) ? [...container] : { ...(container as object) }) as Record<
    string,
    unknown
  >;
  copy[key] = replaced(copy[key], rest, odd);
  return copy;
}

/**
 * `base` with the optional field that holds `at` taken whole from `full` when `base` left it out, so that a
 * value set inside it (a kit component's quantity, a schedule's time zone) arrives with its siblings.
 */
export function grafted(base: unknown, full: unknown, at: readonly string[]): unknown {
  if (at.length === 0 || base === null || typeof base !== 'object') return base;
  const [key, ...rest] = at as [string, ...string[]];
  const present = (base as Record<string, unknown>)[key];
  const fullChild = (full as Record<string, unknown> | null)?.[key];
  const child = present === undefined ? fullChild : grafted(present, fullChild, rest);
  if (child === present) return base;
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string, unknown>;
  copy[key] = child;
  return copy;
}
