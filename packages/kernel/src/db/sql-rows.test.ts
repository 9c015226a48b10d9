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

  it('locks the row on PostgreSQL only, and only when asked', () => {
    expect(rowLock({ dialect: 'postgres' })).toBe(' FOR UPDATE');
    expect(rowLock({ dialect: 'postgres' }, false)).toBe('');
    expect(rowLock({ dialect: 'sqlite' })).toBe('');
  });
});
