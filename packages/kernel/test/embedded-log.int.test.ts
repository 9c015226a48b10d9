import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmbeddedEventLog,
  createOutbox,
  createLogger,
  kernelMigrations,
  openSqlite,
  runMigrations,
  systemClock,
  uuidV7Ids,
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
