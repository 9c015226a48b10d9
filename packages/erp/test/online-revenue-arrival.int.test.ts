import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { createJournalStore } from '../src/finance/journal.store.js';
import { netRevenue, onlineRevenueRig, pgUrl, PLACED, signed } from './online-revenue.rig.js';

/**
 * An online order's documents come from two logs, commerce's (the order, its refunds) and ERP's (its
 * shipments), which the finance consumer reads apart: whichever arrives first, its books balance, the deposit
 * empties once the order has shipped, and its revenue is the same. Orders booked before deposits existed keep
 * the revenue they booked when placed.
 */
describe.each(harnessDialects(pgUrl))('online revenue in any order of arrival on %s', (dialect) => {
  const rig = onlineRevenueRig(dialect);
  const { tee } = rig.skus;

  it.each([
    ['the refund first (commerce’s log read ahead of ERP’s)', 'refund-first'],
    ['the shipment first', 'shipment-first'],
  ])('ends with the same revenue and an empty deposit, %s', async (_what, order) => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', rig.placed(orderId));
    // The parcel left on the 6th; 10.00 was refunded on the 8th.
    const parcel = rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2026-11-06T09:00:00.000Z');
    const refund = rig.refunded(orderId, 'F1', 1000, 1000, '2026-11-08T09:00:00.000Z');
    if (order === 'refund-first') {
      await rig.bookFinance('commerce', refund);
      await rig.bookFinance('erp', parcel);
    } else {
      await rig.bookFinance('erp', parcel);
      await rig.bookFinance('commerce', refund);
    }
    const books = await rig.booksOf(orderId);
    // 155 of the 423 tax comes back with the 10.00; the rest, 845, comes off what the goods earn.
    expect(books).toMatchObject({ '1150': 1723, '2100': -268, '2400': 0 });
    expect(netRevenue(books)).toBe(2300 - 845);
    const refundEntry = (await rig.entriesOf(orderId)).find((entry) => entry.kind === 'online_refund')!;
    expect(signed(refundEntry.lines)).toEqual(
      order === 'refund-first'
        ? { '1150': -1000, '2100': 155, '2400': 845 }
        : { '1150': -1000, '2100': 155, '4100': 845 },
    );
  });

  it('keeps a shipment read before its order, and recognises it when the order is booked', async () => {
    const orderId = uniqueName('order');
    const parcel = rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2026-11-05T11:00:00.000Z');
    await rig.bookFinance('erp', parcel);
    expect(await rig.entriesOf(orderId)).toEqual([]);
    await rig.bookFinance('commerce', rig.placed(orderId));
    const [, recognised] = await rig.entriesOf(orderId);
    expect(recognised).toMatchObject({
      kind: 'online_shipment',
      occurredAt: '2026-11-05T11:00:00.000Z',
      eventId: parcel.id,
    });
    expect(await rig.booksOf(orderId)).toMatchObject({ '2400': 0, '4000': -2500, '4050': 200 });
  });

  it('recognises nothing when an order booked as revenue before deposits ships; its refund returns revenue', async () => {
    const orderId = uniqueName('order');
    // As the journal booked orders before: revenue when placed.
    const journal = createJournalStore({ clock: rig.erp().clock });
    await rig.erp().db.transaction((tx) =>
      journal.post(
        tx,
        {
          kind: 'online_order',
          sourceId: orderId,
          locationId: null,
          channel: 'web',
          occurredAt: PLACED,
          currency: 'EUR',
          lines: [
            { account: '1150', debit: 1210, credit: 0 },
            { account: '2100', debit: 0, credit: 210 },
            { account: '4000', debit: 0, credit: 1000 },
          ],
          taxBases: [{ ratePpm: 210_000, net: 1000, tax: 210 }],
        },
        'old-event',
      ),
    );
    const parcel = rig.shipped(
      orderId,
      'wh-1',
      [{ sku: tee, quantity: 1 }],
      true,
      '2026-11-06T09:00:00.000Z',
    );
    await rig.bookFinance('erp', parcel);
    await rig.bookFinance('erp', { ...parcel, id: `${parcel.id}-again` });
    await rig.bookFinance('commerce', rig.refunded(orderId, 'F1', 1210, 1210, '2026-11-07T09:00:00.000Z'));
    const entries = await rig.entriesOf(orderId);
    expect(entries.map((entry) => entry.kind)).toEqual(['online_order', 'online_refund']);
    expect(signed(entries[1]!.lines)).toEqual({ '1150': -1210, '2100': 210, '4100': 1000 });
  });

  it('applies a shipment and a refund of one order read at once from the two logs, one after the other', async () => {
    const orders = Array.from({ length: 6 }, () => uniqueName('order'));
    for (const orderId of orders) await rig.bookFinance('commerce', rig.placed(orderId));
    await Promise.all(
      orders.flatMap((orderId) => [
        rig.bookFinance('erp', rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2026-11-06T09:00:00.000Z')),
        rig.bookFinance('commerce', rig.refunded(orderId, 'F1', 1000, 1000, '2026-11-06T10:00:00.000Z')),
      ]),
    );
    for (const orderId of orders) {
      const entries = await rig.entriesOf(orderId);
      expect(entries.map((entry) => entry.kind).sort()).toEqual([
        'online_order',
        'online_refund',
        'online_shipment',
      ]);
      const books = await rig.booksOf(orderId);
      // Whichever took the order's row first, the deposit is emptied exactly and the revenue is the same.
      expect(books['2400']).toBe(0);
      expect(netRevenue(books)).toBe(2300 - 845);
    }
  });

  it('recognises shipments read at once with their order’s placement, whichever takes the row first', async () => {
    const orders = Array.from({ length: 6 }, () => uniqueName('order'));
    await Promise.all(
      orders.flatMap((orderId) => [
        rig.bookFinance('erp', rig.shipped(orderId, 'wh-1', rig.allOfIt(), true, '2026-11-06T09:00:00.000Z')),
        rig.bookFinance('commerce', rig.placed(orderId)),
      ]),
    );
    for (const orderId of orders)
      expect(await rig.booksOf(orderId)).toMatchObject({ '2400': 0, '4000': -2500, '4050': 200 });
  });
});
