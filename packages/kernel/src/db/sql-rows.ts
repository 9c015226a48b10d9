import type { Dialect } from './port.js';

/** Small helpers for reading rows the same way from both drivers (pg returns BIGINT as string unless parsed). */
export function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  throw new TypeError(`expected a number, got ${typeof value}`);
}

export function asJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Placeholder lists already written, by shape. Every batch of the pipeline writes one or more multi-row
 * statements, and writing their placeholders again each time was 3 % of the CPU under a load of sales; the
 * shapes a load uses are few (row counts up to a batch's size, a handful of column counts), so they are kept,
 * and all are let go at once in the rare case that more than this many shapes have been asked for.
 */
const WRITTEN_SHAPES = 1024;
const written = new Map<string, string>();

function remembered(shape: string, write: () => string): string {
  let text = written.get(shape);
  if (text === undefined) {
    if (written.size >= WRITTEN_SHAPES) written.clear();
    text = write();
    written.set(shape, text);
  }
  return text;
}

/** `$from, $from+1, …`: `count` numbered placeholders, as an IN list or one row of VALUES takes them. */
export function placeholders(count: number, from = 1): string {
  return remembered(`${count}@${from}`, () =>
    Array.from({ length: count }, (_, index) => `$${from + index}`).join(', '),
  );
}

/** `($1, $2), ($3, $4), …`: `rows` tuples of `columns` placeholders each, for a multi-row VALUES. */
export function placeholderRows(rows: number, columns: number, from = 1): string {
  return remembered(`${rows}x${columns}@${from}`, () =>
    Array.from({ length: rows }, (_, row) => {
      const first = from + row * columns;
      return `(${Array.from({ length: columns }, (_, column) => `$${first + column}`).join(', ')})`;
    }).join(', '),
  );
}

/**
 * ` FOR UPDATE` when a row lock is wanted on PostgreSQL, where concurrent transactions would otherwise read the
 * same row and both go on; SQLite has no such clause and needs none (one writer at a time).
 */
export function rowLock(reader: { readonly dialect: Dialect }, wanted = true): string {
  return wanted && reader.dialect === 'postgres' ? ' FOR UPDATE' : '';
}
