/**
 * Malformed requests made from the OpenAPI document itself, so that a route added tomorrow is swept without
 * anyone listing it: for every operation, odd path segments, odd query values, odd header values, broken JSON,
 * and a plausible body with one field at a time replaced by a value of the wrong kind.
 */
import {
  METHODS,
  replaced,
  resolve,
  Sampler,
  SAMPLE_ID,
  type SweepRequest,
  type OpenApiDocument,
  type Operation,
  type Parameter,
} from './openapi-samples.js';

/** Values that are of the wrong kind, out of range or hostile for almost any field. */
const ODD_VALUES: unknown[] = [
  null,
  'x',
  '',
  -1,
  1.5,
  2 ** 53,
  1e308,
  true,
  [],
  {},
  'a'.repeat(5_000),
  '\u0000',
  // Valid JSON, no Unicode: it has no UTF-8 form, and encodeURIComponent throws on it (an ERP lookup did).
  '\ud800',
];
/** Already URL-encoded where it matters: `%00` is a NUL once the router decodes it. */
const ODD_SEGMENTS = [
  '%00',
  '..',
  '%2e%2e',
  'a'.repeat(300),
  '%ZZ',
  '%F0%9F%92%A5',
  '%20',
  '-1',
  '2147483648',
  '99999999999999999999',
];
/** Sent URL-encoded, so the NUL arrives as one. */
const ODD_QUERY_VALUES = ['', 'x', '-1', '1.5', '99999999999999999999', 'a'.repeat(3_000), '\u0000'];
const ODD_HEADER_VALUES = ['', 'x', 'a'.repeat(300), '*', 'W/"1"', '99999999999999999999'];
const BROKEN_JSON = ['', '{', '{"a":', '[]', 'null', '"x"', '1', '{"__proto__":{"polluted":1}}'];
/**
 * Nested far past what any request needs. Every walk of a parsed body recursed (the NUL check, the
 * Idempotency-Key hash of a route with no body schema), so this was a RangeError, a 500, on every route.
 */
const DEEP_BODY = '['.repeat(50_000) + ']'.repeat(50_000);
/** Enough to reach every field three levels down in all but the largest bodies, not so many the suite drags. */
const MAX_BODY_MUTATIONS = 260;

/** Where a body can be made wrong: the body itself, then its fields, their fields, down to `depth` levels. */
function positions(value: unknown, depth: number): string[][] {
  const found: string[][] = [[]];
  let level: Array<{ at: string[]; value: unknown }> = [{ at: [], value }];
  for (let d = 0; d < depth; d += 1) {
    level = level.flatMap(({ at, value: node }) =>
      node !== null && typeof node === 'object'
        ? Object.entries(node).map(([key, child]) => ({ at: [...at, key], value: child }))
        : [],
    );
    found.push(...level.map(({ at }) => at));
  }
  return found;
}

/**
 * `base` with one place at a time replaced by each odd value, shallow places first, within the budget. The
 * places come from `full`, the body with its optional fields too, so that those get odd values as well.
 */
function* mutations(base: unknown, full: unknown): Generator<[string, unknown]> {
  let count = 0;
  for (const at of positions(full, 3)) {
    for (const odd of ODD_VALUES) {
      if ((count += 1) > MAX_BODY_MUTATIONS) return;
      yield [
        `${at.join('.') || 'body'} = ${String(JSON.stringify(odd)).slice(0, 12)}`,
        replaced(base, at, odd),
      ];
    }
  }
}

/** Every bad request for every operation of the document, in document order. */
export function* badRequests(document: OpenApiDocument): Generator<SweepRequest> {
  const sampler = new Sampler(document);
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      yield* badRequestsFor(document, sampler, route, method.toUpperCase(), operation);
    }
  }
}

function* badRequestsFor(
  document: OpenApiDocument,
  sampler: Sampler,
  route: string,
  method: string,
  operation: Operation,
): Generator<SweepRequest> {
  const parameters = (operation.parameters ?? []).flatMap((parameter) => resolve(document, parameter) ?? []);
  const plausible = (where: Parameter['in'], onlyRequired: boolean) =>
    new Map(
      parameters
        .filter((parameter) => parameter.in === where && (parameter.required || !onlyRequired))
        .map((parameter) => [parameter.name, String(sampler.sample(parameter.schema, false) ?? SAMPLE_ID)]),
    );
  const pathParams = plausible('path', false);
  // A required query parameter is always sent, plausible, unless it is the one made odd.
  const requiredQuery = plausible('query', true);
  /** The route with plausible values, but for the one odd path segment or query value given. */
  const urlWith = (odd?: { path?: [string, string]; query?: [string, string]; twice?: boolean }) => {
    const path = route.replace(/\{([^}]+)\}/g, (_, param: string) =>
      param === odd?.path?.[0] ? odd.path[1] : encodeURIComponent(pathParams.get(param) ?? SAMPLE_ID),
    );
    const query = [...requiredQuery].filter(([name]) => name !== odd?.query?.[0]);
    if (odd?.query) query.push(odd.query);
    if (odd?.query && odd.twice) query.push([odd.query[0], '1']);
    const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
    return search ? `${path}?${search}` : path;
  };
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const sample = bodySchema === undefined ? undefined : sampler.sample(bodySchema, false);
  const body = sample === undefined ? undefined : JSON.stringify(sample);
  const at = `${method} ${route}`;

  for (const parameter of parameters) {
    if (parameter.in === 'path')
      for (const segment of ODD_SEGMENTS)
        yield {
          method,
          path: urlWith({ path: [parameter.name, segment] }),
          body,
          route: at,
          label: `${at}: ${parameter.name} = ${segment.slice(0, 12)}`,
        };
    if (parameter.in === 'query')
      for (const value of ODD_QUERY_VALUES) {
        const odd: [string, string] = [parameter.name, value];
        const label = `${at}: ?${parameter.name}=${JSON.stringify(value).slice(0, 14)}`;
        yield { method, path: urlWith({ query: odd }), body, route: at, label };
        yield {
          method,
          path: urlWith({ query: odd, twice: true }),
          body,
          route: at,
          label: `${label} twice`,
        };
      }
    if (parameter.in === 'header')
      for (const value of ODD_HEADER_VALUES)
        yield {
          method,
          path: urlWith(),
          body,
          headers: { [parameter.name]: value },
          route: at,
          label: `${at}: ${parameter.name}: ${value.slice(0, 12)}`,
        };
  }
  if (method !== 'GET')
    yield {
      method,
      path: urlWith(),
      body: DEEP_BODY,
      headers: { 'idempotency-key': `sweep-deep-${method}-${route}`.slice(0, 255) },
      route: at,
      label: `${at}: a body nested 50,000 deep`,
    };
  if (sample === undefined) return;
  for (const raw of BROKEN_JSON)
    yield { method, path: urlWith(), body: raw, route: at, label: `${at}: body ${raw || '(empty)'}` };
  for (const [label, mutated] of mutations(sample, sampler.sample(bodySchema, true))) {
    yield { method, path: urlWith(), body: JSON.stringify(mutated), route: at, label: `${at}: ${label}` };
  }
}
