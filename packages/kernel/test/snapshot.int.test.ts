import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type Db } from '../src/index.js';
import { dropSchemas, openContextDb, pgUrl, runId } from './scale-out.support.js';

const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** Db.snapshot: several reads that see one instant, whatever commits meanwhile. */
describe.each(dialects)('Db.snapshot on %s', (dialect) => {
  let db: Db;
  let cleanUp: () => Promise<void>;
  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'tillstream-snapshot-'));
      db = openSqlite({ file: join(dir, 'test.sqlite'), context: 'test' });
      cleanUp = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const schema = `t_snapshot_${runId()}`;
      db = await openContextDb(schema);
      cleanUp = () => dropSchemas(schema);
    }
    await db.transaction(async (tx) => {
      await tx.exec('CREATE TABLE accounts (id TEXT PRIMARY KEY, balance INTEGER NOT NULL)');
      await tx.execute("INSERT INTO accounts (id, balance) VALUES ('a', 100), ('b', 0)");
    });
  });
  afterAll(async () => {
    await db?.close();
    await cleanUp?.();
  });

  const transfer = (amount: number) =>
    db.transaction(async (tx) => {
      await tx.execute("UPDATE accounts SET balance = balance - $1 WHERE id = 'a'", [amount]);
      await tx.execute("UPDATE accounts SET balance = balance + $1 WHERE id = 'b'", [amount]);
    });
  const balanceOf = async (reader: Pick<Db, 'query'>, id: string) =>
    Number(
      (await reader.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]))[0]!
        .balance,
    );

  it('keeps its first read’s instant while a transaction commits between its reads', async () => {
    const seen = await db.snapshot(async (reader) => {
      const a = await balanceOf(reader, 'a');
      await transfer(30);
      return { a, b: await balanceOf(reader, 'b') };
    });
    expect(seen.a + seen.b).toBe(100);
    expect(seen).toEqual({ a: 100, b: 0 });
    // Outside it, and in the next one, the transfer is there.
    expect(await balanceOf(db, 'b')).toBe(30);
    expect(await db.snapshot((reader) => balanceOf(reader, 'b'))).toBe(30);
  });

  it('never sees half of a transfer, with many snapshots and transfers at once', async () => {
    const sums = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        if (index % 2 === 0) await transfer(1);
        return db.snapshot(async (reader) => (await balanceOf(reader, 'a')) + (await balanceOf(reader, 'b')));
      }),
    );
    expect(new Set(sums)).toEqual(new Set([100]));
  });

  it('refuses a write, and lets the database go on after it', async () => {
    await expect(
      db.snapshot((reader) => reader.query("UPDATE accounts SET balance = 0 WHERE id = 'a'")),
    ).rejects.toThrow();
    expect(await db.snapshot((reader) => balanceOf(reader, 'a'))).toBe(60);
    await transfer(10);
    expect(await balanceOf(db, 'a')).toBe(50);
  });
});
