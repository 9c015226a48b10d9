import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../db/port.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type {
  ConsumerSpec,
  ConsumerStatus,
  EventLog,
  EventLogHealth,
  OutboxStatus,
  RetryPolicy,
} from './port.js';
import { retryDelayMs } from './port.js';
import { DATABASE_WAIT_CEILING_MS, isDatabaseUnavailable } from '../db/unavailable.js';
import { Wakeup } from './wakeup.js';
import { applyEvents, countDeadLetters, deadLetter, readCheckpoint, wants, type LogItem } from './apply.js';
import { SourceTail } from './source-tail.js';
import { startEmbeddedRetention } from './embedded-retention.js';

export interface EmbeddedLogOptions {
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** Events read and applied per transaction. */
  batchSize: number;
  /** Safety net: consumers are woken on every outbox commit, and also poll this often. */
  pollIntervalMs: number;
  /**
   * How long a consumer that found several events waiting lets more gather before it reads again (0: not
   * at all). Under load every producer commit would otherwise become a transaction of its own in each
   * consumer; see `runWorker`.
   */
  lingerMs?: number;
  /**
   * How long close() at most keeps the consumers running until they have applied what is committed (see
   * close); 5 s unless close is given its own bound.
   */
  drainTimeoutMs?: number;
  /** Hours the outboxes keep an event once every consumer read past it, and inboxes their rows; 0: for ever. */
  eventRetentionHours?: number;
}

/** The embedded log, with its retention pass callable at once (the platform runs it hourly). */
export interface EmbeddedEventLog extends EventLog {
  pruneRetained(): Promise<{ outbox: number; inbox: number }>;
}

/** Batches of each source kept parsed for its consumers (see SourceTail). */
const TAIL_BATCHES = 8;

const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

/** How often close() looks whether the consumers have caught up with the heads. */
const DRAIN_LOOK_MS = 5;

async function logHead(db: Db): Promise<number> {
  const rows = await db.query<{ head: number | null }>('SELECT MAX(position) AS head FROM outbox');
  return Number(rows[0]?.head ?? 0);
}

/**
 * The in-process event log: one worker per (consumer, source) reads the source's outbox in order and applies
 * batches in the consumer's database. A failing event is retried alone with backoff and jitter, and after
 * the configured attempts is parked in the dead-letter store so the events behind it move on.
 */
export function createEmbeddedEventLog(options: EmbeddedLogOptions): EmbeddedEventLog {
  const sources = new Map<string, { db: Db; tail: SourceTail; wakeups: Set<Wakeup> }>();
  const consumers: ConsumerSpec[] = [];
  /** Where each (consumer, source) worker has read up to, including batches it had nothing to do for. */
  const positions = new Map<string, number>();
  const workers: Promise<void>[] = [];
  /** One per (consumer, source) worker, keyed as `positions`; `failure` once it stopped on an error. */
  const workerStates = new Map<string, { consumer: string; source: string; failure: unknown }>();
  const stopSignal = { stopped: false, wakeups: new Set<Wakeup>() };
  let closing: Promise<void> | null = null;
  const now = () => options.clock.now().toISOString();
  const retention = startEmbeddedRetention({
    logger: options.logger,
    clock: options.clock,
    eventHours: options.eventRetentionHours ?? 0,
    readUpTo,
  });

  /**
   * The lowest position any consumer of `source` has read up to: its checkpoint, or its position in memory
   * where that is ahead (over batches without an event of the consumer's types, which it would skip again).
   */
  async function readUpTo(source: string): Promise<number | null> {
    let lowest: number | null = null;
    for (const spec of consumers) {
      if (!spec.sources.includes(source)) continue;
      const inMemory = positions.get(`${spec.name}\u0000${source}`);
      if (inMemory === undefined) return null;
      const position = Math.max(inMemory, await readCheckpoint(spec.db, spec.name, source));
      lowest = lowest === null ? position : Math.min(lowest, position);
    }
    return lowest;
  }

  async function applyOneWithRetries(spec: ConsumerSpec, source: string, item: LogItem, wakeup: Wakeup) {
    // `waits` counts every failure in a row, for the backoff; `attempt` only the event's own failures: the
    // database being unavailable is not one, and an event must not be parked for it.
    let databaseWasDown = false;
    for (let attempt = 1, waits = 1; ; waits += 1) {
      try {
        await applyEvents(spec, source, [item], now());
        return;
      } catch (error) {
        const own = !isDatabaseUnavailable(error);
        if (own && attempt >= options.retry.maxAttempts) {
          options.logger.error(
            { err: error, consumer: spec.name, eventId: item.event.id },
            'event dead-lettered',
          );
          await deadLetter(spec, source, item, error, attempt, now());
          return;
        }
        // An outage is logged where it starts (and by the database adapter), not at every wait through it.
        if (own || !databaseWasDown)
          options.logger.warn(
            { err: error, consumer: spec.name, eventId: item.event.id, attempt },
            own ? 'event failed' : 'database unavailable; event waits',
          );
        databaseWasDown = !own;
        const delayMs = retryDelayMs(options.retry, waits);
        // Every commit to the source wakes the worker too; only a stop may cut the backoff short.
        const retryAt = Date.now() + (own ? delayMs : Math.min(delayMs, DATABASE_WAIT_CEILING_MS));
        while (!stopSignal.stopped && Date.now() < retryAt) await wakeup.wait(retryAt - Date.now());
        if (stopSignal.stopped) return;
        if (own) attempt += 1;
      }
    }
  }

  /**
   * The worker keeps its position in memory and persists it with the effects it commits. A batch holding no
   * event of the consumer's types only moves the in-memory position: no transaction, no fsync. After a
   * restart those events are read again from the persisted position and skipped again, which is harmless.
   */
  async function runWorker(spec: ConsumerSpec, source: string, tail: SourceTail, wakeup: Wakeup) {
    const key = `${spec.name}\u0000${source}`;
    let position = await readCheckpoint(spec.db, spec.name, source);
    while (!stopSignal.stopped) {
      positions.set(key, position);
      const items = await tail.read(position, options.batchSize);
      const last = items[items.length - 1];
      if (!last) {
        await wakeup.wait(options.pollIntervalMs);
        continue;
      }
      const relevant = items.some((item) => wants(spec, item.event));
      if (relevant) {
        try {
          await applyEvents(spec, source, items, now());
        } catch {
          // One event in the batch failed: apply them one at a time to isolate it.
          for (const item of items) {
            if (stopSignal.stopped) return;
            await applyOneWithRetries(spec, source, item, wakeup);
          }
        }
      }
      position = last.position;
      // Several events were waiting: the source is busy. Letting the next few commits gather turns them into
      // one transaction (one commit, one fsync, one cache sync) where each would have cost its own, for at
      // most `lingerMs` of delay; an event arriving alone, in a quiet store, is applied at once.
      if (relevant && items.length > 1 && options.lingerMs) await delay(options.lingerMs);
    }
  }

  async function readHeads(): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (const [context, entry] of sources) heads.set(context, await logHead(entry.db));
    return heads;
  }

  /** Live workers still behind these heads, with where they are. */
  function behind(heads: Map<string, number>) {
    const left: Array<{ consumer: string; source: string; position: number; head: number }> = [];
    for (const [key, state] of workerStates) {
      if (state.failure !== undefined) continue;
      const head = heads.get(state.source) ?? 0;
      const position = positions.get(key) ?? 0;
      if (position < head) left.push({ consumer: state.consumer, source: state.source, position, head });
    }
    return left;
  }

  /**
   * Keeps the consumers running until each has read up to its source's head as it was when the drain began;
   * their own effects may have moved other heads meanwhile (ERP's events caused by POS's sales), so the heads
   * are read again and the wait repeats until they stand still. A poison event is dead-lettered after its
   * retries and so cannot hold it; a worker that stopped on an error is not waited for; past `timeoutMs` it
   * gives up and logs what was left for the next start.
   */
  async function drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let heads = await readHeads();
    for (;;) {
      while (behind(heads).length > 0 && Date.now() < deadline) await delay(DRAIN_LOOK_MS);
      const left = behind(heads);
      if (left.length > 0) {
        options.logger.warn(
          { left, timeoutMs },
          'consumers stopped before applying everything committed; the rest is applied on the next start',
        );
        return;
      }
      const next = await readHeads();
      if ([...next].every(([context, head]) => heads.get(context) === head)) return;
      heads = next;
    }
  }

  return {
    kind: 'embedded',
    async attachOutbox(context, db) {
      const entry = {
        db,
        tail: new SourceTail(db, TAIL_BATCHES * options.batchSize),
        wakeups: new Set<Wakeup>(),
      };
      sources.set(context, entry);
      retention.watchOutbox(context, db);
      // The tail has heard of the commit first (it listens from its construction).
      db.onOutboxCommit(() => {
        for (const wakeup of entry.wakeups) wakeup.wake();
      });
    },
    async startConsumer(spec) {
      consumers.push(spec);
      retention.watchInbox(spec.db);
      for (const source of spec.sources) {
        const entry = sources.get(source);
        if (!entry) throw new Error(`consumer ${spec.name}: no event log attached for context ${source}`);
        const wakeup = new Wakeup();
        entry.wakeups.add(wakeup);
        stopSignal.wakeups.add(wakeup);
        const state = { consumer: spec.name, source, failure: undefined as unknown };
        workerStates.set(`${spec.name}\u0000${source}`, state);
        workers.push(
          runWorker(spec, source, entry.tail, wakeup).catch((error: unknown) => {
            state.failure = error ?? new Error('consumer stopped');
            options.logger.fatal({ err: error, consumer: spec.name, source }, 'consumer stopped');
          }),
        );
      }
    },
    async consumerStatus() {
      const statuses: ConsumerStatus[] = [];
      for (const spec of consumers) {
        const deadLetters = await countDeadLetters(spec.db, spec.name);
        for (const source of spec.sources) {
          const persisted = await readCheckpoint(spec.db, spec.name, source);
          const position = Math.max(persisted, positions.get(`${spec.name}\u0000${source}`) ?? 0);
          const head = await logHead(sources.get(source)!.db);
          statuses.push({
            consumer: spec.name,
            source,
            position,
            lag: Math.max(0, head - position),
            pending: 0,
            deadLetters,
          });
        }
      }
      return statuses;
    },
    async outboxStatus() {
      const statuses: OutboxStatus[] = [];
      for (const [context, entry] of sources) {
        // Nothing to relay: the outbox is the log, and what consumers have yet to apply is their lag.
        statuses.push({ context, backlog: 0, head: await logHead(entry.db) });
      }
      return statuses;
    },
    pruneRetained: () => retention.prune(),
    health(): EventLogHealth {
      const stopped = [...workerStates.values()]
        .filter((state) => state.failure !== undefined)
        .map(({ consumer, source, failure }) => ({ consumer, source, error: String(failure) }));
      return { ok: stopped.length === 0, stoppedConsumers: stopped };
    },
    close(closeOptions) {
      closing ??= (async () => {
        try {
          await drain(closeOptions?.drainTimeoutMs ?? options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
        } catch (error) {
          options.logger.warn({ err: error }, 'draining the consumers failed');
        }
        await retention.stop();
        stopSignal.stopped = true;
        for (const wakeup of stopSignal.wakeups) wakeup.wake();
        await Promise.all(workers);
      })();
      return closing;
    },
  };
}
