import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed } from '../src/finance/finance.fixtures.js';
import { dayOf } from './online-revenue.rig.js';
import { pgUrl, startedErp, W1, W2 } from './started-erp.js';

const DAY_MS = 86_400_000;

/**
 * Each parcel of an online order takes its own units out of stock when it ships, with their cost of sales in
 * the period its revenue is recognised in; the last parcel completes the reservation as before.
 */
describe.each(harnessDialects(pgUrl))('parcels leave stock when they ship on %s', (dialect) => {
  const { erp, ok, call, receive } = startedErp(dialect, {
    holdSweepIntervalMs: 60_000,
    locations: [W1, W2],
  });
  let delivered = 0;
  /** ERP's own events fed back to it, as its log would: the valuation and the finance consumer book them. */
  const deliverOwnEvents = async () => {
    const published = await erp().published();
    const fresh = published.slice(delivered);
    delivered = published.length;
    await erp().deliverAll('erp', fresh);
    await erp().allFinished();
  };
  const units = async (sku: string) =>
    ((await ok('GET', `/inventory/${sku}`)).locations as any[]).map(({ locationId, onHand, reserved }) => ({
      locationId,
      onHand,
      reserved,
    }));
  const costOfSales = async (orderId: string) =>
    ((await ok('GET', '/finance/journal?kind=cost_of_sales&limit=500')).entries as any[]).filter(
      (entry) => entry.sourceId.startsWith(`fulfilment/${orderId}:`) || entry.sourceId.includes(orderId),
    );
  const webMargin = async (query: string) => {
    const body = await ok('GET', `/finance/gross-margin?${query}`);
    return (body.currencies[0]?.channels as any[] | undefined)?.find((row) => row.channel === 'web');
  };
  /** Two units at 20.00 paid online; the web channel holds one at each warehouse: two parcels. */
  const placeTwoParcelOrder = async (sku: string) => {
    const orderId = uniqueName('order');
    const reservationId = `checkout:${orderId}`;
    await ok('POST', '/reservations', {
      id: reservationId,
      channel: 'web',
      lines: [{ sku, quantity: 2 }],
      expiresInSeconds: 900,
    });
    const placed: CloudEvent = foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
      orderId,
      cartId: uniqueName('cart'),
      reservationId,
      channel: 'web',
      email: 'a@example.com',
      currency: 'EUR',
      lines: [{ lineNo: 1, sku, quantity: 2, unitPrice: 2000, lineTotal: 4000 }],
      total: 4000,
      payment: { method: 'test', reference: 'test-1' },
      placedAt: erp().clock.now().toISOString(),
    });
    await erp().deliver('commerce', placed);
    return { orderId, reservationId };
  };

  it('takes the first parcel out of stock with its cost, and the last completes the reservation', async () => {
    const sku = uniqueName('PARCEL');
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 2000, currency: 'EUR' } });
    await receive(sku, 'W1', 1, '2026-11-01T08:00:00Z', 1000);
    await receive(sku, 'W2', 1, '2026-11-01T08:00:00Z', 1000);
    const { orderId, reservationId } = await placeTwoParcelOrder(sku);

    const firstDay = erp().clock.now().toISOString();
    await ok('POST', `/fulfillments/${orderId}:W1/ship`);
    expect(await units(sku)).toEqual([
      { locationId: 'W1', onHand: 0, reserved: 0 },
      { locationId: 'W2', onHand: 1, reserved: 1 },
    ]);
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    const atW1 = (await ok('GET', `/inventory/${sku}/movements?locationId=W1`)).movements as any[];
    expect(atW1.find((row) => row.kind === 'commit')).toMatchObject({
      kind: 'commit',
      reference: `fulfilment/${orderId}:W1`,
      channel: 'web',
    });
    // The reservation is still the order's hold of what has not shipped; it published no commit.
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('held');
    const changed = (await erp().published()).filter(
      (event) => event.type === 'erp.stock.changed' && (event.data as any).sku === sku,
    );
    expect(changed.at(-1)!.data).toMatchObject({ locationId: 'W1', onHand: 0, reserved: 0 });
    expect(
      (await erp().published()).filter(
        (event) =>
          event.type === 'erp.reservation.committed' && (event.data as any).reservationId === reservationId,
      ),
    ).toEqual([]);

    // Shipping it again changes nothing.
    await ok('POST', `/fulfillments/${orderId}:W1/ship`);
    expect((await units(sku))[0]).toEqual({ locationId: 'W1', onHand: 0, reserved: 0 });

    await deliverOwnEvents();
    const [first] = await costOfSales(orderId);
    expect(first).toMatchObject({ channel: 'web', locationId: 'W1', occurredAt: firstDay });
    expect(signed(first.lines)).toEqual({ '1300': -1000, '5000': 1000 });
    expect(await webMargin(dayOf(firstDay))).toMatchObject({
      netSales: 2000,
      costOfSales: 1000,
      grossMargin: 1000,
    });

    // The order's hold cannot be given back once a parcel left, and it never expires.
    const release = await call('POST', `/reservations/${reservationId}/release`);
    expect([release.status, (release.body as any).code]).toEqual([409, 'order_transition_invalid']);

    erp().clock.advance(DAY_MS);
    const lastDay = erp().clock.now().toISOString();
    await ok('POST', `/fulfillments/${orderId}:W2/ship`);
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
    expect(await units(sku)).toEqual([
      { locationId: 'W1', onHand: 0, reserved: 0 },
      { locationId: 'W2', onHand: 0, reserved: 0 },
    ]);
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    const committed = (await erp().published()).filter(
      (event) =>
        event.type === 'erp.reservation.committed' && (event.data as any).reservationId === reservationId,
    );
    expect(committed).toHaveLength(1);

    await deliverOwnEvents();
    const costs = await costOfSales(orderId);
    expect(costs.map((entry) => [entry.locationId, signed(entry.lines)['5000']])).toEqual([
      ['W1', 1000],
      ['W2', 1000],
    ]);
    expect(await webMargin(dayOf(lastDay))).toMatchObject({ netSales: 2000, costOfSales: 1000 });
  });

  it('commits a kit order’s components parcel by parcel', async () => {
    const [mug, tea, box] = ['MUG', 'TEA', 'BOX'].map((name) => uniqueName(name)) as [string, string, string];
    for (const sku of [mug, tea])
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 500, currency: 'EUR' } });
    await ok('PUT', `/products/${box}`, {
      name: box,
      price: { amount: 2000, currency: 'EUR' },
      kind: 'kit',
      components: [
        { sku: mug, quantity: 2 },
        { sku: tea, quantity: 1 },
      ],
    });
    // Mugs only at W1, tea only at W2: the kits' components come from two warehouses.
    await receive(mug, 'W1', 4, '2026-11-01T08:00:00Z', 300);
    await receive(tea, 'W2', 2, '2026-11-01T08:00:00Z', 200);
    const { orderId, reservationId } = await placeTwoParcelOrder(box);

    await ok('POST', `/fulfillments/${orderId}:W1/ship`);
    expect(await units(mug)).toEqual([{ locationId: 'W1', onHand: 0, reserved: 0 }]);
    expect(await units(tea)).toEqual([{ locationId: 'W2', onHand: 2, reserved: 2 }]);
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });

    await ok('POST', `/fulfillments/${orderId}:W2/ship`);
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
    expect(await units(tea)).toEqual([{ locationId: 'W2', onHand: 0, reserved: 0 }]);
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
  });

  it('answers an unknown fulfilment with a problem, never a 500', async () => {
    const missing = await call('POST', '/fulfillments/no-such-order:W1/ship');
    expect([missing.status, (missing.body as any).code]).toEqual([404, 'fulfilment_not_found']);
  });
});
