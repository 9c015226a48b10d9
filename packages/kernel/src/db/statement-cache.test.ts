import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

/** An insert of `rows` rows of two values: 2 × rows placeholders. */
const insertOf = (rows: number) =>
  `INSERT INTO t (a, b) VALUES ${Array.from({ length: rows }, (_, row) => `($${2 * row + 1}, $${2 * row + 2})`).join(', ')}`;

describe('StatementCache: prepared statements kept within a budget of placeholders', () => {
  let connection: Database.Database;
  beforeEach(() => {
    connection = new Database(':memory:');
    connection.exec('CREATE TABLE t (a, b)');
  });
  afterEach(() => connection.close());

  it('keeps the row counts of a multi-row insert only while they fit the budget, newest first', () => {
    const cache = new StatementCache(connection, 100);
    for (let rows = 17; rows <= 40; rows += 1) cache.get(insertOf(rows)).run(Array(2 * rows).fill(1));
    // 40 rows (80 placeholders) leaves no room for 39 (78).
    expect(cache.size).toEqual({ statements: 1, placeholders: 80 });
    expect(connection.prepare('SELECT count(*) AS n FROM t').get()).toEqual({
      n: (40 * 41) / 2 - (16 * 17) / 2,
    });
  });

  it('always keeps the small statements the hot path asks for', () => {
    const cache = new StatementCache(connection, 40);
    const hot = cache.get('SELECT a FROM t WHERE a = $1');
    const small = cache.get(insertOf(16));
    for (let rows = 17; rows <= 30; rows += 1) cache.get(insertOf(rows));
    expect(cache.get('SELECT a FROM t WHERE a = $1')).toBe(hot);
    expect(cache.get(insertOf(16))).toBe(small);
    expect(cache.size).toEqual({ statements: 3, placeholders: 60 });
  });

  it('keeps a large statement bigger than the budget while it is the newest, so its caller can use it', () => {
    const cache = new StatementCache(connection, 10);
    const big = cache.get(insertOf(20));
    expect(cache.get(insertOf(20))).toBe(big);
    expect(cache.size).toEqual({ statements: 1, placeholders: 40 });
    cache.get(insertOf(21));
    expect(cache.size).toEqual({ statements: 1, placeholders: 42 });
  });
});
