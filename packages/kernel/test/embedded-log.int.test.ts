import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countDeadLetters,
  createEmbeddedEventLog,
  createOutbox,
  createLogger,
  kernelMigrations,
  listDeadLetters,
  openSqlite,
  redriveDeadLetters,
  retryDelayMs,
  runMigrations,
  systemClock,
  uuidV7Ids,
  type ConsumerSpec,
  type Db,
  type EventLog,
  type Tx,
} from '../src/index.js';
import { fillTheDisk, freeTheDisk } from '../src/testing/full-disk.js';
import { pino } from 'pino';

const contract = { type: 'test.thing.happened', version: 1 };
const LINGER_MS = 300;

describe('embedded event log: a busy source is applied in batches, a quiet one at once', () => {
  let dir: string;
  let source: Db;
  let target: Db;
  let log: EventLog;
  /** The transaction each applied event was handled in, by the event's number. */
  const appliedIn = new Map<number, Tx>();
  const appliedAt = new Map<number, number>();
  const outbox = createOutbox('source', { clock: systemClock, ids: uuidV7Ids });

  const commit = (...numbers: number[]) =>
    source.transaction((tx) =>
      outbox.append(
        tx,
        numbers.map((n) => ({ contract, subject: `thing/${n}`, sequence: 1, data: { n } })),
      ),
    );
  const applied = async (count: number) => {
    const until = Date.now() + 5_000;
    while (appliedIn.size < count && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    expect(appliedIn.size).toBe(count);
  };

  beforeEach(async () => {
    appliedIn.clear();
    appliedAt.clear();
    dir = mkdtempSync(join(tmpdir(), 'tillstream-log-'));
    source = openSqlite({ file: join(dir, 'source.sqlite'), context: 'source' });
    target = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    await runMigrations(source, kernelMigrations);
    await runMigrations(target, kernelMigrations);
    log = createEmbeddedEventLog({
      clock: systemClock,
      logger: createLogger({ name: 'test', level: 'silent' }),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      batchSize: 100,
      pollIntervalMs: 10_000,
      lingerMs: LINGER_MS,
    });
    await log.attachOutbox('source', source);
    await log.startConsumer({
      name: 'test.counter',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async handle(event, tx) {
        const { n } = event.data as { n: number };
        appliedIn.set(n, tx);
        appliedAt.set(n, Date.now());
      },
    });
  });
  afterEach(async () => {
    await log.close();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies an event that arrives alone without waiting', async () => {
    const committed = Date.now();
    await commit(1);
    await applied(1);
    expect(appliedAt.get(1)! - committed).toBeLessThan(LINGER_MS);
  });

  it('gathers the commits that arrive while it lingers after a batch into one transaction', async () => {
    await commit(1, 2);
    await applied(2);
    // Three producer commits while the consumer lingers after the batch of two.
    await commit(3);
    await commit(4);
    await commit(5);
    await applied(5);
    expect(appliedIn.get(1)).toBe(appliedIn.get(2));
    expect(new Set([3, 4, 5].map((n) => appliedIn.get(n))).size).toBe(1);
    expect(appliedIn.get(3)).not.toBe(appliedIn.get(1));
  });
});

describe('embedded event log: a poison event', () => {
  let dir: string;
  let source: Db;
  let target: Db;
  let log: EventLog;
  const outbox = createOutbox('source', { clock: systemClock, ids: uuidV7Ids });
  const now = () => new Date().toISOString();
  const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 };
  /** What the log warned of, by message. */
  const logged: string[] = [];

  const commit = (...keys: string[]) =>
    source.transaction((tx) =>
      outbox.append(
        tx,
        keys.map((key) => ({ contract, subject: `thing/${key}`, sequence: 1, data: { key } })),
      ),
    );
  const waitFor = async (check: () => Promise<boolean>) => {
    const until = Date.now() + 5_000;
    while (!(await check()) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(await check()).toBe(true);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-poison-'));
    source = openSqlite({ file: join(dir, 'source.sqlite'), context: 'source' });
    target = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    await runMigrations(source, kernelMigrations);
    await runMigrations(target, kernelMigrations);
    await target.transaction((tx) => tx.exec('CREATE TABLE applied (key TEXT NOT NULL)'));
    logged.length = 0;
    log = createEmbeddedEventLog({
      clock: systemClock,
      logger: pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line).msg) }),
      retry,
      batchSize: 100,
      pollIntervalMs: 10_000,
    });
    await log.attachOutbox('source', source);
  });
  afterEach(async () => {
    await log.close();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is retried with backoff, parked with its reason, lets those behind it through, and is redriven once fixed', async () => {
    const history: string[] = [];
    const failure = new Error('cannot apply this one');
    // When the poison failed alone (ms): the batch it came in fails first and is then applied event by event.
    const failedAlone: number[] = [];
    let eventsInTransaction = 0;
    let fixed = false;
    const keyOf = (data: unknown) => (data as { key: string }).key;
    const spec: ConsumerSpec = {
      name: 'target.poison-reader',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async prepare(events) {
        eventsInTransaction = events.length;
      },
      async handle(event, tx) {
        const key = keyOf(event.data);
        if (key === 'poison' && !fixed) {
          history.push('failed:poison');
          if (eventsInTransaction === 1) {
            // The source keeps committing while the poison waits: that must not cut its backoff short.
            if (failedAlone.length === 0) void commit('late');
            failedAlone.push(performance.now());
          }
          throw failure;
        }
        await tx.execute('INSERT INTO applied (key) VALUES ($1)', [key]);
        history.push(`applied:${key}`);
      },
    };
    await log.startConsumer(spec);

    await commit('before', 'poison', 'after', 'last');
    await waitFor(async () => (await log.consumerStatus())[0]!.lag === 0);
    await waitFor(async () => history.includes('applied:late'));
    const parked = await listDeadLetters(target);
    const appliedWhileParked = await target.query<{ key: string }>('SELECT key FROM applied');
    const status = await log.consumerStatus();
    fixed = true;
    const redriven = await redriveDeadLetters([spec], now);
    const redrivenAgain = await redriveDeadLetters([spec], now);

    const poisonId = parked[0]?.eventId;
    expect(parked).toEqual([
      expect.objectContaining({
        consumer: spec.name,
        source: 'source',
        position: 2,
        attempts: retry.maxAttempts,
        error: `Error: ${failure.message}`,
      }),
    ]);
    expect(failedAlone).toHaveLength(retry.maxAttempts);
    for (let attempt = 1; attempt < retry.maxAttempts; attempt += 1) {
      const shortestDelayMs = retryDelayMs(retry, attempt, () => 0);
      expect(failedAlone[attempt]! - failedAlone[attempt - 1]!).toBeGreaterThanOrEqual(shortestDelayMs);
    }
    expect(appliedWhileParked.map((row) => row.key).sort()).toEqual(['after', 'before', 'last', 'late']);
    expect(history.lastIndexOf('failed:poison')).toBeLessThan(history.indexOf('applied:after'));
    expect(status[0]).toMatchObject({ position: 5, lag: 0, deadLetters: 1 });
    expect(redriven).toEqual([{ eventId: poisonId, consumer: spec.name, outcome: 'applied' }]);
    expect(redrivenAgain).toEqual([]);
    expect(await target.query('SELECT key FROM applied WHERE key = $1', ['poison'])).toHaveLength(1);
    expect(await countDeadLetters(target, spec.name)).toBe(0);
  });

  it('waits out a full disk without spending attempts, then applies the event once there is room', async () => {
    // As a full disk would: SQLite answers SQLITE_FULL.
    await fillTheDisk(target);
    let tries = 0;
    await log.startConsumer({
      name: 'target.waiting-reader',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async handle(event, tx) {
        const { key } = event.data as { key: string };
        if (key === 'large') tries += 1;
        // 64 KB: more than the pages left.
        await tx.execute('INSERT INTO applied (key) VALUES ($1)', [
          key === 'large' ? key.padEnd(65_536) : key,
        ]);
      },
    });

    await commit('large', 'behind');
    await waitFor(async () => tries > retry.maxAttempts + 1);
    expect(await target.query('SELECT key FROM applied')).toEqual([]);
    // Once where the wait began, not at every try through it.
    expect(logged.filter((msg) => msg === 'database unavailable; event waits')).toHaveLength(1);
    await freeTheDisk(target);
    await waitFor(async () => (await target.query('SELECT key FROM applied')).length === 2);

    expect(
      (await target.query<{ key: string }>('SELECT trim(key) AS key FROM applied')).map((row) => row.key),
    ).toEqual(['large', 'behind']);
    expect(await countDeadLetters(target, 'target.waiting-reader')).toBe(0);
  });
});

describe('embedded event log: close', () => {
  let dir: string;
  let source: Db;
  let middle: Db;
  let sink: Db;
  const outbox = createOutbox('source', { clock: systemClock, ids: uuidV7Ids });
  const relayed = createOutbox('middle', { clock: systemClock, ids: uuidV7Ids });
  const relayedContract = { type: 'test.thing.relayed', version: 1 };

  const open = async (name: string) => {
    const db = openSqlite({ file: join(dir, `${name}.sqlite`), context: name });
    await runMigrations(db, kernelMigrations);
    return db;
  };
  const newLog = (retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 }) =>
    createEmbeddedEventLog({
      clock: systemClock,
      logger: createLogger({ name: 'test', level: 'silent' }),
      retry,
      batchSize: 10,
      pollIntervalMs: 10_000,
      lingerMs: 20,
    });
  const commit = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, n) =>
        source.transaction((tx) =>
          outbox.append(tx, [{ contract, subject: `thing/${n}`, sequence: 1, data: { n } }]),
        ),
      ),
    );
  const head = async (db: Db) =>
    Number(
      (await db.query<{ head: number | null }>('SELECT MAX(position) AS head FROM outbox'))[0]?.head ?? 0,
    );
  const checkpoint = async (db: Db, consumer: string, from: string) =>
    Number(
      (
        await db.query<{ position: number }>(
          'SELECT position FROM consumer_checkpoints WHERE consumer = $1 AND source = $2',
          [consumer, from],
        )
      )[0]?.position ?? 0,
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-close-'));
    [source, middle, sink] = await Promise.all([open('source'), open('middle'), open('sink')]);
  });
  afterEach(async () => {
    await Promise.all([source.close(), middle.close(), sink.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies what is committed, and what that causes downstream, before the workers stop', async () => {
    const log = newLog();
    await log.attachOutbox('source', source);
    await log.attachOutbox('middle', middle);
    // source → middle (which appends an event of its own per event) → sink, each handler a little slow.
    await log.startConsumer({
      name: 'middle.things',
      db: middle,
      sources: ['source'],
      types: [contract.type],
      async handle(event, tx) {
        await new Promise((done) => setTimeout(done, 2));
        await relayed.append(tx, [
          { contract: relayedContract, subject: event.subject!, sequence: 1, data: event.data },
        ]);
      },
    });
    await log.startConsumer({
      name: 'sink.relayed',
      db: sink,
      sources: ['middle'],
      types: [relayedContract.type],
      async handle() {
        await new Promise((done) => setTimeout(done, 2));
      },
    });
    await commit(200);
    await log.close({ drainTimeoutMs: 10_000 });

    expect(await head(source)).toBe(200);
    expect(await checkpoint(middle, 'middle.things', 'source')).toBe(200);
    expect(await head(middle)).toBe(200);
    expect(await checkpoint(sink, 'sink.relayed', 'middle')).toBe(200);
  });

  it('is bounded: a consumer that cannot keep up is stopped once the drain time is up', async () => {
    const log = newLog({ maxAttempts: 1_000, baseDelayMs: 1_000, maxDelayMs: 1_000 });
    await log.attachOutbox('source', source);
    await log.startConsumer({
      name: 'middle.failing',
      db: middle,
      sources: ['source'],
      types: [contract.type],
      async handle() {
        throw new Error('never applies');
      },
    });
    await commit(5);
    const started = Date.now();
    await log.close({ drainTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await checkpoint(middle, 'middle.failing', 'source')).toBe(0);
  });

  it('reports a consumer whose worker stopped on an error in its health', async () => {
    const log = newLog();
    await log.attachOutbox('source', source);
    const spec = (name: string, db: Db): ConsumerSpec => ({
      name,
      db,
      sources: ['source'],
      types: [contract.type],
      async handle() {},
    });
    // No kernel tables in this database: the worker cannot even read its checkpoint.
    const bare = openSqlite({ file: join(dir, 'bare.sqlite'), context: 'bare' });
    try {
      await log.startConsumer(spec('middle.fine', middle));
      expect(await log.health?.()).toEqual({ ok: true, stoppedConsumers: [] });
      await log.startConsumer(spec('bare.broken', bare));
      const until = Date.now() + 5_000;
      while ((await log.health?.())?.ok !== false && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      expect(await log.health?.()).toEqual({
        ok: false,
        stoppedConsumers: [{ consumer: 'bare.broken', source: 'source', error: expect.any(String) }],
      });
      await log.close({ drainTimeoutMs: 1_000 });
    } finally {
      await bare.close();
    }
  });
});
