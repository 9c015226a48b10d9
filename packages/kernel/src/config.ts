import type { TSchema, Static } from 'typebox';
import { Value } from 'typebox/value';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration once, at start, against a schema. Every problem is reported together so an operator
 * fixes them in one go instead of one restart per mistake. Defaults in the schema fill gaps; strings from the
 * environment are converted to the declared types.
 */
export function parseConfig<S extends TSchema>(schema: S, raw: Record<string, unknown>): Static<S> {
  const withDefaults = Value.Default(schema, structuredClone(raw));
  const converted = Value.Convert(schema, withDefaults);
  if (Value.Check(schema, converted)) return converted as Static<S>;
  const problems = [...Value.Errors(schema, converted)].map((error) => {
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    return `${path}: ${error.message}`;
  });
  throw new ConfigError(problems);
}
