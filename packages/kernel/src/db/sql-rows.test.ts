import { describe, expect, it } from 'vitest';
import { placeholderRows, placeholders, rowLock } from './sql-rows.js';

describe('placeholders', () => {
  it('numbers an IN list from 1, or from where the statement left off', () => {
    expect(placeholders(3)).toBe('$1, $2, $3');
    expect(placeholders(2, 3)).toBe('$3, $4');
    expect(placeholders(0)).toBe('');
  });

  it('numbers the rows of a multi-row VALUES column by column, row after row', () => {
    expect(placeholderRows(2, 2)).toBe('($1, $2), ($3, $4)');
    expect(placeholderRows(2, 3, 2)).toBe('($2, $3, $4), ($5, $6, $7)');
  });

  it('answers every shape the same however often it is asked, past the shapes it keeps', () => {
    // Plain construction, as the first version wrote them, against the kept texts for more shapes than kept.
    const plainRows = (rows: number, columns: number, from: number) =>
      Array.from(
        { length: rows },
        (_, row) =>
          `(${Array.from({ length: columns }, (_, column) => `$${from + row * columns + column}`).join(', ')})`,
      ).join(', ');
    for (let round = 0; round < 2; round += 1)
      for (let rows = 1; rows <= 60; rows += 1)
        for (const columns of [1, 2, 4, 8, 11])
          for (const from of [1, 3, 17]) {
            expect(placeholderRows(rows, columns, from)).toBe(plainRows(rows, columns, from));
            expect(placeholders(rows * columns, from)).toBe(plainRows(1, rows * columns, from).slice(1, -1));
          }
  });

  it('locks the row on PostgreSQL only, and only when asked', () => {
    expect(rowLock({ dialect: 'postgres' })).toBe(' FOR UPDATE');
    expect(rowLock({ dialect: 'postgres' }, false)).toBe('');
    expect(rowLock({ dialect: 'sqlite' })).toBe('');
  });
});
