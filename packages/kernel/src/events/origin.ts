import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { CloudEvent } from '@tillstream/contracts';

/**
 * Where the events a transaction writes come from (DESIGN §3): the W3C trace context of the work writing them,
 * and the ids that tie them to the request that started the chain and to the event that caused them. The
 * outbox stamps every event it writes with the origin of its transaction (see `Tx.origin`).
 */
export interface EventOrigin {
  /** `00-<trace id>-<span id>-<flags>`: the span writing the events, a child of the caller's span. */
  readonly traceparent: string;
  /** The API request that started the chain (its trace id, answered as `x-trace-id`), carried on unchanged. */
  readonly correlationId: string;
  /** The event whose handling writes them; absent for the events of an API request itself. */
  readonly causationId?: string;
}

export interface TraceContext {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** `01` when the caller sampled (may have recorded) its span, else `00`; other flag bits are not passed on. */
  flags: '00' | '01';
}

/** Version 00 exactly; a later version may append fields, which are ignored (W3C Trace Context §3.2.4). */
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-|$)/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** The trace id and sampled flag of a W3C `traceparent` value, or null when it is absent or invalid. */
export function parseTraceparent(value: unknown): TraceContext | null {
  if (typeof value !== 'string') return null;
  const match = TRACEPARENT.exec(value);
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (version === 'ff' || (version === '00' && rest !== '')) return null;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return null;
  return { traceId, flags: (Number.parseInt(flags, 16) & 1) === 1 ? '01' : '00' };
}

/**
 * Fresh ids are this process's random prefix and a counter: unique across processes like random ids, without
 * drawing random bytes for every request and every event handled (a measurable share of a cached read).
 */
const TRACE_PREFIX = randomBytes(8).toString('hex');
const SPAN_PREFIX = randomBytes(4).toString('hex');
let traceCounter = 0;
let spanCounter = 0;

/** A new trace id (the counter starts at 1, so it is never all zero). */
export function freshTraceId(): string {
  traceCounter += 1;
  return TRACE_PREFIX + traceCounter.toString(16).padStart(16, '0');
}

/** A new span id; the counter wraps after 2^32 spans, and its low half is never zero. */
function freshSpanId(): string {
  spanCounter = (spanCounter % 0xffff_ffff) + 1;
  return SPAN_PREFIX + spanCounter.toString(16).padStart(8, '0');
}

/**
 * A new span in this trace, for work with nothing upstream; sampled, because Tillstream keeps what the span
 * writes (its events).
 */
function childSpan(trace: TraceContext | null): string {
  return `00-${trace?.traceId ?? freshTraceId()}-${freshSpanId()}-${trace?.flags ?? '01'}`;
}

/**
 * The origin of an API request's events: a child span of the request's `traceparent` header (the trace the
 * HTTP app took the request's id from, `traceId`), or of the fresh trace it started when none came in.
 */
export function requestOrigin(traceId: string, traceparentHeader: unknown): EventOrigin {
  const flags = parseTraceparent(traceparentHeader)?.flags ?? '01';
  return { traceparent: childSpan({ traceId, flags }), correlationId: traceId };
}

/**
 * The origin of what a consumer writes while handling `event`: a child span of the event's trace, the same
 * correlation id, and the event as the cause. An event written before these ids existed starts a trace of its
 * own and is its own correlation. Worked out when first read: a consumer sets one for every event it handles,
 * and most (the hub's index, projections) write no event at all.
 */
export function causedBy(event: CloudEvent): EventOrigin {
  return new CausedBy(event);
}

class CausedBy implements EventOrigin {
  private span: string | undefined;
  constructor(private readonly event: CloudEvent) {}

  get traceparent(): string {
    return (this.span ??= childSpan(parseTraceparent(this.event.traceparent)));
  }

  get correlationId(): string {
    return this.event.correlationid ?? this.event.id;
  }

  get causationId(): string {
    return this.event.id;
  }
}

/** For events written neither for a request nor for an event (a sweeper, a CLI command): a trace of their own. */
export function freshOrigin(): EventOrigin {
  const traceId = freshTraceId();
  return { traceparent: childSpan({ traceId, flags: '01' }), correlationId: traceId };
}

/**
 * The origin of the API request being handled, for `Db.transaction` to hand to the transaction it opens. An
 * AsyncLocalStorage because a request reaches its transaction through handlers and stores that should not have
 * to pass it along; consumers, on the hot path of every event, set `Tx.origin` themselves instead (applyEvents).
 */
const requestOrigins = new AsyncLocalStorage<EventOrigin>();

/** Runs `fn` (a route handler) with `origin` as the origin of the transactions it opens. */
export function runWithOrigin<T>(origin: EventOrigin, fn: () => T): T {
  return requestOrigins.run(origin, fn);
}

/** The origin of the request being handled, if any; read when a transaction is opened. */
export function currentOrigin(): EventOrigin | undefined {
  return requestOrigins.getStore();
}

/**
 * Headers that carry the request being handled on to a service it calls (commerce holding stock in ERP), so
 * that what the call writes joins the request's trace and correlation: `{ traceparent }`, or none.
 */
export function traceHeaders(): { traceparent?: string } {
  const origin = requestOrigins.getStore();
  return origin ? { traceparent: origin.traceparent } : {};
}
