import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { dayOf, netRevenue, onlineRevenueRig, pgUrl, signed } from './online-revenue.rig.js';

/** This suite's days, which no other of its orders books on, so that its periods hold one order alone. */
const JANUARY = {
  placed: '2027-01-04T10:00:00.000Z',
  first: '2027-01-05T09:00:00.000Z',
  last: '2027-01-06T09:00:00.000Z',
};
const LATER = '2027-01-20T09:00:00.000Z';

/**
 * An online order's delivery in the books, on a real database, from events built as commerce and ERP publish
 * them: its tax owed and its net deposited when the order is paid, its net earned (4070) when the first parcel
 * ships, in whichever order the two logs are read, and its part of the deposit given back by a refund before.
 */
describe.each(harnessDialects(pgUrl))('an online order’s delivery in the books on %s', (dialect) => {
  const rig = onlineRevenueRig(dialect);
  const { tee, book } = rig.skus;
  /** The shirts and book with 4.95 delivery: 27.23 + 4.95 = 32.18 paid. */
  const placedWithDelivery = (orderId: string, placedAt = JANUARY.placed) =>
    rig.placed(orderId, rig.shirtsAndBook(), placedAt, rig.delivery());
  const summary = async (query: string) =>
    (await rig.erp().api('GET', `/finance/tax-summary?channel=web&${query}`)).body.currencies[0];

  it('deposits the delivery when paid and earns it with the first parcel, once however often it arrives', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', placedWithDelivery(orderId));
    const [order] = await rig.entriesOf(orderId);
    expect(signed(order!.lines)).toEqual({ '1150': 3218, '2100': -509, '2400': -2709 });
    // The delivery's tax and net are reported at its rate with the goods of that rate, and agree with the books.
    expect(await summary(dayOf(JANUARY.placed))).toMatchObject({
      rates: [
        expect.objectContaining({ ratePpm: 90_000, net: 500, tax: 45 }),
        expect.objectContaining({ ratePpm: 210_000, net: 1800 + 409, tax: 378 + 86 }),
      ],
      journal: { net: 2709, tax: 509 },
      reconciled: true,
    });

    const first = rig.shipped(orderId, 'wh-1', [{ sku: tee, quantity: 1 }], false, JANUARY.first);
    await rig.bookFinance('erp', first);
    await rig.bookFinance('erp', { ...first, id: `${first.id}-again` });
    const last = [
      { sku: tee, quantity: 1 },
      { sku: book, quantity: 1 },
    ];
    await rig.bookFinance('erp', rig.shipped(orderId, 'wh-2', last, true, JANUARY.last));
    const entries = await rig.entriesOf(orderId);
    expect(entries.map((entry) => signed(entry.lines))).toEqual([
      { '1150': 3218, '2100': -509, '2400': -2709 },
      { '2400': 900 + 409, '4000': -978, '4050': 78, '4070': -409 },
      { '2400': 1400, '4000': -1522, '4050': 122 },
    ]);
    expect(await rig.balances(dayOf(JANUARY.first))).toEqual({
      '2400': -1309,
      '4000': 978,
      '4050': 78,
      '4070': 409,
    });
    // Moving the delivery to 4070 moves it within what the tax summary counts as revenue: no goods, no tax again.
    expect(await summary(`from=${JANUARY.first}&to=${LATER}`)).toMatchObject({
      rates: [],
      journal: { net: 0, tax: 0 },
      reconciled: true,
    });
    const { body: chart } = await rig.erp().api('GET', '/finance/accounts');
    expect(JSON.stringify(chart)).toContain('"4070"');
  });

  it('earns the delivery with the first parcel shipped when the parcels were read before their order', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance(
      'erp',
      rig.shipped(orderId, 'wh-1', [{ sku: book, quantity: 1 }], false, '2027-01-07T09:00:00.000Z'),
      rig.shipped(orderId, 'wh-2', [{ sku: tee, quantity: 2 }], true, '2027-01-08T09:00:00.000Z'),
    );
    expect(await rig.entriesOf(orderId)).toEqual([]);
    await rig.bookFinance('commerce', placedWithDelivery(orderId, '2027-01-06T12:00:00.000Z'));
    const [, book1, tees] = await rig.entriesOf(orderId);
    expect(book1).toMatchObject({ kind: 'online_shipment', occurredAt: '2027-01-07T09:00:00.000Z' });
    expect(signed(book1!.lines)).toEqual({ '2400': 500 + 409, '4000': -543, '4050': 43, '4070': -409 });
    expect(signed(tees!.lines)['4070']).toBeUndefined();
    expect(await rig.booksOf(orderId)).toMatchObject({ '2400': 0, '4000': -2500, '4050': 200, '4070': -409 });
  });

  it('gives a cancel before shipping back out of the deposit whole, delivery and its tax included', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', placedWithDelivery(orderId, '2027-01-11T10:00:00.000Z'));
    await rig.bookFinance('commerce', rig.refunded(orderId, 'F1', 3218, 3218, '2027-01-11T11:00:00.000Z'));
    // The parcel that left before the cancel was read earns nothing: nothing is left in the deposit.
    await rig.bookFinance(
      'erp',
      rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2027-01-11T10:30:00.000Z'),
    );
    expect(await rig.booksOf(orderId)).toEqual({ '1150': 0, '2100': 0, '2400': 0 });
    expect(await summary(dayOf('2027-01-11T10:00:00.000Z'))).toMatchObject({
      rates: [
        expect.objectContaining({ ratePpm: 90_000, net: 0, tax: 0, returns: { net: 500, tax: 45 } }),
        expect.objectContaining({ ratePpm: 210_000, net: 0, tax: 0, returns: { net: 2209, tax: 464 } }),
      ],
      reconciled: true,
    });
  });

  it.each([
    ['the refund first', 'refund-first'],
    ['the shipment first', 'shipment-first'],
  ])('ends a partial refund with an empty deposit and the same revenue, %s', async (_what, order) => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', placedWithDelivery(orderId, '2027-01-12T10:00:00.000Z'));
    const parcel = rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2027-01-13T09:00:00.000Z');
    const refund = rig.refunded(orderId, 'F1', 1000, 1000, '2027-01-14T09:00:00.000Z');
    if (order === 'refund-first') {
      await rig.bookFinance('commerce', refund);
      await rig.bookFinance('erp', parcel);
    } else {
      await rig.bookFinance('erp', parcel);
      await rig.bookFinance('commerce', refund);
    }
    const books = await rig.booksOf(orderId);
    // 158 of the 509 tax comes back with the 10.00; 842 comes off the 2709 the goods and delivery earn.
    expect(books).toMatchObject({ '1150': 2218, '2100': -351, '2400': 0 });
    expect(netRevenue(books) - (books['4070'] ?? 0)).toBe(2709 - 842);
    // Read first, the refund took its share of the delivery out of the deposit; read after, it is a return.
    expect(books['4070']).toBe(order === 'refund-first' ? -282 : -409);
  });

  it('returns revenue for a refund after shipping beyond the goods’ deposit; the books stay balanced', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', placedWithDelivery(orderId, '2027-01-15T10:00:00.000Z'));
    await rig.bookFinance(
      'erp',
      rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2027-01-15T12:00:00.000Z'),
    );
    await rig.bookFinance('commerce', rig.refunded(orderId, 'F1', 3218, 3218, '2027-01-16T09:00:00.000Z'));
    const refund = (await rig.entriesOf(orderId)).at(-1)!;
    expect(signed(refund.lines)).toEqual({ '1150': -3218, '2100': 509, '4100': 2709 });
    const { body } = await rig.erp().api('GET', '/finance/trial-balance?channel=web');
    expect(body.currencies[0]).toMatchObject({ balanced: true });
    expect(
      body.currencies[0].accounts.find((account: { code: string }) => account.code === '4070'),
    ).toMatchObject({ name: 'Shipping income', type: 'revenue' });
  });

  it('gives a delivery refunded on its own back at its rate, and the goods at theirs, each to the cent', async () => {
    const orderId = uniqueName('order');
    const day = '2027-01-21T10:00:00.000Z';
    await rig.bookFinance('commerce', placedWithDelivery(orderId, day));
    await rig.bookFinance(
      'erp',
      rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2027-01-21T11:00:00.000Z'),
    );
    await rig.bookFinance(
      'commerce',
      rig.refunded(orderId, 'F1', 495, 495, '2027-01-21T12:00:00.000Z', {
        shipping: 495,
        shippingRefunded: 495,
      }),
    );
    await rig.bookFinance(
      'commerce',
      rig.refunded(orderId, 'F2', 2723, 3218, '2027-01-21T13:00:00.000Z', {
        shipping: 0,
        shippingRefunded: 495,
      }),
    );
    const [, , delivery, goods] = await rig.entriesOf(orderId);
    // The delivery's own tax (86 at 21 %) comes back with it, so its net undoes what it earned, to the cent.
    expect(signed(delivery!.lines)).toEqual({ '1150': -495, '2100': 86, '4070': 409 });
    expect(signed(goods!.lines)).toEqual({ '1150': -2723, '2100': 423, '4100': 2300 });
    expect(await summary(dayOf(day))).toMatchObject({
      rates: [
        expect.objectContaining({ ratePpm: 90_000, returns: { net: 500, tax: 45 }, net: 0, tax: 0 }),
        expect.objectContaining({ ratePpm: 210_000, returns: { net: 2209, tax: 464 }, net: 0, tax: 0 }),
      ],
      journal: { net: 0, tax: 0 },
      reconciled: true,
    });
    const { body } = await rig.erp().api('GET', `/finance/online-orders/${orderId}`);
    expect(body.delivery).toMatchObject({ deposit: 409, earned: 409, returned: 409 });
  });
});
