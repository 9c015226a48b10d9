import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDatabaseUnavailable, openSqlite, type Db, type Tx } from '../src/index.js';
import { WalSync } from '../src/db/wal-sync.js';
import { fillTheDisk, freeTheDisk } from '../src/testing/full-disk.js';

describe('SQLite adapter', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-sqlite-'));
    db = openSqlite({ file: join(dir, 'test.sqlite'), context: 'test' });
    await db.transaction((tx) => tx.exec('CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tooBig = (tx: Tx, id: string) =>
    tx.execute('INSERT INTO items (id, n) VALUES ($1, length(zeroblob(1)))', [id.padEnd(64 * 1024, '.')]);

  it('answers a full disk as database_unavailable, and writes again once there is room', async () => {
    await fillTheDisk(db);
    const refused = await db.transaction((tx) => tooBig(tx, 'big')).catch((error: unknown) => error);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 503, code: 'database_unavailable', reason: 'full' });
    await freeTheDisk(db);
    await db.transaction((tx) => tooBig(tx, 'big'));
    expect(await db.query('SELECT n FROM items')).toHaveLength(1);
  });

  it('runs again the transactions of a group that SQLite rolled back whole for one of them, each committed once', async () => {
    await fillTheDisk(db);
    // Started in the same tick, so one group: SQLite undoes the whole group's transaction on the full disk.
    const [before, failing, after] = await Promise.allSettled([
      db.transaction((tx) => tx.execute('INSERT INTO items (id, n) VALUES ($1, 1)', ['before'])),
      db.transaction((tx) => tooBig(tx, 'failing')),
      db.transaction((tx) => tx.execute('INSERT INTO items (id, n) VALUES ($1, 3)', ['after'])),
    ]);
    expect(before.status).toBe('fulfilled');
    expect(failing.status).toBe('rejected');
    expect(isDatabaseUnavailable((failing as PromiseRejectedResult).reason)).toBe(true);
    expect(after.status).toBe('fulfilled');
    const rows = await db.query<{ id: string }>('SELECT id FROM items ORDER BY n');
    expect(rows.map((row) => row.id)).toEqual(['before', 'after']);
    await freeTheDisk(db);
  });

  it('binds $n placeholders by number: repeated, out of order, booleans and undefined', async () => {
    await db.transaction((tx) =>
      tx.execute('INSERT INTO items (id, n) VALUES ($2 || $2, $1)', [7, 'ab', 'not used']),
    );
    const rows = await db.query<{ id: string; n: number; yes: number; none: null }>(
      'SELECT id, n, $2 AS yes, $1 AS none FROM items WHERE n = $3',
      [undefined, true, 7],
    );
    expect(rows).toEqual([{ id: 'abab', n: 7, yes: 1, none: null }]);
    await expect(db.query('SELECT $2 AS b', [1])).rejects.toThrow(/uses \$2 but 1 values/);
  });

  it('commits concurrent transactions together, and rolls back only the one that failed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', [`item-${index}`, index]);
          if (index % 10 === 3) throw new Error(`refused ${index}`);
          return index;
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(5);
    const rows = await db.query<{ id: string }>('SELECT id FROM items ORDER BY n');
    expect(rows).toHaveLength(45);
    expect(rows.map((row) => row.id)).not.toContain('item-3');
  });

  it('rolls a transaction alone in its group back whole, savepoints inside it included', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['lone', 1]);
        await tx.savepoint(() => tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['inner', 2]));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const kept = await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['next', 3]);
      await expect(
        tx.savepoint(async () => {
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['undone', 4]);
          throw new Error('only this part');
        }),
      ).rejects.toThrow('only this part');
      return 'committed';
    });
    expect(kept).toBe('committed');
    expect(await db.query('SELECT id FROM items ORDER BY n')).toEqual([{ id: 'next' }]);
  });

  it('runs grouped transactions in arrival order, each seeing the ones before it', async () => {
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ count: number }>('SELECT COUNT(*) AS count FROM items');
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', [`ordered-${index}`, index]);
          return row!.count;
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('reads outside a transaction never see uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction(async (tx) => {
      await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['pending', 1]);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await db.query('SELECT id FROM items WHERE id = $1', ['pending'])).toEqual([]);
    release();
    await writing;
    expect(await db.query('SELECT id FROM items WHERE id = $1', ['pending'])).toEqual([{ id: 'pending' }]);
  });

  it('refuses a write outside a transaction, whichever connection would read', async () => {
    await expect(db.query('INSERT INTO items (id, n) VALUES ($1, $2)', ['stray', 1])).rejects.toThrow(
      /readonly/,
    );
    expect(await db.query('SELECT id FROM items')).toEqual([]);
  });

  it('wakes outbox listeners once per group that wrote to the outbox', async () => {
    let wakes = 0;
    db.onOutboxCommit(() => (wakes += 1));
    await Promise.all([
      db.transaction(async (tx) => tx.outboxWritten()),
      db.transaction(async (tx) => tx.outboxWritten()),
    ]);
    await db.transaction(async () => undefined);
    expect(wakes).toBeGreaterThanOrEqual(1);
    expect(wakes).toBeLessThanOrEqual(2);
  });

  it('finishes queued transactions before it closes', async () => {
    const pending = Array.from({ length: 5 }, (_, index) =>
      db.transaction((tx) =>
        tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', [`late-${index}`, index]),
      ),
    );
    const reopened = join(dir, 'test.sqlite');
    await db.close();
    await Promise.all(pending);
    db = openSqlite({ file: reopened, context: 'test' });
    expect(await db.query('SELECT id FROM items')).toHaveLength(5);
  });

  it('hands outbox listeners the rows each group appended, and null once a writer did not name them', async () => {
    const heard: Array<unknown> = [];
    db.onOutboxCommit((rows) => heard.push(rows));
    const row = (position: number) => ({ position, envelope: `{"n":${position}}` });
    await Promise.allSettled([
      db.transaction(async (tx) => tx.outboxWritten([row(1)])),
      db.transaction(async (tx) => {
        tx.outboxWritten([row(2)]);
        throw new Error('rolled back: its row was never committed');
      }),
      db.transaction(async (tx) => tx.outboxWritten([row(2), row(3)])),
    ]);
    await db.transaction(async (tx) => tx.outboxWritten());
    expect(heard).toEqual([[row(1), row(2), row(3)], null]);
  });

  it('hands on no row appended inside a savepoint that rolled back', async () => {
    const heard: Array<unknown> = [];
    db.onOutboxCommit((rows) => heard.push(rows));
    const row = (position: number) => ({ position, envelope: `{"n":${position}}` });
    await db.transaction(async (tx) => {
      await tx
        .savepoint(async () => {
          tx.outboxWritten([row(1)]);
          throw new Error('this item is refused');
        })
        .catch(() => undefined);
      await tx.savepoint(async () => tx.outboxWritten([row(1)]));
    });
    expect(heard).toEqual([[row(1)]]);
  });

  it('checkpoints a WAL that outgrows its limit off the event loop, so the WAL stays bounded', async () => {
    const file = join(dir, 'bounded.sqlite');
    const bounded = openSqlite({ file, context: 'bounded', checkpointAtBytes: 1024 * 1024 });
    try {
      await bounded.transaction((tx) =>
        tx.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)'),
      );
      // 16 MB written in 128 commits of 128 KB: without checkpoints the WAL would hold all of it, and the
      // writer's own fallback starts only at eight times the limit.
      let largest = 0;
      for (let commit = 0; commit < 128; commit += 1) {
        await bounded.transaction(async (tx) => {
          for (let row = 0; row < 32; row += 1)
            await tx.execute('INSERT INTO blobs (body) VALUES (randomblob(4000))');
        });
        largest = Math.max(largest, statSync(`${file}-wal`).size);
        // Let the worker's checkpoint finish now and then, as quieter moments under real load do.
        if (commit % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(largest).toBeLessThan(6 * 1024 * 1024);
      expect(await bounded.query('SELECT COUNT(*) AS n FROM blobs')).toEqual([{ n: 128 * 32 }]);
    } finally {
      await bounded.close();
    }
  });

  it('inserts a row and answers its generated key, or null when the insert did nothing', async () => {
    await db.transaction((tx) =>
      tx.exec('CREATE TABLE keyed (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE)'),
    );
    const keys = await db.transaction(async (tx) => [
      await tx.insert('INSERT INTO keyed (name) VALUES ($1)', ['a'], 'id'),
      await tx.insert('INSERT INTO keyed (name) VALUES ($1)', ['b'], 'id'),
      await tx.insert('INSERT INTO keyed (name) VALUES ($1) ON CONFLICT DO NOTHING', ['a'], 'id'),
    ]);
    expect(keys).toEqual([1, 2, null]);
  });

  it('after a failed fsync refuses every transaction for good and says so in its health, while reads answer', async () => {
    await db.transaction((tx) => tx.execute("INSERT INTO items (id, n) VALUES ('a', 1)"));
    expect(db.health?.()).toEqual({ writable: true });
    const sync = vi.spyOn(WalSync.prototype, 'sync').mockRejectedValueOnce(new Error('EIO'));
    try {
      await expect(
        db.transaction((tx) => tx.execute("INSERT INTO items (id, n) VALUES ('b', 2)")),
      ).rejects.toThrow();
    } finally {
      sync.mockRestore();
    }
    await expect(
      db.transaction((tx) => tx.execute("INSERT INTO items (id, n) VALUES ('c', 3)")),
    ).rejects.toThrow();
    expect(db.health?.()).toEqual({ writable: false, reason: expect.stringContaining('fsync') });
    expect(await db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
