import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_RETRY_SCHEDULE_MS,
  decideAttempt,
  jittered,
  parseRetryAfter,
  type AttemptResult,
  type DeliveryProgress,
} from './delivery.decide.js';

const now = new Date('2026-11-01T12:00:00.000Z');
const fresh = { attempts: 0, failures: 0, firstAttemptAt: null };
const middle = () => 0.5;
const response = (status: number, retryAfter?: string): AttemptResult => ({
  kind: 'response',
  status,
  retryAfter,
});
const inMs = (iso: string | null) => (iso ? Date.parse(iso) - now.getTime() : null);

describe('decideAttempt', () => {
  it.each([
    { result: response(200), outcome: 'delivered', status: 'delivered', endpoint: 'healthy' },
    { result: response(204), outcome: 'delivered', status: 'delivered', endpoint: 'healthy' },
    { result: response(301), outcome: 'redirected', status: 'pending', endpoint: 'failing' },
    { result: response(400), outcome: 'failed', status: 'pending', endpoint: 'failing' },
    { result: response(410), outcome: 'gone', status: 'pending', endpoint: 'gone' },
    { result: response(429), outcome: 'failed', status: 'pending', endpoint: 'failing' },
    { result: response(500), outcome: 'failed', status: 'pending', endpoint: 'failing' },
    {
      result: { kind: 'error', error: 'timeout', message: 'no answer in 15 s' },
      outcome: 'timed_out',
      status: 'pending',
      endpoint: 'failing',
    },
    {
      result: { kind: 'error', error: 'connection', message: 'ECONNREFUSED' },
      outcome: 'unreachable',
      status: 'pending',
      endpoint: 'failing',
    },
    {
      result: { kind: 'error', error: 'refused_address', message: 'resolves to 10.0.0.1' },
      outcome: 'refused_address',
      status: 'pending',
      endpoint: 'failing',
    },
  ] as const)('$result.kind $result.status → $outcome', ({ result, outcome, status, endpoint }) => {
    const decision = decideAttempt(fresh, result, now, DEFAULT_DELIVERY_POLICY, middle);
    expect(decision).toMatchObject({ outcome, status, attempts: 1 });
    expect(decision.endpoint.kind).toBe(endpoint);
  });

  it('retries on the schedule, with jitter, and gives up after its last step (about three days)', () => {
    let progress = fresh;
    const delays: number[] = [];
    for (;;) {
      const decision = decideAttempt(progress, response(500), now, DEFAULT_DELIVERY_POLICY, middle);
      if (decision.status === 'failed') break;
      delays.push(inMs(decision.nextAttemptAt)!);
      progress = { ...progress, attempts: decision.attempts, failures: decision.failures };
    }
    expect(delays).toEqual(DEFAULT_RETRY_SCHEDULE_MS);
    const totalHours = delays.reduce((sum, delay) => sum + delay, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(72);
    expect(totalHours).toBeLessThan(80);
    expect(progress.attempts).toBe(DEFAULT_RETRY_SCHEDULE_MS.length);
  });

  it('spreads each delay by the jitter', () => {
    expect(jittered(10_000, 0.2, () => 0)).toBe(8_000);
    expect(jittered(10_000, 0.2, () => 0.999_999)).toBe(12_000);
  });

  it('honours Retry-After on 429 and 503 without using up the schedule, clamped', () => {
    const throttled = decideAttempt(fresh, response(429, '120'), now, DEFAULT_DELIVERY_POLICY, middle);
    expect(throttled).toMatchObject({ outcome: 'throttled', status: 'pending', failures: 0, attempts: 1 });
    expect(inMs(throttled.nextAttemptAt)).toBe(120_000);
    expect(throttled.endpoint.kind).toBe('throttled');
    const unavailable = decideAttempt(
      fresh,
      response(503, 'Sun, 01 Nov 2026 12:10:00 GMT'),
      now,
      DEFAULT_DELIVERY_POLICY,
    );
    expect(inMs(unavailable.nextAttemptAt)).toBe(600_000);
    expect(unavailable.endpoint.kind).toBe('failing');
    const hostile = decideAttempt(fresh, response(429, '99999999'), now, DEFAULT_DELIVERY_POLICY);
    expect(inMs(hostile.nextAttemptAt)).toBe(DEFAULT_DELIVERY_POLICY.maxRetryAfterMs);
    const farFuture = decideAttempt(fresh, response(503, '9'.repeat(400)), now, DEFAULT_DELIVERY_POLICY);
    expect(inMs(farFuture.nextAttemptAt)).toBe(DEFAULT_DELIVERY_POLICY.maxRetryAfterMs);
  });

  it.each(['0', 'Sun, 01 Nov 2026 11:00:00 GMT', '1'])(
    'waits at least minRetryAfterMs after a throttled attempt with Retry-After %s',
    (retryAfter) => {
      let progress: DeliveryProgress = fresh;
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const decision = decideAttempt(progress, response(429, retryAfter), now, DEFAULT_DELIVERY_POLICY);
        expect(decision).toMatchObject({ outcome: 'throttled', status: 'pending', failures: 0 });
        expect(inMs(decision.nextAttemptAt)).toBe(DEFAULT_DELIVERY_POLICY.minRetryAfterMs);
        progress = { ...decision, firstAttemptAt: now.toISOString() };
      }
    },
  );

  it('stops throttled retries once the schedule would have ended, counted from the first attempt', () => {
    const firstTriedLongAgo = { attempts: 40, failures: 0, firstAttemptAt: '2026-10-25T12:00:00.000Z' };
    const decision = decideAttempt(firstTriedLongAgo, response(429, '5'), now, DEFAULT_DELIVERY_POLICY);
    expect(decision).toMatchObject({ outcome: 'throttled', status: 'failed', nextAttemptAt: null });
    const firstTriedToday = { ...firstTriedLongAgo, firstAttemptAt: '2026-11-01T06:00:00.000Z' };
    expect(decideAttempt(firstTriedToday, response(429, '5'), now, DEFAULT_DELIVERY_POLICY).status).toBe(
      'pending',
    );
  });

  it('never sets a throttled retry past the end of the schedule, however long Retry-After asks', () => {
    const policy = { ...DEFAULT_DELIVERY_POLICY, retryScheduleMs: [1_000, 2_000, 3_000] };
    // The schedule spans 6 s from the first attempt, now − 1 s: the next try comes at its end, 5 s from now.
    const progress = {
      attempts: 1,
      failures: 0,
      firstAttemptAt: new Date(now.getTime() - 1_000).toISOString(),
    };
    const decision = decideAttempt(progress, response(429, '3600'), now, policy);
    expect(decision).toMatchObject({ outcome: 'throttled', status: 'pending' });
    expect(inMs(decision.nextAttemptAt)).toBe(5_000);
    const atTheEnd = new Date(now.getTime() + 5_000);
    expect(decideAttempt({ ...progress, attempts: 2 }, response(429, '0'), atTheEnd, policy)).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
    });
  });

  it('gives a delivery that waited, queued or for its webhook, the whole schedule of throttled retries', () => {
    // Enqueued 12 days ago; first tried now, or tried before its webhook was disabled and enabled again.
    const createdAt = '2026-10-20T12:00:00.000Z';
    const waited = { attempts: 0, failures: 0, firstAttemptAt: null, createdAt };
    const resumed = { attempts: 3, failures: 2, firstAttemptAt: null, createdAt };
    for (const progress of [waited, resumed]) {
      const decision = decideAttempt(progress, response(429, '10'), now, DEFAULT_DELIVERY_POLICY);
      expect(decision).toMatchObject({
        outcome: 'throttled',
        status: 'pending',
        failures: progress.failures,
      });
      expect(inMs(decision.nextAttemptAt)).toBe(10_000);
    }
  });

  it('asks to disable an endpoint failing since before the window', () => {
    const decision = decideAttempt(fresh, response(500), now, DEFAULT_DELIVERY_POLICY);
    expect(decision.endpoint).toEqual({ kind: 'failing', disableIfFailingSince: '2026-10-27T12:00:00.000Z' });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [null, null],
    ['', null],
    ['30', 30_000],
    ['soon', null],
    ['Sun, 01 Nov 2026 11:00:00 GMT', 0],
  ])('%s → %s ms', (value, expected) => expect(parseRetryAfter(value, now)).toBe(expected));
});
