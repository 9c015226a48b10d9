/**
 * What happens after each delivery attempt: pure, with the time and the randomness of the jitter passed in.
 * Only a 2xx answer delivers. A redirect, a timeout, a refused connection and any other status fail the
 * attempt and schedule the next one; 410 Gone also disables the endpoint; 429 and 503 with `Retry-After` are
 * retried when the endpoint asks to (clamped to between `minRetryAfterMs` and `maxRetryAfterMs`), without
 * using up an attempt of the schedule.
 */
export interface DeliveryPolicy {
  /** Delays before the 2nd, 3rd, … attempt; the first is immediate. Exhausted after the last. */
  retryScheduleMs: readonly number[];
  /** Each delay varies by up to ± this fraction, so endpoints that failed together are not retried together. */
  jitter: number;
  /** The longest `Retry-After` honoured; a hostile endpoint must not park deliveries forever. */
  maxRetryAfterMs: number;
  /**
   * The shortest wait after a throttled attempt, whatever `Retry-After` says: `0` or a past date would
   * otherwise retry at once, again and again, since throttled attempts do not use up the schedule.
   */
  minRetryAfterMs: number;
  /** An endpoint whose every attempt failed for this long is disabled. */
  disableAfterFailingMs: number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** The Standard Webhooks example schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (≈ 3.15 days). */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  300 * SECOND,
  1800 * SECOND,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
  jitter: 0.2,
  maxRetryAfterMs: 24 * HOUR,
  // The Standard Webhooks first retry: an endpoint asking for "now" is retried as soon as after any failure.
  minRetryAfterMs: 5 * SECOND,
  disableAfterFailingMs: 120 * HOUR,
};

/** What one attempt came back with, as the sender saw it. */
export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string | null }
  | { kind: 'error'; error: 'timeout' | 'refused_address' | 'connection'; message: string };

export type AttemptOutcome =
  | 'delivered'
  | 'failed'
  | 'redirected'
  | 'gone'
  | 'throttled'
  | 'timed_out'
  | 'unreachable'
  | 'refused_address';

/** What the endpoint's health record should learn from the attempt. */
export type EndpointSignal =
  | { kind: 'healthy' }
  | { kind: 'throttled' }
  | { kind: 'gone' }
  /** Disable the endpoint if it has been failing since this time or earlier. */
  | { kind: 'failing'; disableIfFailingSince: string };

export interface DeliveryProgress {
  attempts: number;
  /** Failed attempts that used up a step of the schedule (throttled ones do not). */
  failures: number;
  /**
   * When the delivery's first attempt was made (reset when its webhook is enabled again); null before it.
   * Throttled retries end when the schedule would have, counted from here rather than from the enqueue, so
   * the time a delivery waited behind its key or for its webhook does not count.
   */
  firstAttemptAt: string | null;
}

export interface AttemptDecision {
  outcome: AttemptOutcome;
  status: 'delivered' | 'pending' | 'failed';
  attempts: number;
  failures: number;
  nextAttemptAt: string | null;
  endpoint: EndpointSignal;
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

export function jittered(delayMs: number, jitter: number, random: () => number): number {
  return Math.round(delayMs * (1 - jitter + 2 * jitter * random()));
}

const totalSpanMs = (policy: DeliveryPolicy) => policy.retryScheduleMs.reduce((sum, delay) => sum + delay, 0);

function outcomeOf(result: AttemptResult): AttemptOutcome {
  if (result.kind === 'error') {
    return result.error === 'timeout'
      ? 'timed_out'
      : result.error === 'refused_address'
        ? 'refused_address'
        : 'unreachable';
  }
  if (result.status >= 200 && result.status < 300) return 'delivered';
  if (result.status === 410) return 'gone';
  return result.status >= 300 && result.status < 400 ? 'redirected' : 'failed';
}

export function decideAttempt(
  progress: DeliveryProgress,
  result: AttemptResult,
  now: Date,
  policy: DeliveryPolicy,
  random: () => number = Math.random,
): AttemptDecision {
  const attempts = progress.attempts + 1;
  const at = (delayMs: number) => new Date(now.getTime() + delayMs).toISOString();
  const failing: EndpointSignal = {
    kind: 'failing',
    disableIfFailingSince: new Date(now.getTime() - policy.disableAfterFailingMs).toISOString(),
  };
  const outcome = outcomeOf(result);
  if (outcome === 'delivered') {
    const { failures } = progress;
    return {
      outcome,
      status: 'delivered',
      attempts,
      failures,
      nextAttemptAt: null,
      endpoint: { kind: 'healthy' },
    };
  }
  const throttled = result.kind === 'response' && (result.status === 429 || result.status === 503);
  const retryAfterMs = throttled ? parseRetryAfter(result.retryAfter, now) : null;
  if (retryAfterMs !== null && result.kind === 'response') {
    const endpoint: EndpointSignal = result.status === 429 ? { kind: 'throttled' } : failing;
    // Throttling does not use up the schedule, but it cannot outlast it either: the next attempt comes no later
    // than the schedule's end, counted from the first attempt, however long the receiver asks to wait.
    const since = progress.firstAttemptAt === null ? now.getTime() : Date.parse(progress.firstAttemptAt);
    const leftMs = since + totalSpanMs(policy) - now.getTime();
    const expired = leftMs <= 0;
    const delayMs = Math.min(Math.max(retryAfterMs, policy.minRetryAfterMs), policy.maxRetryAfterMs, leftMs);
    return {
      outcome: 'throttled',
      status: expired ? 'failed' : 'pending',
      attempts,
      failures: progress.failures,
      nextAttemptAt: expired ? null : at(delayMs),
      endpoint,
    };
  }
  const failures = progress.failures + 1;
  const delay = policy.retryScheduleMs[failures - 1];
  return {
    outcome,
    status: delay === undefined ? 'failed' : 'pending',
    attempts,
    failures,
    nextAttemptAt: delay === undefined ? null : at(jittered(delay, policy.jitter, random)),
    endpoint: outcome === 'gone' ? { kind: 'gone' } : failing,
  };
}
