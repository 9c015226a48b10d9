import { afterAll, describe, expect, it } from 'vitest';
import { nanos } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { CloudEvent } from '@tillstream/contracts';
import type { Db } from '../src/db/port.js';
import { retryDelayMs, type ConsumerSpec } from '../src/events/port.js';
import { createNatsEventLog, type NatsEventLog, type NatsLogOptions } from '../src/events/nats-log.js';
import { natsNames } from '../src/events/nats-names.js';
import { countDeadLetters } from '../src/events/apply.js';
import { listDeadLetters, redriveDeadLetters } from '../src/events/dead-letters.js';
import { openPostgres } from '../src/db/postgres.js';
import { DatabaseUnavailable } from '../src/db/unavailable.js';
import { startTcpProxy, targetOf, throughProxy } from '../src/testing/tcp-proxy.js';
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

describe.skipIf(!pgUrl || !natsUrl)('NATS JetStream consumers', { timeout: 30_000 }, () => {
  const suffix = runId();
  const prefix = `TC${suffix.toUpperCase()}`;
  const names = natsNames(prefix);
  const schemas: string[] = [];
  const dbs: Db[] = [];
  const logs: NatsEventLog[] = [];
  const now = () => new Date().toISOString();

  async function startLog(overrides: Partial<NatsLogOptions> = {}): Promise<NatsEventLog> {
    const log = await createNatsEventLog(logOptions(prefix, overrides));
    logs.push(log);
    return log;
  }

  async function openDb(context: string): Promise<Db> {
    if (!schemas.includes(context)) schemas.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    return db;
  }

  /** A producing context whose outbox is relayed, and a consuming context with a table of applied events. */
  async function scenario(name: string) {
    const source = `t_${name}_src_${suffix}`;
    const sink = `t_${name}_dst_${suffix}`;
    const sourceDb = await openDb(source);
    const producer = await startLog();
    await producer.attachOutbox(source, sourceDb);
    const sinkDb = await openDb(sink);
    await sinkDb.transaction((tx) =>
      tx.exec('CREATE TABLE applied (event_id TEXT NOT NULL, instance INT NOT NULL)'),
    );
    const bus = jetstream(producer.connection);
    return {
      producer,
      source,
      sink,
      sinkDb,
      async write(events: readonly CloudEvent[]) {
        await sourceDb.transaction(async (tx) => {
          for (const event of events) await appendToOutbox(tx, event);
        });
      },
      /** Publishes a second copy of an event straight to the stream, past the stream's duplicate check. */
      async publishAgain(event: CloudEvent) {
        await bus.publish(names.subject(source, event.type), JSON.stringify(event), {
          msgID: `${event.id}-again`,
        });
      },
      async applied() {
        return sinkDb.query<{ event_id: string; instance: number }>('SELECT event_id, instance FROM applied');
      },
    };
  }

  function recordingSpec(
    consumerName: string,
    db: Db,
    source: string,
    type: string,
    instance = 0,
  ): ConsumerSpec {
    return {
      name: consumerName,
      db,
      sources: [source],
      types: [type],
      async handle(event, tx) {
        await tx.execute('INSERT INTO applied (event_id, instance) VALUES ($1, $2)', [event.id, instance]);
      },
    };
  }

  afterAll(async () => {
    await Promise.allSettled(logs.map((log) => log.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
    await deleteStreams(prefix);
  });

  it('applies an event published twice exactly once and reports its position', async () => {
    const flow = await scenario('dup');
    const events = Array.from({ length: 5 }, (_, index) =>
      testEvent(flow.source, 'test.dup.made', `dup/${index}`),
    );
    await flow.write(events);
    for (const event of events) await flow.publishAgain(event);
    const log = await startLog();
    await log.startConsumer(recordingSpec('sink.dup-reader', flow.sinkDb, flow.source, 'test.dup.made'));

    await waitFor(async () => (await log.consumerStatus())[0]!.position === 10);

    const applied = await flow.applied();
    expect(applied.map((row) => row.event_id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(await log.consumerStatus()).toEqual([
      { consumer: 'sink.dup-reader', source: flow.source, pending: 0, position: 10, lag: 0, deadLetters: 0 },
    ]);
  });

  it('acknowledges events of types it does not handle without a transaction, and applies the one it does', async () => {
    const flow = await scenario('skip');
    let transactions = 0;
    const counted: Db = {
      ...flow.sinkDb,
      transaction: (work) => {
        transactions += 1;
        return flow.sinkDb.transaction(work);
      },
    };
    const others = Array.from({ length: 12 }, (_, index) =>
      testEvent(flow.source, 'test.skip.other', `skip/${index}`),
    );
    await flow.write(others);
    const log = await startLog({ batchSize: 5 });
    await log.startConsumer(recordingSpec('sink.skip-reader', counted, flow.source, 'test.skip.wanted'));
    await waitFor(async () => (await log.consumerStatus())[0]!.position === 12);
    expect(transactions).toBe(0);

    const wanted = testEvent(flow.source, 'test.skip.wanted', 'skip/wanted');
    await flow.write([wanted]);
    await waitFor(async () => (await log.consumerStatus())[0]!.position === 13);
    expect((await flow.applied()).map((row) => row.event_id)).toEqual([wanted.id]);
    expect((await log.consumerStatus())[0]).toMatchObject({ lag: 0, pending: 0 });
  });

  it('shares a durable between two processes and still applies every event once', async () => {
    const flow = await scenario('share');
    const instances = [0, 1];
    const consumerLogs = await Promise.all(instances.map(() => startLog()));
    for (const instance of instances) {
      const db = await openDb(flow.sink);
      const spec = recordingSpec('sink.shared', db, flow.source, 'test.share.made', instance);
      const handle = spec.handle;
      // A little work per event, so both processes get their share of the stream.
      spec.handle = async (event, tx) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await handle(event, tx);
      };
      await consumerLogs[instance]!.startConsumer(spec);
    }
    const events = Array.from({ length: 100 }, (_, index) =>
      testEvent(flow.source, 'test.share.made', `share/${index}`),
    );

    for (let start = 0; start < events.length; start += 10) await flow.write(events.slice(start, start + 10));
    for (const event of events) await flow.publishAgain(event);
    await waitFor(async () => (await consumerLogs[0]!.consumerStatus())[0]!.position === 200);

    const applied = await flow.applied();
    expect(applied).toHaveLength(events.length);
    expect(new Set(applied.map((row) => row.event_id))).toEqual(new Set(events.map((event) => event.id)));
    expect(new Set(applied.map((row) => row.instance))).toEqual(new Set(instances));
  });

  it('lets an event in flight commit and be acknowledged when the log closes', async () => {
    const flow = await scenario('close');
    const event = testEvent(flow.source, 'test.close.made', 'close/1');
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const spec = recordingSpec('sink.closing', flow.sinkDb, flow.source, 'test.close.made');
    const record = spec.handle;
    spec.handle = async (event, tx) => {
      handlerStarted();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await record(event, tx);
    };
    const log = await startLog();
    await log.startConsumer(spec);

    await flow.write([event]);
    await started;
    await log.close();
    const manager = await jetstreamManager(flow.producer.connection);
    const info = await manager.consumers.info(names.stream(flow.source), names.durable(spec.name));

    expect((await flow.applied()).map((row) => row.event_id)).toEqual([event.id]);
    expect(info).toMatchObject({ ack_floor: { stream_seq: 1 }, num_ack_pending: 0, num_pending: 0 });
  });

  it('sets its ack wait on a durable that an earlier start made with another one', async () => {
    const flow = await scenario('ackwait');
    const spec = recordingSpec('sink.ack-wait', flow.sinkDb, flow.source, 'test.ackwait.made');
    const ackWaitOf = async (log: NatsEventLog) => {
      const manager = await jetstreamManager(log.connection);
      return (await manager.consumers.info(names.stream(flow.source), names.durable(spec.name))).config
        .ack_wait;
    };
    const before = await startLog({ ackWaitMs: 10_000 });
    await before.startConsumer(spec);
    expect(await ackWaitOf(before)).toBe(nanos(10_000));
    await before.close();

    const after = await startLog({ ackWaitMs: 4_000 });
    await after.startConsumer(spec);

    expect(await ackWaitOf(after)).toBe(nanos(4_000));
  });

  it('parks a poison event after its attempts, applies those behind it, and redrives it once fixed', async () => {
    const flow = await scenario('poison');
    const [before, poison, after, last] = ['before', 'poison', 'after', 'last'].map((key) =>
      testEvent(flow.source, 'test.poison.made', `poison/${key}`),
    ) as [CloudEvent, CloudEvent, CloudEvent, CloudEvent];
    const history: string[] = [];
    const failure = new Error('cannot apply this one');
    // When the poison failed alone (ms): a batch it is in fails first and is then applied event by event,
    // so each delivery ends with exactly one such failure.
    const failedAlone: number[] = [];
    let eventsInTransaction = 0;
    let fixed = false;
    const spec = recordingSpec('sink.poison-reader', flow.sinkDb, flow.source, 'test.poison.made');
    const record = spec.handle;
    spec.prepare = async (events) => {
      eventsInTransaction = events.length;
    };
    spec.handle = async (event, tx) => {
      if (event.id === poison.id && !fixed) {
        history.push('failed:poison');
        if (eventsInTransaction === 1) failedAlone.push(performance.now());
        throw failure;
      }
      await record(event, tx);
      history.push(`applied:${event.subject}`);
    };
    const retry = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 400 };
    const log = await startLog({ retry });
    await log.startConsumer(spec);

    await flow.write([before, poison, after, last]);
    await waitFor(async () => (await listDeadLetters(flow.sinkDb)).length === 1);
    await waitFor(async () => (await log.consumerStatus())[0]!.lag === 0);
    const parked = await listDeadLetters(flow.sinkDb);
    const appliedWhileParked = (await flow.applied()).map((row) => row.event_id);
    const status = await log.consumerStatus();
    fixed = true;
    const redriven = await redriveDeadLetters([spec], now);
    const redrivenAgain = await redriveDeadLetters([spec], now);

    expect(parked).toEqual([
      expect.objectContaining({
        eventId: poison.id,
        consumer: spec.name,
        attempts: 3,
        error: `Error: ${failure.message}`,
      }),
    ]);
    expect(failedAlone).toHaveLength(retry.maxAttempts);
    for (let attempt = 1; attempt < retry.maxAttempts; attempt += 1) {
      const shortestDelayMs = retryDelayMs(retry, attempt, () => 0);
      expect(failedAlone[attempt]! - failedAlone[attempt - 1]!).toBeGreaterThanOrEqual(shortestDelayMs);
    }
    expect(appliedWhileParked.sort()).toEqual([before.id, after.id, last.id].sort());
    expect(history.indexOf(`applied:${last.subject}`)).toBeLessThan(history.lastIndexOf('failed:poison'));
    expect(status[0]).toMatchObject({ position: 4, lag: 0, deadLetters: 1 });
    expect(redriven).toEqual([{ eventId: poison.id, consumer: spec.name, outcome: 'applied' }]);
    expect(redrivenAgain).toEqual([]);
    expect((await flow.applied()).filter((row) => row.event_id === poison.id)).toHaveLength(1);
    expect(await countDeadLetters(flow.sinkDb, spec.name)).toBe(0);
  });

  it('keeps what it received while its database is unreachable, and applies each event once when it is back', async () => {
    const flow = await scenario('outage');
    // The consumer's own database, reached through a hop the test cuts; the source's stays up, so the
    // relay keeps publishing and the consumer keeps receiving what it cannot apply.
    const proxy = await startTcpProxy(targetOf(pgUrl!, 5432));
    const sinkDb = await openPostgres({ url: throughProxy(pgUrl!, proxy), context: flow.sink, poolSize: 3 });
    dbs.push(sinkDb);
    try {
      const retry = { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 100 };
      // An ack wait shorter than the outage: the batch is kept by telling JetStream it is still worked on.
      const log = await startLog({ retry, ackWaitMs: 2_000 });
      const spec = recordingSpec('sink.outage-reader', sinkDb, flow.source, 'test.outage.made');
      await log.startConsumer(spec);
      const manager = await jetstreamManager(log.connection);
      const durable = () => manager.consumers.info(names.stream(flow.source), names.durable(spec.name));

      proxy.cut();
      const events = Array.from({ length: 4 }, (_, index) =>
        testEvent(flow.source, 'test.outage.made', `outage/${index}`),
      );
      await flow.write(events);
      await waitFor(async () => (await durable()).delivered.consumer_seq === events.length);
      await waitFor(async () => (await log.health?.())?.ok === false);
      // Past the ack wait and several tries of the database.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await flow.applied()).toEqual([]);
      proxy.restore();

      await waitFor(async () => (await flow.applied()).length === events.length);
      expect((await flow.applied()).map((row) => row.event_id).sort()).toEqual(
        events.map((event) => event.id).sort(),
      );
      expect(await countDeadLetters(sinkDb, spec.name)).toBe(0);
      // Never handed back, so never delivered again: no attempt was spent on the outage.
      expect((await durable()).num_redelivered).toBe(0);
      await waitFor(async () => (await log.health?.())?.ok === true);
    } finally {
      await proxy.close();
    }
  });

  it('spends no attempt of an event on its database being unavailable, so never parks it for that', async () => {
    const flow = await scenario('blip');
    const [first, second] = ['first', 'second'].map((key) =>
      testEvent(flow.source, 'test.blip.made', `blip/${key}`),
    ) as [CloudEvent, CloudEvent];
    const retry = { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 };
    let unavailableFor = retry.maxAttempts + 1;
    const spec = recordingSpec('sink.blip-reader', flow.sinkDb, flow.source, 'test.blip.made');
    const record = spec.handle;
    // As if each connection dropped as the event was applied, the database answering again at once: the
    // dead-letter store would take the event every time.
    spec.handle = async (event, tx) => {
      if (event.id === first.id && unavailableFor > 0) {
        unavailableFor -= 1;
        throw new DatabaseUnavailable(flow.sink, new Error('Connection terminated unexpectedly'));
      }
      await record(event, tx);
    };
    const log = await startLog({ retry });
    await log.startConsumer(spec);

    await flow.write([first, second]);
    await waitFor(async () => (await flow.applied()).length === 2);
    expect(unavailableFor).toBe(0);
    expect(await countDeadLetters(flow.sinkDb, spec.name)).toBe(0);
  });
});
