import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Db } from '../src/db/port.js';
import { startTcpProxy, targetOf } from '../src/testing/tcp-proxy.js';
import type { ConsumerSpec } from '../src/events/port.js';
import { createNatsEventLog, type NatsEventLog } from '../src/events/nats-log.js';
import { natsNames } from '../src/events/nats-names.js';
import {
  appendToOutbox,
  deleteStreams,
  dropSchemas,
  logOptions,
  natsUrl,
  openContextDb,
  pgUrl,
  runId,
  testEvent,
  waitFor,
} from './scale-out.support.js';

describe.skipIf(!pgUrl || !natsUrl)('NATS event log health', { timeout: 30_000 }, () => {
  const suffix = runId();
  const prefix = `TH${suffix.toUpperCase()}`;
  const names = natsNames(prefix);
  const schemas: string[] = [];
  const dbs: Db[] = [];
  const logs: NatsEventLog[] = [];

  afterAll(async () => {
    await Promise.allSettled(logs.map((log) => log.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
    await deleteStreams(prefix);
  });

  /** A context whose outbox the log relays, and a consumer of it in its own database. */
  async function relayedContextWithConsumer(name: string, servers = natsUrl!) {
    const source = `t_${name}_src_${suffix}`;
    const sink = `t_${name}_dst_${suffix}`;
    schemas.push(source, sink);
    const sourceDb = await openContextDb(source);
    const sinkDb = await openContextDb(sink);
    dbs.push(sourceDb, sinkDb);
    const log = await createNatsEventLog(logOptions(prefix, { servers }));
    logs.push(log);
    await log.attachOutbox(source, sourceDb);
    const spec: ConsumerSpec = {
      name: `${name}.reader`,
      db: sinkDb,
      sources: [source],
      types: '*',
      handle: async () => {},
    };
    await log.startConsumer(spec);
    return { log, source, sourceDb, consumer: spec.name };
  }

  async function deleteStream(stream: string): Promise<void> {
    const connection = await connect({ servers: natsUrl! });
    try {
      await (await jetstreamManager(connection)).streams.delete(stream);
    } finally {
      await connection.close();
    }
  }

  it('is healthy while the bus answers, the relay gets through and the consumers pull', async () => {
    const { log, source, sourceDb } = await relayedContextWithConsumer('fine');
    await sourceDb.transaction((tx) => appendToOutbox(tx, testEvent(source, 'test.health.fine', 'h/1')));
    await waitFor(async () => (await log.outboxStatus())[0]?.backlog === 0);
    expect(await log.health?.()).toEqual({ ok: true, stoppedConsumers: [], problems: [] });
  });

  it('names a consumer that cannot pull and a relay that cannot publish once their stream is gone', async () => {
    const { log, source, sourceDb, consumer } = await relayedContextWithConsumer('gone');
    await deleteStream(names.stream(source));
    // The relay publishes with the stream's name expected, so it fails rather than feed a stray stream.
    await sourceDb.transaction((tx) => appendToOutbox(tx, testEvent(source, 'test.health.gone', 'h/2')));
    await waitFor(async () => {
      const checks = (await log.health?.())?.problems?.map((problem) => problem.check) ?? [];
      return checks.includes('consumer') && checks.includes('relay');
    });
    const health = await log.health!();
    expect(health.ok).toBe(false);
    expect(health.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'consumer', consumer, source }),
        expect.objectContaining({ check: 'relay', context: source }),
      ]),
    );
    expect(health.problems?.map((problem) => problem.check)).not.toContain('bus');
  });

  it('names the bus once the NATS connection is closed', async () => {
    const { log } = await relayedContextWithConsumer('closed');
    expect((await log.health?.())?.ok).toBe(true);
    await log.connection.close();
    const health = await log.health!();
    expect(health.ok).toBe(false);
    expect(health.problems).toContainEqual({ check: 'bus', detail: expect.stringContaining('closed') });
  });

  it('names the bus while the connection is down and reconnecting, and clears once it is back', async () => {
    const proxy = await startTcpProxy(targetOf(natsUrl!, 4222));
    try {
      const { log } = await relayedContextWithConsumer('blip', `nats://127.0.0.1:${proxy.port}`);
      expect((await log.health?.())?.ok).toBe(true);
      proxy.cut();
      await waitFor(async () =>
        Boolean((await log.health?.())?.problems?.some((problem) => problem.check === 'bus')),
      );
      expect((await log.health!()).problems).toContainEqual({
        check: 'bus',
        detail: expect.stringContaining('reconnecting'),
      });
      proxy.restore();
      await waitFor(
        async () => !(await log.health?.())?.problems?.some((problem) => problem.check === 'bus'),
      );
    } finally {
      await proxy.close();
    }
  });
});
