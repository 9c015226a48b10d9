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
 * The origin of the API request being handled, for `Db.transaction` to hand to the transaction it opens. Set
 * only while a route handler runs synchronously: a transaction opened there, before the handler's first
 * await, takes it (both adapters read it when `transaction` is called). Work that opens a transaction or calls
 * another service after an await keeps the origin with `keepOrigin()` first. Not an AsyncLocalStorage: that
 * turns on V8's promise hooks for every promise of the process, consumers and commits included, and cost
 * ingest about a seventh of its rate (bench/HISTORY.md); consumers set `Tx.origin` themselves (applyEvents).
 */
let handling: EventOrigin | undefined;

/**
 * Followed only when asked (`followRequestOrigins`: the test suites, and `TILLSTREAM_CHECK_REQUEST_ORIGINS`):
 * an AsyncLocalStorage beside `handling`, so that an event written or a service called after an await without
 * `keepOrigin()` fails loudly instead of quietly starting a trace of its own.
 */
let followed: AsyncLocalStorage<EventOrigin> | undefined;

/** Follows every request from now on and fails work that lost its origin (see `currentOrigin`). */
export function followRequestOrigins(): void {
  followed ??= new AsyncLocalStorage<EventOrigin>();
}

/** Runs `fn` (a route handler) with `origin` as the origin of the transactions it opens before it awaits. */
export function runWithOrigin<T>(origin: EventOrigin | undefined, fn: () => T): T {
  const outer = handling;
  handling = origin;
  try {
    return followed && origin ? followed.run(origin, fn) : fn();
  } finally {
    handling = outer;
  }
}

/** The origin of the request being handled, if any; read when a transaction is opened. */
export function currentOrigin(): EventOrigin | undefined {
  if (handling === undefined && followed !== undefined) {
    const lost = followed.getStore();
    if (lost !== undefined) return new LostOrigin(lost);
  }
  return handling;
}

/**
 * What `currentOrigin` answers under the check when a request's work opened a transaction after an await
 * without `keepOrigin()`: reading it (the outbox stamping an event, `traceHeaders`) throws. A consumer's
 * transaction opened there is no mistake: it sets its own origin before it writes, and never reads this one.
 */
class LostOrigin implements EventOrigin {
  constructor(private readonly request: EventOrigin) {}
  private fail(): never {
    throw new Error(
      `request ${this.request.correlationId} lost its origin: work after an await must keepOrigin() ` +
        'before it opens a transaction that writes events or calls another service',
    );
  }
  get traceparent(): string {
    return this.fail();
  }
  get correlationId(): string {
    return this.fail();
  }
}

/** Runs what it is given with the origin that `keepOrigin` took. */
export type KeptOrigin = <T>(fn: () => T) => T;

/**
 * For request work that opens a transaction or calls another service after an await: takes the request's
 * origin now, before the first await, and runs what is given later with it.
 *
 *   const inRequest = keepOrigin();
 *   const cart = await carts.find(id);
 *   return inRequest(() => db.transaction((tx) => ...));
 */
export function keepOrigin(): KeptOrigin {
  const origin = handling;
  return (fn) => runWithOrigin(origin, fn);
}

/**
 * `port` with each of its methods run under a kept origin: for a service port (commerce's ERP) that a request
 * calls after its first await, so that what the service writes joins the request's trace.
 */
export function withOrigin<Port extends object>(port: Port, inRequest: KeptOrigin): Port {
  return new Proxy(port, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) =>
        inRequest(() => (member as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

/**
 * Headers that carry the request being handled on to a service it calls (commerce holding stock in ERP), so
 * that what the call writes joins the request's trace and correlation: `{ traceparent }`, or none. A read
 * (`writes` false) passes the trace on when it is known, for the logs, and is never held to the check.
 */
export function traceHeaders(writes = true): { traceparent?: string } {
  const origin = writes ? currentOrigin() : handling;
  return origin ? { traceparent: origin.traceparent } : {};
}
