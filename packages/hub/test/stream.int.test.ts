import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { openSse } from '../../../test/support/sse.js';
import { pgUrl, startHubRig, until, type HubRig } from './hub-rig.js';

describe.each(harnessDialects(pgUrl))('live event stream on a real %s database', (dialect) => {
  let rig: HubRig;
  let base: string;
  let auth: Record<string, string>;
  beforeAll(async () => {
    rig = await startHubRig(dialect);
    base = await rig.hub.app.listen({ port: 0, host: '127.0.0.1' });
    auth = { authorization: `Bearer ${rig.hub.adminKey}` };
  });
  afterAll(async () => rig?.close());

  it('tails the log live and resumes after Last-Event-ID', async () => {
    const first = await openSse(`${base}/hub/v1/events/stream`, auth);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ids = [
      await rig.publish('erp.stock.changed', 'stock/A'),
      await rig.publish('pos.sale.completed', 'sale/1'),
    ];
    await until(() => first.events().length === 2, 'two live events');
    expect(first.events().map((event) => event.id)).toEqual(ids);
    expect(first.frames[0]).toEqual({ retry: 2000 });
    first.close();

    const resumeAfter = first.lastEventId()!;
    ids.push(await rig.publish('erp.stock.changed', 'stock/B'));
    const second = await openSse(`${base}/hub/v1/events/stream`, { ...auth, 'last-event-id': resumeAfter });
    await until(() => second.events().length === 1, 'the event missed while away');
    ids.push(await rig.publish('erp.stock.changed', 'stock/C'));
    await until(() => second.events().length === 2, 'and the next live one');
    expect(second.events().map((event) => event.id)).toEqual(ids.slice(2));
    second.close();
  });

  it('filters by type patterns, sends heartbeats and moves the resume position past skipped events', async () => {
    const start = (await rig.api('GET', '/hub/v1/events?limit=1000')).body.next;
    const stream = await openSse(`${base}/hub/v1/events/stream?type=pos.*&after=${start}`, auth);
    const sale = await rig.publish('pos.sale.completed', 'sale/2');
    await rig.publish('erp.stock.changed', 'stock/D');
    await until(() => stream.events().length === 1, 'the sale');
    await until(() => stream.frames.some((frame) => frame.comment === 'heartbeat'), 'a heartbeat');
    expect(stream.events().map((event) => event.id)).toEqual([sale]);
    const head = (await rig.api('GET', '/hub/v1/events?limit=1000')).body.next;
    await until(() => stream.lastEventId() === head, 'resume position at the head');
    stream.close();
  });

  it("answers HEAD at once with a stream's headers and no body", async () => {
    const head = await fetch(`${base}/hub/v1/events/stream`, {
      method: 'HEAD',
      headers: auth,
      signal: AbortSignal.timeout(5_000),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await head.text()).toBe('');
  });

  it('refuses a malformed Last-Event-ID and a key without hub:read', async () => {
    const bad = await fetch(`${base}/hub/v1/events/stream`, { headers: { ...auth, 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).code).toBe('validation_failed');
    for (const [query, headers] of [
      ['?after=9999999999999999', auth],
      ['', { ...auth, 'last-event-id': '9007199254740992' }],
    ] as const) {
      const beyond = await fetch(`${base}/hub/v1/events/stream${query}`, { headers });
      expect(beyond.status).toBe(400);
      expect(((await beyond.json()) as any).code).toBe('validation_failed');
    }
    const anonymous = await fetch(`${base}/hub/v1/events/stream`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses a cursor beyond the newest event, on the stream and the page alike', async () => {
    // Forged, or from a log this one was restored over: taken, it would skip every event up to it in silence.
    const head = Number((await rig.api('GET', '/hub/v1/events?limit=1000')).body.next);
    const ahead = String(head + 100_000);
    for (const headers of [auth, { ...auth, 'last-event-id': ahead }]) {
      const query = headers === auth ? `?after=${ahead}` : '';
      const answer = await fetch(`${base}/hub/v1/events/stream${query}`, { headers });
      expect(answer.status).toBe(409);
      expect(await answer.json()).toMatchObject({ code: 'cursor_ahead', headCursor: String(head) });
    }
    const page = await rig.api('GET', `/hub/v1/events?after=${ahead}`);
    expect([page.status, page.body.code, page.body.headCursor]).toEqual([409, 'cursor_ahead', String(head)]);
    // At the head itself nothing was skipped: an empty page, as ever.
    expect((await rig.api('GET', `/hub/v1/events?after=${head}`)).body).toMatchObject({
      events: [],
      next: String(head),
    });
  });

  it('ends open streams when the server closes', async () => {
    const stream = await openSse(`${base}/hub/v1/events/stream`, auth);
    await until(() => stream.frames.length > 0, 'stream open');
    const closing = rig.hub.app.close();
    await expect(
      Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))]),
    ).resolves.toBe('closed');
  });
});
