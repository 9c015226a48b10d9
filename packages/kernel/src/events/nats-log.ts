import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstreamManager,
  type Consumer,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type {
  ConsumerSpec,
  ConsumerStatus,
  EventLog,
  EventLogHealth,
  EventLogProblem,
  OutboxStatus,
  RetryPolicy,
} from './port.js';
import { countDeadLetters } from './apply.js';
import { natsNames } from './nats-names.js';
import { startNatsWorker, type NatsWorker } from './nats-consumer-worker.js';
import { startPgOutboxRelay, type PgOutboxRelay, type RelayedRow } from './pg-outbox-relay.js';
import { startRetention } from './pg-retention.js';
import { watchConnection } from './nats-health.js';
import { startConsumerLeadership, type ConsumerLeadership } from './consumer-leadership.js';

export interface NatsLogOptions {
  /** NATS server URL(s), comma-separated: `nats://127.0.0.1:4222`. */
  servers: string;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** Outbox rows relayed per round, and messages pulled and applied together by a consumer. */
  batchSize: number;
  /** How often the relay looks for rows committed by other instances of its context. */
  pollIntervalMs: number;
  /** Prefix of stream names (`TILLSTREAM_POS`) and, lower-cased, of subjects. Defaults to `TILLSTREAM`. */
  streamPrefix?: string;
  /**
   * How long JetStream waits for an ack before redelivering to another instance; defaults to 30 s. A worker
   * still applying a batch extends it every half of this. Set on each durable at every start.
   */
  ackWaitMs?: number;
  /**
   * How often a standby instance of an exclusive consumer tries to take the lead, and how often the leader
   * checks it still holds it; defaults to 3 s.
   */
  leaderRetryMs?: number;
  /**
   * Hours an outbox row is kept once relayed (the stream holds the event); 0 keeps every row. Defaults to
   * 168 (a week).
   */
  outboxRetentionHours?: number;
  /**
   * Hours each stream keeps an event (its max age), and so the consumers' inboxes their rows (pg-retention.ts);
   * 0, the default, keeps every event. A consumer stopped for longer than this misses the events that aged out.
   */
  eventRetentionHours?: number;
}

export interface NatsEventLog extends EventLog {
  readonly kind: 'nats';
  /** The underlying connection, for health checks. */
  readonly connection: NatsConnection;
}

/** The relay re-publishes after a crash between publish and checkpoint; this window drops those repeats. */
const DUPLICATE_WINDOW_MS = 5 * 60_000;
const STREAM_NAME_IN_USE = 10058;
/**
 * What the server may answer instead when another process created the very same stream a moment before: its
 * subjects are taken (by that stream). Seen on NATS 2.9 when two instances of a context start together.
 */
const STREAM_SUBJECT_OVERLAP = 10065;

/**
 * The scale-out event log on NATS JetStream (server 2.9 or newer). Each context has one file-backed stream;
 * the process that owns a context's PostgreSQL database relays its outbox there, gap-safe; consumers are
 * durable pull consumers shared by every instance of the consuming service, applying events exactly once
 * in effect through the inbox of their own database.
 */
export async function createNatsEventLog(options: NatsLogOptions): Promise<NatsEventLog> {
  const { logger } = options;
  const streamPrefix = options.streamPrefix ?? 'TILLSTREAM';
  const names = natsNames(streamPrefix);
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const connection = await connect({
    servers: options.servers.split(','),
    name: 'tillstream',
    maxReconnectAttempts: -1,
  });
  const manager = await jetstreamManager(connection);
  const bus = watchConnection(connection);
  const client = manager.jetstream();
  const streams = new Map<string, Promise<void>>();
  const relays = new Map<string, PgOutboxRelay>();
  const retention = startRetention({
    logger,
    clock: options.clock,
    settings: {
      outboxHours: options.outboxRetentionHours ?? 168,
      eventHours: options.eventRetentionHours ?? 0,
    },
  });
  const consumers: ConsumerSpec[] = [];
  const workers: Array<{ consumer: string; source: string; worker: NatsWorker }> = [];
  const leaderships = new Map<string, ConsumerLeadership>();
  let closed = false;
  const now = () => options.clock.now().toISOString();

  /** Creates or updates a context's stream; safe when several processes start together. */
  async function putStream(context: string): Promise<void> {
    const config: Partial<StreamConfig> & { name: string } = {
      name: names.stream(context),
      subjects: [names.streamSubjects(context)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      // Set at every start, 0 included: the setting decides, and turning it off keeps events again.
      max_age: nanos((options.eventRetentionHours ?? 0) * 3_600_000),
    };
    try {
      await manager.streams.add(config);
    } catch (error) {
      const taken =
        error instanceof JetStreamApiError &&
        (error.code === STREAM_NAME_IN_USE || error.code === STREAM_SUBJECT_OVERLAP);
      if (!taken) throw error;
      const { name, ...update } = config;
      // Another stream holding the subjects (not ours under this name) makes the update fail: that one throws.
      await manager.streams.update(name, update).catch(() => {
        throw error;
      });
    }
  }

  function ensureStream(context: string): Promise<void> {
    let ready = streams.get(context);
    if (!ready) {
      ready = putStream(context).catch((error: unknown) => {
        streams.delete(context);
        throw error;
      });
      streams.set(context, ready);
    }
    return ready;
  }

  /**
   * Creates the durable. The server (2.9) treats an identical create as a no-op and a changed one as an
   * update, so a durable made with another ack wait gets this one; all instances share the durable, so the
   * last one to start sets it.
   * `max_deliver` stays unlimited: the worker parks an event after `retry.maxAttempts` itself, and a server
   * limit would silently strand a message whose dead-lettering failed (e.g. while its database is down).
   */
  async function putConsumer(spec: ConsumerSpec, source: string): Promise<Consumer> {
    const stream = names.stream(source);
    const durable = names.durable(spec.name);
    const ackWait = nanos(ackWaitMs);
    const existing = await manager.consumers.info(stream, durable).catch(() => null);
    // An existing durable keeps its position; only its ack wait follows the setting. An explicit update, since
    // NATS 2.10+ refuses to re-add a durable whose configuration differs (2.9 silently updated it).
    if (existing) {
      if (existing.config.ack_wait !== ackWait)
        await manager.consumers.update(stream, durable, { ack_wait: ackWait });
      return client.consumers.get(stream, durable);
    }
    await manager.consumers.add(stream, {
      durable_name: durable,
      description: `tillstream consumer ${spec.name}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.streamSubjects(source),
      ack_wait: ackWait,
      max_deliver: -1,
    });
    return client.consumers.get(stream, durable);
  }

  /** Publishes pipelined on one connection, so the stream stores them in the order given. */
  async function publishRows(context: string, rows: readonly RelayedRow[]): Promise<void> {
    const streamName = names.stream(context);
    await Promise.all(
      rows.map((row) =>
        client.publish(names.subject(context, row.type), row.envelope, {
          msgID: row.id,
          expect: { streamName },
        }),
      ),
    );
  }

  return {
    kind: 'nats',
    connection,
    async attachOutbox(context, db) {
      if (db.dialect !== 'postgres') {
        throw new Error(`the NATS event log relays PostgreSQL outboxes only; ${context} is on ${db.dialect}`);
      }
      if (relays.has(context)) return;
      await ensureStream(context);
      const relay = await startPgOutboxRelay({
        context,
        db,
        logger,
        batchSize: options.batchSize,
        pollIntervalMs: options.pollIntervalMs,
        publish: (rows) => publishRows(context, rows),
      });
      relays.set(context, relay);
      retention.watchOutbox(context, db);
    },
    async startConsumer(spec) {
      if (closed) throw new Error(`event log is closed; cannot start ${spec.name}`);
      consumers.push(spec);
      retention.watchInbox(spec.db);
      // One lock per consumer, whatever its sources: the instance that leads pulls them all.
      const leadership = spec.exclusive
        ? startConsumerLeadership({
            db: spec.db,
            key: `${streamPrefix}:${spec.name}`,
            retryMs: options.leaderRetryMs ?? 3_000,
            logger,
          })
        : undefined;
      if (leadership) leaderships.set(spec.name, leadership);
      for (const source of spec.sources) {
        await ensureStream(source);
        const consumer = await putConsumer(spec, source);
        workers.push({
          consumer: spec.name,
          source,
          worker: startNatsWorker({
            spec,
            source,
            consumer,
            reconnect: async () => {
              await ensureStream(source);
              return putConsumer(spec, source);
            },
            retry: options.retry,
            batchSize: options.batchSize,
            ackWaitMs,
            logger,
            now,
            leadership,
          }),
        });
      }
    },
    async consumerStatus() {
      const statuses: ConsumerStatus[] = [];
      for (const spec of consumers) {
        const deadLetters = await countDeadLetters(spec.db, spec.name);
        for (const source of spec.sources) {
          const info = await manager.consumers.info(names.stream(source), names.durable(spec.name));
          statuses.push({
            consumer: spec.name,
            source,
            position: info.ack_floor.stream_seq,
            lag: info.num_pending + info.num_ack_pending,
            pending: info.num_ack_pending,
            deadLetters,
            ...(leaderships.has(spec.name) ? { leader: leaderships.get(spec.name)!.leading } : {}),
          });
        }
      }
      return statuses;
    },
    async outboxStatus() {
      const statuses: OutboxStatus[] = [];
      for (const relay of relays.values()) statuses.push(await relay.status());
      return statuses;
    },
    async health(): Promise<EventLogHealth> {
      const problems: EventLogProblem[] = [];
      const busProblem = await bus.problem();
      if (busProblem) problems.push({ check: 'bus', detail: busProblem });
      for (const [context, relay] of relays) {
        const failure = relay.failure();
        if (failure)
          problems.push({ check: 'relay', context, detail: `outbox relay of ${context} fails: ${failure}` });
      }
      for (const [consumer, leadership] of leaderships) {
        const failure = leadership.failure();
        if (failure)
          problems.push({
            check: 'consumer',
            consumer,
            detail: `consumer ${consumer} cannot take its lock: ${failure}`,
          });
      }
      const stoppedConsumers: EventLogHealth['stoppedConsumers'] = [];
      for (const { consumer, source, worker } of workers) {
        const { stopped, failing } = worker.health();
        if (stopped) stoppedConsumers.push({ consumer, source, error: stopped });
        if (failing) {
          problems.push({
            check: 'consumer',
            consumer,
            source,
            detail: `consumer ${consumer} of ${source} cannot pull: ${failing}`,
          });
        }
      }
      return { ok: problems.length === 0 && stoppedConsumers.length === 0, stoppedConsumers, problems };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const { worker } of workers) worker.stop();
      await Promise.all(workers.map(({ worker }) => worker.done));
      // Released once nothing pulls any more: a standby elsewhere takes over without waiting out an ack wait.
      await Promise.all([...leaderships.values()].map((leadership) => leadership.stop()));
      // After the consumers: their handlers may have appended to a relayed outbox on the way out.
      await Promise.all([...relays.values()].map((relay) => relay.close()));
      await retention.stop();
      bus.stop();
      // Closed already when the connection was lost for good (or closed by hand): nothing left to drain.
      if (!connection.isClosed()) await connection.drain();
    },
  };
}
