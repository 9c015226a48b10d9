import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmbeddedEventLog,
  createLogger,
  createOutbox,
  kernelMigrations,
  manualClock,
  openSqlite,
  runMigrations,
  uuidV7Ids,
  type ConsumerSpec,
  type Db,
  type EmbeddedEventLog,
} from '../src/index.js';

const contract = { type: 'test.thing.happened', version: 1 };
const HOUR_MS = 3_600_000;
const RETENTION_HOURS = 24;

describe('embedded event log retention', () => {
  let dir: string;
  let source: Db;
  let target: Db;
  /** The slow consumer's own database, whose inbox and checkpoint it alone writes. */
  let slowDb: Db;
  let log: EmbeddedEventLog;
  const clock = manualClock('2026-12-01T00:00:00.000Z');
  const outbox = createOutbox('source', { clock, ids: uuidV7Ids });
  /** How often the reader applied each event, by its number. */
  const applied = new Map<number, number>();
  /** The slow consumer fails on event `heldFrom` and after, and retries, until they are released. */
  let heldFrom = Infinity;

  const consumers = (): ConsumerSpec[] => [
    {
      name: 'test.reader',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async handle(event) {
        const { n } = event.data as { n: number };
        applied.set(n, (applied.get(n) ?? 0) + 1);
      },
    },
    // Reads none of the source's types: it only ever moves its position in memory.
    {
      name: 'test.other',
      db: target,
      sources: ['source'],
      types: ['test.other.type'],
      handle: async () => {},
    },
    {
      name: 'test.slow',
      db: slowDb,
      sources: ['source'],
      types: [contract.type],
      async handle(event) {
        if ((event.data as { n: number }).n >= heldFrom) throw new Error('not yet');
      },
    },
  ];
  const openLog = async (retentionHours = RETENTION_HOURS) => {
    log = createEmbeddedEventLog({
      clock,
      logger: createLogger({ name: 'test', level: 'silent' }),
      // The slow consumer retries rather than parks its events: it stays behind until released.
      retry: { maxAttempts: 1_000_000, baseDelayMs: 10, maxDelayMs: 20 },
      batchSize: 100,
      pollIntervalMs: 20,
      eventRetentionHours: retentionHours,
    });
    await log.attachOutbox('source', source);
    for (const spec of consumers()) await log.startConsumer(spec);
  };
  let next = 1;
  const commit = async (count: number) => {
    const numbers = Array.from({ length: count }, () => next++);
    await source.transaction((tx) =>
      outbox.append(
        tx,
        numbers.map((n) => ({ contract, subject: `thing/${n}`, sequence: 1, data: { n } })),
      ),
    );
  };
  const waitFor = async (what: string, check: () => Promise<boolean> | boolean) => {
    const until = Date.now() + 5_000;
    while (!(await check()) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(await check(), what).toBe(true);
  };
  /** Every consumer but the held one has read up to the head. */
  const caughtUp = (except?: string) =>
    waitFor('consumers caught up', async () =>
      (await log.consumerStatus()).every((status) => status.consumer === except || status.lag === 0),
    );
  const kept = async () =>
    (await source.query<{ position: number }>('SELECT position FROM outbox ORDER BY position')).map((row) =>
      Number(row.position),
    );
  const inboxRows = async () =>
    Number((await target.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbox'))[0]!.n);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-retention-'));
    source = openSqlite({ file: join(dir, 'source.sqlite'), context: 'source' });
    target = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    slowDb = openSqlite({ file: join(dir, 'slow.sqlite'), context: 'slow' });
    for (const db of [source, target, slowDb]) await runMigrations(db, kernelMigrations);
    clock.set('2026-12-01T00:00:00.000Z');
    applied.clear();
    next = 1;
    heldFrom = Infinity;
  });
  afterEach(async () => {
    heldFrom = Infinity;
    await log?.close();
    await source.close();
    await target.close();
    await slowDb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops events once read by every consumer and a retention old, and inbox rows with them', async () => {
    await openLog();
    await commit(5);
    await caughtUp();
    // The first pass only dates the rows it finds.
    expect(await log.pruneRetained()).toEqual({ outbox: 0, inbox: 0 });

    clock.advance((RETENTION_HOURS + 1) * HOUR_MS);
    await commit(3);
    await caughtUp();
    expect((await log.pruneRetained()).outbox).toBe(5);
    expect(await kept()).toEqual([6, 7, 8]);

    // Inbox rows go an hour after their events could have been read again.
    expect(await inboxRows()).toBe(8);
    clock.advance(2 * HOUR_MS);
    expect(await log.pruneRetained()).toEqual({ outbox: 0, inbox: 10 });
    expect(await inboxRows()).toBe(3);

    // After a restart every consumer goes on from where it was: nothing is applied twice, nothing missed.
    await log.close();
    await openLog();
    await commit(1);
    await caughtUp();
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    expect(applied.size).toBe(9);
  });

  it('keeps what a consumer has yet to read, however old, and never the newest event', async () => {
    await openLog();
    heldFrom = 3;
    await commit(4);
    await caughtUp('test.slow');
    await log.pruneRetained();
    clock.advance((RETENTION_HOURS + 1) * HOUR_MS);
    expect((await log.pruneRetained()).outbox).toBe(2);
    expect(await kept()).toEqual([3, 4]);

    heldFrom = Infinity;
    await caughtUp();
    expect((await log.pruneRetained()).outbox).toBe(1);
    expect(await kept()).toEqual([4]);
  });

  it('keeps everything with a retention of 0', async () => {
    await openLog(0);
    await commit(3);
    await caughtUp();
    clock.advance(10_000 * HOUR_MS);
    expect(await log.pruneRetained()).toEqual({ outbox: 0, inbox: 0 });
    clock.advance(10_000 * HOUR_MS);
    expect(await log.pruneRetained()).toEqual({ outbox: 0, inbox: 0 });
    expect(await kept()).toEqual([1, 2, 3]);
  });
});
