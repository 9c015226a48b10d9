import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/port.js';
import { openPostgres } from '../src/db/postgres.js';
import { runMigrations } from '../src/db/migrate.js';
import { kernelMigrations } from '../src/events/kernel.migrations.js';
import { appendToOutbox, dropSchemas, openContextDb, pgUrl, runId, testEvent } from './scale-out.support.js';

describe.skipIf(!pgUrl)('postgres adapter', { timeout: 30_000 }, () => {
  const suffix = runId();
  const schemas: string[] = [];
  const dbs: Db[] = [];

  async function freshDb(name: string): Promise<Db> {
    const context = `t_${name}_${suffix}`;
    schemas.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    return db;
  }

  afterAll(async () => {
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
  });

  it('runs the kernel migrations once, into the context schema', async () => {
    const context = `t_migrate_${suffix}`;
    schemas.push(context);
    const db = await openPostgres({ url: pgUrl!, context });
    dbs.push(db);

    const first = await runMigrations(db, kernelMigrations);
    const second = await runMigrations(db, kernelMigrations);

    expect(first).toEqual(kernelMigrations.map((migration) => migration.id).sort());
    expect(second).toEqual([]);
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [context],
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'consumer_checkpoints',
        'dead_letters',
        'inbox',
        'outbox',
        'schema_migrations',
      ]),
    );
  });

  it('lets two instances start on a fresh schema at once and migrate it exactly once', async () => {
    const context = `t_race_${suffix}`;
    schemas.push(context);
    const [first, second] = await Promise.all([
      openPostgres({ url: pgUrl!, context }),
      openPostgres({ url: pgUrl!, context }),
    ]);
    dbs.push(first, second);

    const applied = await Promise.all([
      runMigrations(first, kernelMigrations),
      runMigrations(second, kernelMigrations),
    ]);

    expect([...applied[0], ...applied[1]].sort()).toEqual(
      kernelMigrations.map((migration) => migration.id).sort(),
    );
    const recorded = await first.query<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations');
    expect(recorded[0]!.n).toBe(kernelMigrations.length);
  });

  it('commits a transaction and rolls one back when it throws', async () => {
    const db = await freshDb('tx');
    await db.transaction((tx) => tx.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT)'));

    const changed = await db.transaction((tx) =>
      tx.execute('INSERT INTO notes VALUES ($1, $2)', ['kept', 'a']),
    );
    const failure = db.transaction(async (tx) => {
      await tx.execute('INSERT INTO notes VALUES ($1, $2)', ['lost', 'b']);
      throw new Error('handler failed');
    });

    expect(changed).toBe(1);
    await expect(failure).rejects.toThrow('handler failed');
    const rows = await db.query<{ id: string }>('SELECT id FROM notes ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual(['kept']);
  });

  it('reads BIGINT as a number and binds undefined as NULL', async () => {
    const db = await freshDb('types');

    const [row] = await db.query<{ big: unknown; missing: unknown }>(
      'SELECT $1::bigint AS big, $2::text AS missing',
      [9_007_199_254_740_991, undefined],
    );

    expect(row).toEqual({ big: 9_007_199_254_740_991, missing: null });
  });

  it('calls the outbox listeners after a commit that wrote to the outbox, and only then', async () => {
    const db = await freshDb('listener');
    let calls = 0;
    db.onOutboxCommit(() => (calls += 1));

    await db.transaction((tx) => tx.query('SELECT 1'));
    const afterPlainCommit = calls;
    await db
      .transaction(async (tx) => {
        await appendToOutbox(tx, testEvent('listener', 'test.thing.happened', 'thing/1'));
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const afterRollback = calls;
    await db.transaction((tx) => appendToOutbox(tx, testEvent('listener', 'test.thing.happened', 'thing/2')));

    expect([afterPlainCommit, afterRollback, calls]).toEqual([0, 0, 1]);
  });

  it('retries a transaction that lost a serialization conflict', async () => {
    const db = await freshDb('serial');
    await db.transaction((tx) =>
      tx.exec(
        'CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL); INSERT INTO counter VALUES (1, 0);',
      ),
    );
    let reads = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const increment = () =>
      db.transaction(async (tx) => {
        await tx.exec('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
        const [row] = await tx.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
        reads += 1;
        if (reads === 2) bothRead();
        // Both first attempts read the same value before either writes: one of them must be retried.
        if (reads <= 2) await barrier;
        await tx.execute('UPDATE counter SET n = $1 WHERE id = 1', [row!.n + 1]);
      });

    await Promise.all([increment(), increment()]);

    const [row] = await db.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    expect(row!.n).toBe(2);
    expect(reads).toBeGreaterThanOrEqual(3);
  });

  it('inserts a row and answers its generated key, or null when the insert did nothing', async () => {
    const db = await freshDb('insert');
    await db.transaction((tx) =>
      tx.exec('CREATE TABLE keyed (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT UNIQUE)'),
    );
    const keys = await db.transaction(async (tx) => [
      await tx.insert('INSERT INTO keyed (name) VALUES ($1)', ['a'], 'id'),
      await tx.insert('INSERT INTO keyed (name) VALUES ($1)', ['b'], 'id'),
      await tx.insert('INSERT INTO keyed (name) VALUES ($1) ON CONFLICT DO NOTHING', ['a'], 'id'),
    ]);
    expect(keys).toEqual([1, 2, null]);
  });
});
