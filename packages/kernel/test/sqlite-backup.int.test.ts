import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupSqliteTogether,
  createEmbeddedEventLog,
  createLogger,
  createOutbox,
  kernelMigrations,
  openSqlite,
  runMigrations,
  systemClock,
  uuidV7Ids,
  type Db,
  type EventLog,
} from '../src/index.js';

const contract = { type: 'test.sale.completed', version: 1 };

/** What one backed-up pair holds: the source's events, and what the consumer applied and read up to. */
function readCopy(dir: string) {
  const source = new Database(join(dir, 'source.sqlite'), { readonly: true });
  const target = new Database(join(dir, 'target.sqlite'), { readonly: true });
  try {
    const events = source.prepare('SELECT position, envelope FROM outbox ORDER BY position').all() as Array<{
      position: number;
      envelope: string;
    }>;
    const applied = target.prepare('SELECT n FROM applied ORDER BY n').all() as Array<{ n: number }>;
    const checkpoints = target.prepare('SELECT * FROM consumer_checkpoints').all() as Array<
      Record<string, unknown>
    >;
    return {
      sold: new Set(events.map((event) => (JSON.parse(event.envelope) as { data: { n: number } }).data.n)),
      head: events.length ? events[events.length - 1]!.position : 0,
      applied: applied.map((row) => row.n),
      checkpoints,
      integrity: [source, target].map((db) => db.pragma('integrity_check', { simple: true })),
    };
  } finally {
    source.close();
    target.close();
  }
}

describe('backupSqliteTogether: databases copied as they were at one instant', () => {
  let dir: string;
  let source: Db;
  let target: Db;
  let log: EventLog;
  const outbox = createOutbox('source', { clock: systemClock, ids: uuidV7Ids });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-backup-'));
    source = openSqlite({ file: join(dir, 'source.sqlite'), context: 'source' });
    target = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    await runMigrations(source, kernelMigrations);
    await runMigrations(target, kernelMigrations);
    await target.transaction((tx) => tx.exec('CREATE TABLE applied (n INTEGER PRIMARY KEY)'));
    log = createEmbeddedEventLog({
      clock: systemClock,
      logger: createLogger({ name: 'test', level: 'silent' }),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      batchSize: 20,
      pollIntervalMs: 50,
    });
    await log.attachOutbox('source', source);
    await log.startConsumer({
      name: 'test.stock',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async handle(event, tx) {
        await tx.execute('INSERT INTO applied (n) VALUES ($1)', [(event.data as { n: number }).n]);
      },
    });
  });
  afterEach(async () => {
    await log.close();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never copies a consumer past what its source’s copy holds, while sales and their consumer run', async () => {
    let sold = 0;
    let selling = true;
    const seller = (async () => {
      while (selling) {
        const n = ++sold;
        await source.transaction((tx) =>
          outbox.append(tx, [{ contract, subject: `sale/${n}`, sequence: 1, data: { n } }]),
        );
      }
    })();
    const copies: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const copy = join(dir, `backup-${round}`);
      // The source first: a copy taken one file after the other would catch the consumer ahead of it.
      const files = await backupSqliteTogether(
        [
          { name: 'source', file: join(dir, 'source.sqlite') },
          { name: 'target', file: join(dir, 'target.sqlite') },
        ],
        copy,
      );
      expect(files.map((file) => file.file)).toEqual(['source.sqlite', 'target.sqlite']);
      expect(files.every((file) => file.bytes > 0)).toBe(true);
      copies.push(copy);
    }
    selling = false;
    await seller;

    let consumed = 0;
    for (const copy of copies) {
      const { sold: inSource, head, applied, checkpoints, integrity } = readCopy(copy);
      expect(integrity).toEqual(['ok', 'ok']);
      // Everything the consumer's copy applied, its source's copy holds; and it has read no further.
      expect(applied.filter((n) => !inSource.has(n))).toEqual([]);
      for (const checkpoint of checkpoints) expect(Number(checkpoint.position)).toBeLessThanOrEqual(head);
      consumed = Math.max(consumed, applied.length);
    }
    // The copies were taken while the consumer was busy, not after it had stopped.
    expect(consumed).toBeGreaterThan(0);
    expect(sold).toBeGreaterThan(consumed);
  });

  it('restores: a copy opened as a database goes on from where it was', async () => {
    await source.transaction((tx) =>
      outbox.append(tx, [{ contract, subject: 'sale/1', sequence: 1, data: { n: 1 } }]),
    );
    const copy = join(dir, 'copy');
    await backupSqliteTogether([{ name: 'source', file: join(dir, 'source.sqlite') }], copy);
    const restored = openSqlite({ file: join(copy, 'source.sqlite'), context: 'source' });
    try {
      await runMigrations(restored, kernelMigrations);
      await restored.transaction((tx) =>
        outbox.append(tx, [{ contract, subject: 'sale/2', sequence: 1, data: { n: 2 } }]),
      );
      const rows = await restored.query<{ position: number }>(
        'SELECT position FROM outbox ORDER BY position',
      );
      expect(rows.map((row) => Number(row.position))).toEqual([1, 2]);
    } finally {
      await restored.close();
    }
  });

  it('checks each copy before it counts: a corrupt database makes no backup', async () => {
    const file = join(dir, 'damaged.sqlite');
    const damaged = new Database(file);
    damaged.exec('CREATE TABLE t (n INTEGER, pad TEXT); CREATE INDEX t_n ON t (n)');
    const insert = damaged.prepare('INSERT INTO t VALUES (?, ?)');
    damaged.transaction(() => {
      for (let n = 0; n < 2_000; n += 1) insert.run(n, 'x'.repeat(100));
    })();
    damaged.close();
    // A disk that garbled a few pages in the middle of the file: SQLite's copy takes them as they are.
    const handle = openSync(file, 'r+');
    writeSync(handle, Buffer.alloc(4096 * 3, 0x5a), 0, 4096 * 3, 4096 * 20);
    closeSync(handle);

    const copy = join(dir, 'of-damaged');
    await expect(backupSqliteTogether([{ name: 'damaged', file }], copy)).rejects.toThrow(/fails its check/);
    expect(readdirSync(dir).filter((name) => name.startsWith('of-damaged'))).toEqual([]);
  });

  it('refuses a target that exists, and leaves nothing behind when a source cannot be read', async () => {
    const taken = join(dir, 'taken');
    await backupSqliteTogether([{ name: 'source', file: join(dir, 'source.sqlite') }], taken);
    await expect(
      backupSqliteTogether([{ name: 'source', file: join(dir, 'source.sqlite') }], taken),
    ).rejects.toThrow(/already exists/);

    const broken = join(dir, 'broken');
    await expect(
      backupSqliteTogether(
        [
          { name: 'source', file: join(dir, 'source.sqlite') },
          { name: 'missing', file: join(dir, 'missing.sqlite') },
        ],
        broken,
      ),
    ).rejects.toThrow();
    expect(existsSync(broken)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('broken'))).toEqual([]);
  });
});
