import type { Static, TObject } from 'typebox';
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
export function parseConfig<S extends TObject>(schema: S, raw: Record<string, unknown>): Static<S> {
  const withDefaults = Value.Default(schema, structuredClone(raw));
  const converted = Value.Convert(schema, withDefaults) as Record<string, unknown>;
  if (Value.Check(schema, converted)) return converted as Static<S>;
  // One line per setting (a union's every branch failing is still one problem), each setting checked alone
  // so that no problem hides another.
  const problems: string[] = [];
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
      problems.push(`${key}: ${message} (got ${JSON.stringify(value)})`);
    }
  }
  throw new ConfigError(problems.length > 0 ? problems : ['configuration does not match its schema']);
}
