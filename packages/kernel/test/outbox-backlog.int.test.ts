import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmbeddedEventLog,
  createLogger,
  createOutbox,
  kernelMigrations,
  openSqlite,
  registerMetrics,
  runMigrations,
  systemClock,
  uuidV7Ids,
  type Db,
  type EventLog,
} from '../src/index.js';

const contract = { type: 'test.thing.happened', version: 1 };

/**
 * On the embedded engine the outbox is the log: a committed row is already what consumers read, so nothing
 * is ever waiting to be relayed and the backlog is 0 by definition, not by omission. Events a consumer has
 * not applied yet are its lag; the metric's help text says so, so that nobody reads 0 as "all applied".
 */
describe('the outbox backlog on the embedded engine', () => {
  let dir: string;
  let source: Db;
  let target: Db;
  let log: EventLog;
  let release: () => void;
  let handling: Promise<void>;
  const outbox = createOutbox('source', { clock: systemClock, ids: uuidV7Ids });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-backlog-'));
    source = openSqlite({ file: join(dir, 'source.sqlite'), context: 'source' });
    target = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    await runMigrations(source, kernelMigrations);
    await runMigrations(target, kernelMigrations);
    log = createEmbeddedEventLog({
      clock: systemClock,
      logger: createLogger({ name: 'test', level: 'silent' }),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      batchSize: 1,
      pollIntervalMs: 10_000,
      drainTimeoutMs: 0,
    });
    await log.attachOutbox('source', source);
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void;
    handling = new Promise((resolve) => (started = resolve));
    await log.startConsumer({
      name: 'test.stuck',
      db: target,
      sources: ['source'],
      types: [contract.type],
      async handle() {
        started();
        await gate;
      },
    });
  });
  afterEach(async () => {
    release();
    await log.close();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is 0 while a consumer has yet to apply what is committed, which is its lag', async () => {
    for (const n of [1, 2, 3])
      await source.transaction((tx) =>
        outbox.append(tx, [{ contract, subject: `thing/${n}`, sequence: 1, data: { n } }]),
      );
    await handling;
    expect(await log.outboxStatus()).toEqual([{ context: 'source', backlog: 0, head: 3 }]);
    const [status] = await log.consumerStatus();
    expect(status).toMatchObject({ consumer: 'test.stuck', source: 'source', position: 0, lag: 3 });
  });

  it('says so in the help text of tillstream_outbox_backlog', async () => {
    const app = Fastify();
    registerMetrics(app, log);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /# HELP tillstream_outbox_backlog .*always 0 on the embedded engine.*tillstream_consumer_lag/,
    );
    expect(metrics).toContain('tillstream_outbox_backlog{context="source"} 0');
    await app.close();
  });
});

describe('the outbox backlog on the scale-out engine', () => {
  it('is described as what the relay has yet to move to NATS', async () => {
    const relayed: EventLog = {
      kind: 'nats',
      attachOutbox: async () => {},
      startConsumer: async () => {},
      consumerStatus: async () => [],
      outboxStatus: async () => [{ context: 'pos', backlog: 4, head: 10 }],
      close: async () => {},
    };
    const app = Fastify();
    registerMetrics(app, relayed);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /# HELP tillstream_outbox_backlog Committed outbox events not yet relayed to NATS/,
    );
    expect(metrics).not.toContain('embedded');
    expect(metrics).toContain('tillstream_outbox_backlog{context="pos"} 4');
    await app.close();
  });
});
