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
    log = createEmbeddedEventLog({
      clock: systemClock,
      logger: createLogger({ name: 'test', level: 'silent' }),
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
});
