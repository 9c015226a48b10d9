import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { applyEvents } from '@tillstream/kernel';
import { createHub } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('hub event log on a real %s database', (dialect) => {
  let hub: ContextHarness;
  const get = (url: string) =>
    hub.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${hub.adminKey}` } });
  const events = Array.from({ length: 7 }, (_, index) =>
    foreignEvent(
      index % 2 ? 'erp' : 'pos',
      index % 2 ? 'erp.product.upserted' : 'pos.sale.completed',
      `x/${index}`,
      1,
      { index },
    ),
  );

  beforeAll(async () => {
    hub = await createContextHarness((deps) => createHub({ ...deps, sources: ['erp', 'pos'] }), {
      dialect,
      pgUrl,
      name: 'hub',
    });
    for (const event of events) await hub.deliver(event.source.split('/').pop()!, event);
    await hub.deliver('pos', events[0]!);
  });
  afterAll(async () => hub?.close());

  it('lists each event once, in arrival order, and pages by cursor', async () => {
    const first = (await get('/hub/v1/events?limit=4')).json();
    const second = (await get(`/hub/v1/events?limit=4&after=${first.next}`)).json();
    const third = (await get(`/hub/v1/events?limit=4&after=${second.next}`)).json();
    expect([...first.events, ...second.events].map((event: { id: string }) => event.id)).toEqual(
      events.map((event) => event.id),
    );
    expect(third).toEqual({ events: [], next: second.next });
  });

  it('filters by type', async () => {
    const sales = (await get('/hub/v1/events?type=pos.sale.completed')).json();
    expect(sales.events).toHaveLength(4);
  });

  it('filters by type patterns, and its cursor moves past the events it skipped', async () => {
    const all = (await get('/hub/v1/events?limit=1000')).json();
    expect((await get('/hub/v1/events?type=erp.*')).json().events).toHaveLength(3);
    expect((await get('/hub/v1/events?type=erp.*,pos.sale.completed')).json().events).toHaveLength(7);
    expect((await get('/hub/v1/events?type=*')).json().events).toHaveLength(7);
    const none = (await get('/hub/v1/events?type=hub.*')).json();
    expect(none).toEqual({ events: [], next: all.next });
    const firstSale = (await get('/hub/v1/events?type=pos.*&limit=1')).json();
    expect(firstSale.events.map((event: { id: string }) => event.id)).toEqual([events[0]!.id]);
    expect((await get('/hub/v1/events?type=erp..x')).json().code).toBe('validation_failed');
  });

  it('takes cursors up to 2^53 − 1, where positions stay exact, and refuses larger ones', async () => {
    // Exact, so refused as what it is: beyond this log's newest event, not mistaken for another position.
    const largest = String(Number.MAX_SAFE_INTEGER);
    expect((await get(`/hub/v1/events?after=${largest}`)).json()).toMatchObject({ code: 'cursor_ahead' });
    for (const after of ['9007199254740992', '9999999999999999']) {
      const refused = await get(`/hub/v1/events?after=${after}`);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('validation_failed');
    }
  });

  it('needs a key with hub:read', async () => {
    expect((await hub.app.inject({ method: 'GET', url: '/hub/v1/events' })).json().code).toBe('unauthorized');
  });

  it('indexes a batch in its order, each event once, past the rows one statement takes', async () => {
    const before = (await get('/hub/v1/events?limit=1000')).json().next as string;
    const batch = Array.from({ length: 250 }, (_, index) =>
      foreignEvent('erp', 'erp.stock.changed', `stock/B${index}@S1`, 1, { index }),
    );
    // A redelivered event of an earlier batch, and one event twice within this one, are indexed once.
    await hub.deliverAll('erp', [batch[0]!, events[1]!, ...batch, batch[3]!]);
    const listed = (await get(`/hub/v1/events?limit=1000&after=${before}`)).json().events as Array<{
      id: string;
    }>;
    expect(listed.map((event) => event.id)).toEqual(batch.map((event) => event.id));
  });

  // Last: it moves the index's checkpoint for pos far ahead.
  it('makes a batch from one source wait for another source’s batch in flight, so readers see a prefix', async () => {
    const index = hub.module.consumers.find((consumer) => consumer.name === 'hub.event-index')!;
    const first = foreignEvent('erp', 'erp.product.upserted', 'x/first', 1, {});
    const second = foreignEvent('pos', 'pos.sale.completed', 'x/second', 1, {});
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted: () => void = () => {};
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    // The erp batch has taken its position and holds its transaction open.
    const slow = hub.db.transaction(async (tx) => {
      await index.prepare!([first], tx);
      await index.handle(first, tx);
      await index.finish!(tx);
      inserted();
      await held;
    });
    await firstInserted;
    let secondCommitted = false;
    const fast = applyEvents(
      index,
      'pos',
      [{ event: second, position: 1_000 }],
      new Date().toISOString(),
    ).then(() => (secondCommitted = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Had the pos batch committed now, its higher position would be visible with the lower one still missing.
    expect(secondCommitted).toBe(false);
    release();
    await Promise.all([slow, fast]);
    const ids = (await get('/hub/v1/events?limit=1000'))
      .json()
      .events.map((event: { id: string }) => event.id);
    expect(ids.indexOf(first.id)).toBeGreaterThan(-1);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
  });
});
