import type { CloudEvent } from '@tillstream/contracts';
import type { Db, Tx } from '../db/port.js';

/** A durable consumer owned by one context: its effects, inbox row and checkpoint commit in its own db. */
export interface ConsumerSpec {
  /** Unique and stable: the inbox and checkpoints are keyed by it. `erp.pos-sales`. */
  name: string;
  /** The consumer's own database. */
  db: Db;
  /** Contexts whose event logs it reads. */
  sources: readonly string[];
  /** Event types it handles, or '*' for all; others only advance its position. */
  types: readonly string[] | '*';
  /**
   * Applies one event inside the transaction; throwing rolls the whole event back for a retry. The events it
   * writes carry the handled event as their cause, with its trace and correlation (see `Tx.origin`).
   */
  handle(event: CloudEvent, tx: Tx): Promise<void>;
  /**
   * Runs once per batch, in its transaction, before the first `handle`, with the batch's events of the
   * consumer's types (some may turn out to be applied already): a consumer reads what they all need in one
   * query instead of one per event. Throwing fails the batch as a failing `handle` does.
   */
  prepare?(events: readonly CloudEvent[], tx: Tx): Promise<void>;
  /**
   * Runs once per batch that `prepare` ran for, in its transaction, after the last `handle` and before the
   * checkpoint moves: a consumer writes once what its batch's events changed together (a balance many sales
   * moved). Throwing fails the batch as a failing `handle` does. Events belong in `handle`: what is written
   * here has no one event as its cause, and starts a trace of its own.
   */
  finish?(tx: Tx): Promise<void>;
  /**
   * Applying an event a second time changes nothing by the handler's own effects — they are a row unique per
   * event id (an index of events), or upserts that apply only a newer per-key version (a projection) — so
   * the inbox row would only repeat that guarantee, at a write per event. Skipped then.
   */
  redeliverySafe?: boolean;
  /**
   * One instance at a time applies this consumer's events, so they are applied in the order of each source,
   * however many instances run: on the scale-out engine the instance holding a PostgreSQL advisory lock
   * pulls and the others stand by, taking over when it stops or its session ends. For a consumer whose own
   * order others rely on (the hub's log). The embedded engine has one process, and so one instance anyway.
   */
  exclusive?: boolean;
}

export interface ConsumerStatus {
  consumer: string;
  source: string;
  /** Last position applied (log position on embedded, stream sequence on NATS). */
  position: number;
  /** Events in the source not yet applied. */
  lag: number;
  /** Of those, delivered to an instance and awaiting its ack (JetStream); 0 on the embedded engine. */
  pending: number;
  deadLetters: number;
  /** Exclusive consumers on the scale-out engine: whether this instance is the one applying. */
  leader?: boolean;
}

export interface OutboxStatus {
  context: string;
  /**
   * Committed outbox rows not yet relayed to the bus. Always 0 on the embedded engine: there the outbox is the
   * log, a committed row is already what consumers read, and events they have yet to apply are their lag.
   */
  backlog: number;
  head: number;
}

export interface RetryPolicy {
  /** Attempts before an event goes to the dead-letter store. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The event-log port. Embedded: each context's outbox is its log and consumers read it directly. Scale-out:
 * a relay moves each outbox to its NATS JetStream stream and durable consumers pull from there.
 */
export interface EventLog {
  readonly kind: 'embedded' | 'nats';
  /** Registers a context's outbox as an event source; on scale-out also starts relaying it. */
  attachOutbox(context: string, db: Db): Promise<void>;
  startConsumer(spec: ConsumerSpec): Promise<void>;
  consumerStatus(): Promise<ConsumerStatus[]>;
  outboxStatus(): Promise<OutboxStatus[]>;
  /**
   * Whether every consumer this log started still runs, and (scale-out) whether the bus answers and the
   * relays get through; optional, an adapter without it is taken as healthy. A consumer stopped on an error
   * is not restarted: it needs the process restarted. The other problems clear when their cause does.
   */
  health?(): EventLogHealth | Promise<EventLogHealth>;
  /**
   * Stops taking new events, lets in-flight handlers commit, relays what is committed. The embedded log first
   * lets its consumers apply what is committed (and what that causes), for at most `drainTimeoutMs`.
   */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

export interface EventLogHealth {
  ok: boolean;
  /** Consumers whose worker stopped on an error, per source. */
  stoppedConsumers: Array<{ consumer: string; source: string; error: string }>;
  /**
   * Scale-out: `bus`, the NATS connection is closed or reconnecting, or JetStream does not answer; `relay`,
   * a context's outbox relay keeps failing; `consumer`, a consumer's pulls keep failing (it retries).
   */
  problems?: EventLogProblem[];
}

export interface EventLogProblem {
  check: 'bus' | 'relay' | 'consumer';
  detail: string;
  /** The relayed context, with `relay`. */
  context?: string;
  consumer?: string;
  source?: string;
}

/** Exponential backoff with full jitter: the delay before attempt `attempt + 1`. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
