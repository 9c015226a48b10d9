import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import {
  causedBy,
  currentOrigin,
  freshOrigin,
  keepOrigin,
  parseTraceparent,
  requestOrigin,
  runWithOrigin,
  traceHeaders,
  withOrigin,
} from './origin.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-(0[01])$/;

const parts = (traceparent: string) => {
  const [, traceId, spanId, flags] = TRACEPARENT.exec(traceparent) ?? [];
  return { traceId, spanId, flags };
};

const event = (extra: Partial<CloudEvent> = {}): CloudEvent => ({
  specversion: '1.0',
  id: 'event-1',
  source: '/tillstream/pos',
  type: 'pos.sale.completed',
  time: '2026-03-02T10:15:00.000Z',
  subject: 'sale/1',
  datacontenttype: 'application/json',
  dataschema: 'urn:tillstream:event:pos.sale.completed:v1',
  sequence: 1,
  partitionkey: 'store-1',
  data: {},
  ...extra,
});

describe('parseTraceparent', () => {
  it.each([
    [`00-${TRACE}-${SPAN}-01`, { traceId: TRACE, flags: '01' }],
    [`00-${TRACE}-${SPAN}-00`, { traceId: TRACE, flags: '00' }],
    // Only the sampled bit is passed on.
    [`00-${TRACE}-${SPAN}-03`, { traceId: TRACE, flags: '01' }],
    // A later version may append fields.
    [`01-${TRACE}-${SPAN}-01-later`, { traceId: TRACE, flags: '01' }],
  ])('reads %s', (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it.each([
    ['absent', undefined],
    ['repeated headers', [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`]],
    ['upper case', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with more fields', `00-${TRACE}-${SPAN}-01-more`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
  ])('refuses %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});

describe('event origins', () => {
  it("gives a request's events a child span of its trace, correlated by the trace id, caused by nothing", () => {
    const origin = requestOrigin(TRACE, `00-${TRACE}-${SPAN}-00`);
    expect(parts(origin.traceparent)).toMatchObject({ traceId: TRACE, flags: '00' });
    expect(parts(origin.traceparent).spanId).not.toBe(SPAN);
    expect(origin.correlationId).toBe(TRACE);
    expect(origin.causationId).toBeUndefined();
  });

  it('samples a request that came without a traceparent', () => {
    expect(parts(requestOrigin(TRACE, undefined).traceparent)).toMatchObject({ traceId: TRACE, flags: '01' });
  });

  it("gives a consumer's effects the event as cause, in its trace, under its correlation", () => {
    const cause = event({ traceparent: `00-${TRACE}-${SPAN}-01`, correlationid: 'request-1' });
    const origin = causedBy(cause);
    expect(origin.causationId).toBe('event-1');
    expect(origin.correlationId).toBe('request-1');
    expect(parts(origin.traceparent)).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(parts(origin.traceparent).spanId).not.toBe(SPAN);
  });

  it('gives each event handled a span of its own', () => {
    const cause = event({ traceparent: `00-${TRACE}-${SPAN}-01`, correlationid: 'request-1' });
    expect(causedBy(cause).traceparent).not.toBe(causedBy(cause).traceparent);
  });

  it('starts a trace for an event that has none, and makes it its own correlation', () => {
    const origin = causedBy(event());
    expect(origin.traceparent).toMatch(TRACEPARENT);
    expect(origin.correlationId).toBe('event-1');
    expect(origin.causationId).toBe('event-1');
  });

  it('starts a fresh trace per origin outside requests and consumers', () => {
    const [first, second] = [freshOrigin(), freshOrigin()];
    expect(parts(first.traceparent).traceId).toBe(first.correlationId);
    expect(first.correlationId).not.toBe(second.correlationId);
    expect(first.causationId).toBeUndefined();
  });
});

// The suites follow request origins (test/support/follow-origins.ts): what a request loses is caught.
describe("a request's origin across its awaits", () => {
  const origin = requestOrigin(TRACE, undefined);
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('is the origin of what the handler opens before its first await, and of nothing outside a request', async () => {
    expect(currentOrigin()).toBeUndefined();
    await runWithOrigin(origin, async () => {
      expect(currentOrigin()).toBe(origin);
      expect(traceHeaders()).toEqual({ traceparent: origin.traceparent });
      await tick();
    });
    expect(currentOrigin()).toBeUndefined();
  });

  it('fails loudly when work after an await writes or calls on without keeping it', async () => {
    await runWithOrigin(origin, async () => {
      await tick();
      expect(() => currentOrigin()!.traceparent).toThrow(/lost its origin/);
      expect(() => traceHeaders()).toThrow(/lost its origin/);
      // A read passes the trace on only when it is known, and is never held to the check.
      expect(traceHeaders(false)).toEqual({});
    });
  });

  it('is kept before the first await and given back to what runs after it', async () => {
    const other = requestOrigin('5bf92f3577b34da6a3ce929d0e0e4736', undefined);
    const seen = await Promise.all(
      [origin, other].map((each) =>
        runWithOrigin(each, async () => {
          const inRequest = keepOrigin();
          await tick();
          return inRequest(() => currentOrigin());
        }),
      ),
    );
    expect(seen).toEqual([origin, other]);
  });

  it("runs a port's methods under the kept origin, and leaves its other members alone", async () => {
    const port = {
      label: 'erp',
      traced(this: { label: string }, path: string) {
        return `${this.label} ${path} ${traceHeaders().traceparent}`;
      },
    };
    await runWithOrigin(origin, async () => {
      const bound = withOrigin(port, keepOrigin());
      await tick();
      expect(bound.label).toBe('erp');
      expect(bound.traced('/holds')).toBe(`erp /holds ${origin.traceparent}`);
      expect(() => port.traced('/holds')).toThrow(/lost its origin/);
    });
  });
});
