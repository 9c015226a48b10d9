import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent } from '@tillstream/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyEvents,
  createOutbox,
  currentOrigin,
  kernelMigrations,
  openSqlite,
  runMigrations,
  runWithOrigin,
  systemClock,
  uuidV7Ids,
  type ConsumerSpec,
  type Db,
  type EventOrigin,
} from '../src/index.js';
import { foreignEvent, type ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';
import { dropSchemas, openContextDb, pgUrl, runId } from './scale-out.support.js';

const THING = { type: 'test.thing.happened', version: 1 };
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

const origin = (name: string, causationId?: string): EventOrigin => ({
  traceparent: `00-${name.padStart(32, 'a')}-${SPAN}-01`,
  correlationId: `correlation-${name}`,
  ...(causationId ? { causationId } : {}),
});

describe.each(dialects)('event origins on %s', (dialect) => {
  let dir: string;
  let schema: string;
  let db: Db;
  const outbox = createOutbox('test', { clock: systemClock, ids: uuidV7Ids });

  const written = async (): Promise<CloudEvent[]> =>
    (await db.query<{ envelope: string }>('SELECT envelope FROM outbox ORDER BY position')).map(
      (row) => JSON.parse(row.envelope) as CloudEvent,
    );
  const thing = (subject: string) => ({ contract: THING, subject, sequence: 1, data: {} });
  const ids = (event: CloudEvent) => ({
    subject: event.subject,
    traceparent: event.traceparent,
    correlationid: event.correlationid,
    causationid: event.causationid,
  });

  beforeEach(async () => {
    if (dialect === 'postgres') {
      schema = `t_origin_${runId()}`;
      db = await openContextDb(schema);
      return;
    }
    dir = mkdtempSync(join(tmpdir(), 'tillstream-origin-'));
    db = openSqlite({ file: join(dir, 'test.sqlite'), context: 'test' });
    await runMigrations(db, kernelMigrations);
  });
  afterEach(async () => {
    await db.close();
    if (dialect === 'postgres') await dropSchemas(schema);
    else rmSync(dir, { recursive: true, force: true });
  });

  it("stamps each event with the origin of the request that opened its transaction, even when SQLite's group commit runs them together", async () => {
    // Started in the same tick, so that SQLite's group commit runs all three in one of its transactions,
    // from the context of the first caller.
    await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        runWithOrigin(origin(name), () => db.transaction((tx) => outbox.append(tx, [thing(name)]))),
      ),
    );
    // By subject: on PostgreSQL the three commit in any order.
    const bySubject = (await written()).map(ids).sort((a, b) => a.subject.localeCompare(b.subject));
    expect(bySubject).toEqual(
      ['one', 'three', 'two'].map((name) => ({
        subject: name,
        traceparent: origin(name).traceparent,
        correlationid: `correlation-${name}`,
        causationid: undefined,
      })),
    );
  });

  it('starts one trace per transaction written outside any request or consumer', async () => {
    await db.transaction(async (tx) => {
      await outbox.append(tx, [thing('a')]);
      await outbox.append(tx, [thing('b')]);
    });
    await db.transaction((tx) => outbox.append(tx, [thing('c')]));
    const [a, b, c] = await written();
    expect(a!.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    expect(a!.correlationid).toBe(a!.traceparent!.slice(3, 35));
    expect(ids(b!)).toEqual({ ...ids(a!), subject: 'b' });
    expect(c!.correlationid).not.toBe(a!.correlationid);
    expect(a!.causationid).toBeUndefined();
  });

  it("gives each event of a consumer's batch its own causation, trace and correlation", async () => {
    const causes = ['a', 'b', 'c'].map((name, index) => ({
      event: {
        ...foreignEvent('source', 'test.cause', `cause/${name}`, 1, {}),
        traceparent: `00-${name.repeat(32)}-${SPAN}-0${index % 2}`,
        correlationid: `correlation-${name}`,
      },
      position: index + 1,
    }));
    const consumer: ConsumerSpec = {
      name: 'test.effects',
      db,
      sources: ['source'],
      types: ['test.cause'],
      async prepare() {},
      async handle(event, tx) {
        await outbox.append(tx, [thing(`effect-of-${event.subject}`)]);
      },
      async finish(tx) {
        await outbox.append(tx, [thing('batch')]);
      },
    };
    // Inside a request, as `tillstream dlq redrive` through an admin route would be.
    await runWithOrigin(origin('redrive'), () =>
      applyEvents(consumer, 'source', causes, new Date().toISOString()),
    );
    const events = await written();
    for (const [index, { event: cause }] of causes.entries()) {
      const effect = events[index]!;
      expect(effect.subject).toBe(`effect-of-${cause.subject}`);
      expect(effect.causationid).toBe(cause.id);
      expect(effect.correlationid).toBe(cause.correlationid);
      const [, traceId, spanId, flags] = effect.traceparent!.split('-');
      const [, causeTraceId, , causeFlags] = cause.traceparent.split('-');
      expect({ traceId, flags }).toEqual({ traceId: causeTraceId, flags: causeFlags });
      expect(spanId).not.toBe(SPAN);
    }
    // What finish writes is the batch's: it keeps the transaction's own origin.
    expect(ids(events[3]!)).toEqual({
      subject: 'batch',
      traceparent: origin('redrive').traceparent,
      correlationid: 'correlation-redrive',
      causationid: undefined,
    });
  });
});

describe('the request origin of API routes', () => {
  let harness: ContextHarness;
  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      const answer = async () => ({ origin: currentOrigin() ?? null });
      app.post('/origin', answer);
      app.put('/origin', answer);
      app.get('/origin', answer);
    });
  });
  afterAll(async () => harness?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', traceparent?: string) =>
    harness.app.inject({
      method,
      url: '/probe/v1/origin',
      headers: { authorization: `Bearer ${harness.adminKey}`, ...(traceparent ? { traceparent } : {}) },
      ...(method === 'GET' ? {} : { payload: {} }),
    });

  it("makes a child span of the request's traceparent and correlates by its trace id", async () => {
    for (const method of ['POST', 'PUT'] as const) {
      const response = await call(method, `00-${TRACE}-${SPAN}-01`);
      expect(response.headers['x-trace-id']).toBe(TRACE);
      const { origin: seen } = response.json();
      expect(seen.correlationId).toBe(TRACE);
      expect(seen.traceparent).toMatch(new RegExp(`^00-${TRACE}-(?!${SPAN})[\\da-f]{16}-01$`));
      expect(seen.causationId).toBeUndefined();
    }
  });

  it('starts a trace, the one answered as x-trace-id, when no valid traceparent came in', async () => {
    const response = await call('POST', `00-${'0'.repeat(32)}-${SPAN}-01`);
    const traceId = response.headers['x-trace-id'] as string;
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    expect(response.json().origin).toMatchObject({ correlationId: traceId });
    expect(response.json().origin.traceparent).toMatch(new RegExp(`^00-${traceId}-[\\da-f]{16}-01$`));
  });

  it('leaves reads without an origin: they write nothing', async () => {
    expect((await call('GET', `00-${TRACE}-${SPAN}-01`)).json()).toEqual({ origin: null });
  });
});
