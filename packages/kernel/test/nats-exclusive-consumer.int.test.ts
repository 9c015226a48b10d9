import { afterAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import type { Db, DbSession } from '../src/db/port.js';
import type { ConsumerSpec } from '../src/events/port.js';
import { createNatsEventLog, type NatsEventLog, type NatsLogOptions } from '../src/events/nats-log.js';
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

/** Short enough that a takeover after a crash fits a test; the leader checks its lock every 100 ms. */
const FAST: Partial<NatsLogOptions> = { ackWaitMs: 2_000, leaderRetryMs: 100, batchSize: 5 };

/**
 * An exclusive consumer run by two "processes" (two event logs, each with its own NATS connection and its own
 * PostgreSQL lock session): one applies, the other stands by and takes over, and the source's order holds.
 */
describe.skipIf(!pgUrl || !natsUrl)('exclusive NATS consumers', { timeout: 40_000 }, () => {
  const suffix = runId();
  const prefix = `TX${suffix.toUpperCase()}`;
  const schemas: string[] = [];
  const dbs: Db[] = [];
  const logs: NatsEventLog[] = [];

  async function openDb(context: string): Promise<Db> {
    if (!schemas.includes(context)) schemas.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    return db;
  }

  async function startLog(overrides: Partial<NatsLogOptions> = {}): Promise<NatsEventLog> {
    const log = await createNatsEventLog(logOptions(prefix, overrides));
    logs.push(log);
    return log;
  }

  /** A relayed source, and a sink recording each applied event with the instance that applied it, in order. */
  async function scenario(name: string) {
    const source = `x_${name}_src_${suffix}`;
    const sink = `x_${name}_dst_${suffix}`;
    const sourceDb = await openDb(source);
    await (await startLog()).attachOutbox(source, sourceDb);
    const sinkDb = await openDb(sink);
    await sinkDb.transaction((tx) =>
      tx.exec(
        'CREATE TABLE applied (id BIGSERIAL PRIMARY KEY, sequence INT NOT NULL, instance TEXT NOT NULL)',
      ),
    );
    let sequence = 0;
    return {
      source,
      sinkDb,
      /** Writes `count` changes of one subject, a transaction each, and returns them. */
      async write(count: number): Promise<CloudEvent[]> {
        const events: CloudEvent[] = [];
        for (let index = 0; index < count; index += 1) {
          const event = testEvent(source, 'test.key.changed', 'key/1', (sequence += 1));
          await sourceDb.transaction((tx) => appendToOutbox(tx, event));
          events.push(event);
        }
        return events;
      },
      async applied() {
        return sinkDb.query<{ sequence: number; instance: string }>(
          'SELECT sequence, instance FROM applied ORDER BY id',
        );
      },
    };
  }

  function exclusiveSpec(db: Db, source: string, instance: string): ConsumerSpec {
    return {
      // Named per scenario, as the lock is: each scenario's instances compete for their own.
      name: `sink.ordered-${source}`,
      db,
      sources: [source],
      types: '*',
      exclusive: true,
      async handle(event, tx) {
        await tx.execute('INSERT INTO applied (sequence, instance) VALUES ($1, $2)', [
          event.sequence,
          instance,
        ]);
      },
    };
  }

  const leads = async (log: NatsEventLog) => (await log.consumerStatus())[0]?.leader === true;

  afterAll(async () => {
    await Promise.allSettled(logs.map((log) => log.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
    await deleteStreams(prefix);
  });

  it('applies with one instance only while the other stands by', async () => {
    const flow = await scenario('one');
    const [first, second] = [await startLog(FAST), await startLog(FAST)];
    await first.startConsumer(exclusiveSpec(flow.sinkDb, flow.source, 'first'));
    await waitFor(() => leads(first));
    await second.startConsumer(exclusiveSpec(await openDb(`x_one_dst_${suffix}`), flow.source, 'second'));

    await flow.write(40);
    await waitFor(async () => (await flow.applied()).length === 40);

    // Acknowledged just after the commit the rows show.
    await waitFor(async () => (await first.consumerStatus())[0]!.lag === 0);

    const applied = await flow.applied();
    expect(applied.map((row) => row.sequence)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
    expect(new Set(applied.map((row) => row.instance))).toEqual(new Set(['first']));
    expect((await first.consumerStatus())[0]).toMatchObject({ leader: true });
    expect((await second.consumerStatus())[0]).toMatchObject({ leader: false, lag: 0 });
  });

  /**
   * A leading first instance whose handler hangs at `sequence` until `resume` (throwing if given an error),
   * with a standby second instance behind it. `endSessions` ends the first's lock sessions as PostgreSQL does
   * for a process that crashed or froze, and lets it open no new one.
   */
  async function leaderHangingAt(flow: Awaited<ReturnType<typeof scenario>>, sequence: number) {
    const sessions: DbSession[] = [];
    let cutOff = false;
    const sessionsDb: Db = {
      ...flow.sinkDb,
      async openSession() {
        if (cutOff) throw new Error('this process lost its database sessions');
        const session = await flow.sinkDb.openSession!();
        sessions.push(session);
        return session;
      },
    };
    let reachedHang!: () => void;
    const hanging = new Promise<void>((resolve) => (reachedHang = resolve));
    let resume!: (error?: Error) => void;
    const resumed = new Promise<void>((resolve, reject) => {
      resume = (error) => (error ? reject(error) : resolve());
    });
    const first = await startLog(FAST);
    const spec = exclusiveSpec(sessionsDb, flow.source, 'first');
    const record = spec.handle;
    spec.handle = async (event, tx) => {
      if (event.sequence === sequence) {
        reachedHang();
        await resumed;
      }
      await record(event, tx);
    };
    await first.startConsumer(spec);
    await waitFor(() => leads(first));
    const second = await startLog(FAST);
    await second.startConsumer(exclusiveSpec(flow.sinkDb, flow.source, 'second'));
    return {
      first,
      second,
      hanging,
      resume,
      async endSessions() {
        cutOff = true;
        for (const session of sessions) {
          const [row] = await session
            .query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
            .catch(() => []);
          if (row) await flow.sinkDb.query('SELECT pg_terminate_backend($1)', [row.pid]);
        }
      },
    };
  }

  /** Sequences 1–30 each applied once, in order, and from 8 on (the hung batch) by the second instance. */
  async function expectHandedOverAt8(flow: Awaited<ReturnType<typeof scenario>>) {
    const applied = await flow.applied();
    expect(applied.map((row) => row.sequence)).toEqual(Array.from({ length: 30 }, (_, n) => n + 1));
    expect(applied.filter((row) => row.sequence >= 8).map((row) => row.instance)).toEqual(
      Array(23).fill('second'),
    );
    return applied;
  }

  it('hands over in order when the leader dies with a batch in flight', async () => {
    const flow = await scenario('crash');
    const { first, second, hanging, resume, endSessions } = await leaderHangingAt(flow, 8);

    await flow.write(10);
    await hanging;
    // The crash: its lock session and its NATS connection end, and its batch in flight never commits.
    await endSessions();
    await waitFor(async () => !(await leads(first)));
    await first.connection.close();
    resume(new Error('crashed'));
    // Written after the crash: the new leader must not apply these before the crashed batch comes back.
    await flow.write(20);
    await waitFor(async () => (await flow.applied()).length === 30, 20_000);
    await waitFor(async () => (await second.consumerStatus())[0]!.lag === 0);

    const applied = await expectHandedOverAt8(flow);
    expect(applied.some((row) => row.instance === 'first')).toBe(true);
    expect((await second.consumerStatus())[0]).toMatchObject({ leader: true });
  });

  it('commits nothing of a batch a frozen leader wakes with once a standby leads; the standby applies it in order', async () => {
    const flow = await scenario('frozen');
    const { second, hanging, resume, endSessions } = await leaderHangingAt(flow, 8);

    await flow.write(10);
    await hanging;
    // The freeze: PostgreSQL ends the idle lock session (idle_session_timeout), and the standby takes the lock;
    // unlike a crash, the frozen process keeps its NATS connection and its transaction with the batch.
    await endSessions();
    await waitFor(() => leads(second));
    await flow.write(20);
    // The new leader waits out the ack wait, then gets the frozen batch back (and waits on its inbox rows).
    await new Promise((resolve) => setTimeout(resolve, FAST.ackWaitMs! + 1_500));
    resume();
    await waitFor(async () => (await flow.applied()).length === 30, 20_000);
    await waitFor(async () => (await second.consumerStatus())[0]!.lag === 0);

    await expectHandedOverAt8(flow);
  });

  it('hands over at once, without waiting out an ack wait, when the leader shuts down', async () => {
    const flow = await scenario('shutdown');
    // An ack wait longer than the test waits: a standby that waited it out would time the test out.
    const slowAck = { ...FAST, ackWaitMs: 60_000 };
    const first = await startLog(slowAck);
    await first.startConsumer(exclusiveSpec(flow.sinkDb, flow.source, 'first'));
    await waitFor(() => leads(first));
    const second = await startLog(slowAck);
    await second.startConsumer(exclusiveSpec(flow.sinkDb, flow.source, 'second'));
    await flow.write(5);
    await waitFor(async () => (await flow.applied()).length === 5);

    await first.close();
    await flow.write(5);
    await waitFor(async () => (await flow.applied()).length === 10, 10_000);

    const applied = await flow.applied();
    expect(applied.map((row) => row.sequence)).toEqual(Array.from({ length: 10 }, (_, n) => n + 1));
    expect(applied.map((row) => row.instance)).toEqual([
      ...Array(5).fill('first'),
      ...Array(5).fill('second'),
    ]);
  });
});
