/**
 * Requests with one value at a time at the very edge of what the schema accepts, made from the OpenAPI
 * document like the malformed ones.
 */
import { randomUUID } from 'node:crypto';
import {
  grafted,
  METHODS,
  replaced,
  resolve,
  samplePath,
  Sampler,
  SAMPLE_ID,
  SAMPLE_UUID,
  type SweepRequest,
  type OpenApiDocument,
  type Schema,
} from './openapi-samples.js';

/** A full array at the edge repeats its sample item this often at most, so a request stays a request. */
const MAX_EDGE_ITEMS = 500;
/**
 * Requests whose values sit exactly at the edge of what the schema accepts: each number at its maximum and
 * its minimum, each bounded string at its longest, each bounded array at its fullest, one place at a time in
 * a plausible body, and each bounded query value. The schema lets them in, so each engine must be able to
 * store them: a column narrower than its schema (an INTEGER under a 10^12 maximum, say) fails here.
 */
export function* edgeRequests(document: OpenApiDocument): Generator<SweepRequest> {
  const sampler = new Sampler(document);
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const at = `${method.toUpperCase()} ${route}`;
      const parameters = (operation.parameters ?? []).flatMap(
        (parameter) => resolve(document, parameter) ?? [],
      );
      const path = samplePath(document, sampler, route, operation);
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const base = bodySchema === undefined ? undefined : sampler.sample(bodySchema, false);
      const body = base === undefined ? undefined : JSON.stringify(base);
      for (const parameter of parameters.filter((candidate) => candidate.in === 'query')) {
        const schema = resolve(document, parameter.schema);
        for (const edge of schema ? edgeValues(schema, undefined) : []) {
          const query = `${parameter.name}=${encodeURIComponent(String(edge))}`;
          yield {
            method: method.toUpperCase(),
            path: `${path}?${query}`,
            body,
            route: at,
            label: `${at}: ?${query.slice(0, 40)}`,
          };
        }
      }
      if (bodySchema === undefined) continue;
      const full = sampler.sample(bodySchema, true);
      for (const place of schemaPlaces(document, bodySchema, full, [], 3)) {
        for (const edge of edgeValues(place.schema, place.sample)) {
          yield {
            method: method.toUpperCase(),
            path,
            body: JSON.stringify(withFreshIds(replaced(grafted(base, full, place.at), place.at, edge))),
            route: at,
            label: `${at}: ${place.at.join('.')} at its edge, ${String(JSON.stringify(edge)).slice(0, 24)}`,
          };
        }
      }
    }
  }
}

/** Every place in a body with its own schema and sample value, optional fields included, `depth` levels down. */
function* schemaPlaces(
  document: OpenApiDocument,
  node: Schema | undefined,
  sample: unknown,
  at: string[],
  depth: number,
): Generator<{ at: string[]; schema: Schema; sample: unknown }> {
  let schema = resolve(document, node);
  // A nullable or alternative field: its first alternative that is not null is what the sample holds.
  const alternatives = schema?.anyOf ?? schema?.oneOf;
  if (alternatives)
    schema = resolve(
      document,
      alternatives.find((alternative) => resolve(document, alternative)?.type !== 'null'),
    );
  if (!schema) return;
  if (at.length > 0) yield { at, schema, sample };
  if (depth === 0) return;
  if (schema.properties && sample !== null && typeof sample === 'object')
    for (const [name, property] of Object.entries(schema.properties))
      yield* schemaPlaces(
        document,
        property,
        (sample as Record<string, unknown>)[name],
        [...at, name],
        depth - 1,
      );
  if (schema.items && Array.isArray(sample) && sample.length > 0)
    yield* schemaPlaces(document, schema.items, sample[0], [...at, '0'], depth - 1);
}

/** The values at the edge of what `schema` accepts; none for a field without bounds. */
function edgeValues(schema: Schema, sample: unknown): unknown[] {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number')
    return [schema.maximum, schema.minimum].filter((bound): bound is number => typeof bound === 'number');
  if (type === 'string' && schema.maxLength !== undefined && !schema.format && !schema.enum) {
    const length = schema.maxLength;
    const longest = ['X', 'x', '9'].map((char) => char.repeat(length));
    return longest
      .filter((value) => !schema.pattern || new RegExp(schema.pattern, 'u').test(value))
      .slice(0, 1);
  }
  if (type === 'array' && schema.maxItems !== undefined && Array.isArray(sample) && sample.length > 0) {
    // Strings made distinct (lists of codes are sets); objects repeated, which a rule on duplicates may refuse.
    const item = sample[0];
    const nth = (index: number) => (typeof item === 'string' ? `${item}${index}` : item);
    return [Array.from({ length: Math.min(schema.maxItems, MAX_EDGE_ITEMS) }, (_, index) => nth(index))];
  }
  return [];
}

let freshIds = 0;

/**
 * The body with every `id` the sampler made replaced by a new one, so that an edge request creates its own
 * sale or document instead of meeting the first one's id with another body (409 `id_conflict`), which would
 * keep the edge value from ever reaching the database.
 */
function withFreshIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withFreshIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === 'id' && item === SAMPLE_UUID) return [key, randomUUID()];
      if (key === 'id' && item === SAMPLE_ID) return [key, `${SAMPLE_ID}-${(freshIds += 1)}`];
      return [key, withFreshIds(item)];
    }),
  );
}
