import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { dayOf, onlineRevenueRig, pgUrl, signed } from './online-revenue.rig.js';

/** This suite's days, which no other books on, so that its periods hold its order alone. */
const DECEMBER = {
  placed: '2026-12-01T10:00:00.000Z',
  first: '2026-12-02T09:00:00.000Z',
  last: '2026-12-03T09:00:00.000Z',
};

/**
 * Online revenue recognised when the goods ship, on a real database: the finance consumer books an order into
 * customer deposits (2400) and moves each parcel's share to revenue when `erp.fulfillment.shipped` arrives from
 * ERP's own log, once however often it arrives.
 */
describe.each(harnessDialects(pgUrl))('online revenue at shipment on %s', (dialect) => {
  const rig = onlineRevenueRig(dialect);
  const { tee, book, mug, giftBox } = rig.skus;

  it('pays an order into deposits, recognises each parcel when it ships, once however often it arrives', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', rig.placed(orderId, rig.shirtsAndBook(), DECEMBER.placed));
    const [order] = await rig.entriesOf(orderId);
    expect(signed(order!.lines)).toEqual({ '1150': 2723, '2100': -423, '2400': -2300 });
    const onPlacement = await rig.balances(dayOf(DECEMBER.placed));
    expect(onPlacement).toMatchObject({ '1150': 2723, '2100': 423, '2400': 2300 });
    expect(onPlacement['4000']).toBeUndefined();

    // The first parcel, a shirt, the next day; delivered again, and published again under another id.
    const first = rig.shipped(orderId, 'wh-1', [{ sku: tee, quantity: 1 }], false, DECEMBER.first);
    await rig.bookFinance('erp', first);
    await rig.bookFinance('erp', first);
    await rig.bookFinance('erp', { ...first, id: `${first.id}-again` });
    const [, parcel] = await rig.entriesOf(orderId);
    expect(parcel).toMatchObject({
      kind: 'online_shipment',
      sourceId: `${orderId}/${orderId}:wh-1`,
      occurredAt: DECEMBER.first,
      eventId: first.id,
    });
    expect(signed(parcel!.lines)).toEqual({ '2400': 900, '4000': -978, '4050': 78 });

    const rest = [
      { sku: tee, quantity: 1 },
      { sku: book, quantity: 1 },
    ];
    await rig.bookFinance('erp', rig.shipped(orderId, 'wh-2', rest, true, DECEMBER.last));
    const entries = await rig.entriesOf(orderId);
    expect(entries.map((entry) => entry.kind)).toEqual([
      'online_order',
      'online_shipment',
      'online_shipment',
    ]);
    expect(await rig.booksOf(orderId)).toEqual({
      '1150': 2723,
      '2100': -423,
      '2400': 0,
      '4000': -2500,
      '4050': 200,
    });
    // Each day has its own: the deposit the day it was paid, the revenue the days the goods left.
    expect(await rig.balances(dayOf(DECEMBER.first))).toEqual({ '2400': -900, '4000': 978, '4050': 78 });
    expect(await rig.balances(dayOf(DECEMBER.last))).toEqual({ '2400': -1400, '4000': 1522, '4050': 122 });

    // The tax and its goods are reported when the order is paid, the tax point, and agree with the accounts.
    const summary = async (query: string) =>
      (await rig.erp().api('GET', `/finance/tax-summary?channel=web&${query}`)).body.currencies[0];
    expect(await summary(dayOf(DECEMBER.placed))).toMatchObject({
      rates: [
        expect.objectContaining({ ratePpm: 90_000, net: 500, tax: 45 }),
        expect.objectContaining({ ratePpm: 210_000, net: 1800, tax: 378 }),
      ],
      journal: { net: 2300, tax: 423 },
      reconciled: true,
    });
    // Recognising the revenue moves it off 2400 and reports no tax or goods again.
    expect(await summary(`from=${DECEMBER.first}`)).toMatchObject({
      rates: [],
      journal: { net: 0, tax: 0 },
      reconciled: true,
    });
  });

  it('recognises a kit’s components by the share of its price they carry', async () => {
    const orderId = uniqueName('order');
    const box = { lineNo: 1, sku: giftBox, quantity: 1, unitPrice: 900, lineTotal: 900 };
    await rig.bookFinance('commerce', rig.placed(orderId, [box]));
    await rig.bookFinance(
      'erp',
      rig.shipped(orderId, 'wh-1', [{ sku: mug, quantity: 2 }], false, '2026-11-06T09:00:00.000Z'),
    );
    const [, parcel] = await rig.entriesOf(orderId);
    // Two mugs of the three units in the box: 600 of its 900.
    expect(signed(parcel!.lines)).toEqual({ '2400': 600, '4000': -600 });
  });
});
