import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type Db } from '../src/index.js';
import { dropSchemas, openContextDb, pgUrl, runId } from './scale-out.support.js';

const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(dialects)('Tx.savepoint on %s', (dialect) => {
  let db: Db;
  let cleanUp: () => Promise<void>;
  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'tillstream-savepoint-'));
      db = openSqlite({ file: join(dir, 'test.sqlite'), context: 'test' });
      cleanUp = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const schema = `t_savepoint_${runId()}`;
      db = await openContextDb(schema);
      cleanUp = () => dropSchemas(schema);
    }
    await db.transaction((tx) => tx.exec('CREATE TABLE items (id TEXT PRIMARY KEY, batch TEXT NOT NULL)'));
  });
  afterAll(async () => {
    await db?.close();
    await cleanUp?.();
  });

  const ids = async (batch: string) =>
    (await db.query<{ id: string }>('SELECT id FROM items WHERE batch = $1 ORDER BY id', [batch])).map(
      (row) => row.id,
    );

  it('rolls back only the item that failed, even after a failed statement, and commits the rest', async () => {
    const outcomes = await db.transaction(async (tx) => {
      const results: string[] = [];
      for (const id of ['a', 'b', 'a', 'c']) {
        try {
          await tx.savepoint(async () => {
            await tx.execute('INSERT INTO items (id, batch) VALUES ($1, $2)', [`one-${id}`, 'one']);
            // A second item with the same id fails on the primary key, inside the database: on PostgreSQL
            // that aborts the transaction unless the savepoint is rolled back.
            if (id === 'c') throw new Error('refused in code');
          });
          results.push(`${id} ok`);
        } catch (error) {
          results.push(`${id} ${(error as Error).message.includes('refused') ? 'refused' : 'failed'}`);
        }
      }
      return results;
    });
    expect(outcomes).toEqual(['a ok', 'b ok', 'a failed', 'c refused']);
    expect(await ids('one')).toEqual(['one-a', 'one-b']);
  });

  it('refuses a second savepoint while one is open, so concurrent items cannot undo each other', async () => {
    const outcome = await db.transaction(async (tx) => {
      const settled = await Promise.allSettled(
        ['x', 'y'].map((id) =>
          tx.savepoint(() =>
            tx.execute('INSERT INTO items (id, batch) VALUES ($1, $2)', [`two-${id}`, 'two']),
          ),
        ),
      );
      return settled.map((result) => result.status);
    });
    expect(outcome).toEqual(['fulfilled', 'rejected']);
    expect(await ids('two')).toEqual(['two-x']);
  });
});
