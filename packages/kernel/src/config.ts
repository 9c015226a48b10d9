import type { Static, TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Options a config schema's properties may carry besides JSON Schema's. */
export interface ConfigPropertyOptions {
  /** A secret (an admin key): a problem with it never echoes its value, which would leak it into logs. */
  secret?: boolean;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Strings (from the environment or flags) become the declared type only when they spell it exactly: an integer
 * is `^-?\d+$` (no `18204.9` read as 18204), a boolean `true` or `false` (not `1`). Anything else stays the
 * string it was, so that the schema check reports it.
 */
function convert(property: TSchema, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const { type } = property as { type?: unknown };
  if (type === 'integer') return INTEGER.test(value) ? Number(value) : value;
  if (type === 'number') return NUMBER.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/**
 * Parses configuration once, at start, against a schema. Every problem is reported together so an operator
 * fixes them in one go instead of one restart per mistake. Defaults in the schema fill gaps; strings from the
 * environment are converted strictly to the declared types; keys the schema does not declare are refused;
 * the values of `secret` settings are never echoed.
 */
export function parseConfig<S extends TObject>(schema: S, raw: Record<string, unknown>): Static<S> {
  const withDefaults = Value.Default(schema, structuredClone(raw)) as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(withDefaults)) {
    const property = schema.properties[key];
    if (property) converted[key] = convert(property, value);
    else problems.push(`${key}: is not a setting`);
  }
  if (problems.length === 0 && Value.Check(schema, converted)) return converted as Static<S>;
  // One line per setting (a union's every branch failing is still one problem), each setting checked alone
  // so that no problem hides another.
  for (const [key, property] of Object.entries(schema.properties)) {
    const value = converted[key];
    if (value === undefined) {
      if (schema.required?.includes(key)) problems.push(`${key}: is required`);
      continue;
    }
    if (!Value.Check(property, value)) {
      const allowed = (property as { anyOf?: Array<{ const?: unknown }> }).anyOf?.map(
        (branch) => branch.const,
      );
      const [first] = [...Value.Errors(property, value)];
      const message = allowed?.every((option) => option !== undefined)
        ? `must be one of ${allowed.join(', ')}`
        : (first?.message ?? 'is invalid');
      const got = (property as ConfigPropertyOptions).secret
        ? 'value hidden'
        : `got ${JSON.stringify(value)}`;
      problems.push(`${key}: ${message} (${got})`);
    }
  }
  throw new ConfigError(problems.length > 0 ? problems : ['configuration does not match its schema']);
}
