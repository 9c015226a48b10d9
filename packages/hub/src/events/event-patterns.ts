import { Type } from 'typebox';

/**
 * An event type pattern, as subscriptions and stream filters take it: an exact type (`erp.stock.changed`), a
 * prefix ending in `.*` (`erp.*`, `erp.stock.*`: every type below it, including ones published later), or
 * `*` for every type.
 */
export const EventTypePattern = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.\\*)?)$',
  maxLength: 100,
  examples: ['erp.stock.changed', 'pos.*'],
});

/** Comma-separated patterns in a query string: `?type=erp.stock.changed,pos.*`. */
export const EventTypeFilter = Type.String({
  pattern:
    '^(\\*|[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.\\*)?)(,(\\*|[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.\\*)?))*$',
  maxLength: 1000,
  description: 'Comma-separated event type patterns: exact types, `prefix.*` or `*`',
  examples: ['erp.stock.changed,pos.*'],
});

export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function matchesAny(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, type));
}

/** The patterns that match none of the known types: almost always a typo, so they are refused. */
export function unknownPatterns(patterns: readonly string[], knownTypes: readonly string[]): string[] {
  return patterns.filter((pattern) => !knownTypes.some((type) => matchesPattern(pattern, type)));
}

export const splitFilter = (filter: string | undefined): string[] =>
  filter ? [...new Set(filter.split(','))] : [];

/**
 * The SQL condition selecting events whose `type` matches any pattern, with its parameters numbered from
 * `firstParam`. `LIKE` with an escape character keeps `_` in type names literal on both dialects.
 */
export function typeCondition(
  patterns: readonly string[],
  firstParam: number,
): { sql: string; params: string[] } {
  if (patterns.length === 0 || patterns.includes('*')) return { sql: 'TRUE', params: [] };
  const clauses: string[] = [];
  const params: string[] = [];
  for (const pattern of patterns) {
    const placeholder = `$${firstParam + params.length}`;
    if (pattern.endsWith('.*')) {
      clauses.push(`type LIKE ${placeholder} ESCAPE '!'`);
      params.push(`${pattern.slice(0, -1).replace(/[!%_]/g, '!$&')}%`);
    } else {
      clauses.push(`type = ${placeholder}`);
      params.push(pattern);
    }
  }
  return { sql: `(${clauses.join(' OR ')})`, params };
}
