import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createAnalytics } from '../src/index.js';
import { createSalesStore } from '../src/sales/sales.store.js';
import { pgUrl } from './analytics-rig.js';

type Row = Record<string, number> & { taxByRate: Array<Record<string, number | null>> };

const rate = (ratePpm: number | null, over: Record<string, number>) => ({
  ratePpm,
  net: 0,
  tax: 0,
  returnsNet: 0,
  returnsTax: 0,
  ...over,
});

/**
 * An online order's delivery in the sales consumer, on a real database, from events built as commerce
 * publishes them: the goods are the sales, the delivery is not, but its tax is counted per rate as ERP's
 * journal books it, at placement and in every refund, so a VAT return read from analytics is ERP's.
 */
describe.each(harnessDialects(pgUrl))('an online order’s delivery in analytics on %s', (dialect) => {
  let analytics: ContextHarness;

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
  });
  afterAll(async () => analytics?.close());

  /**
   * The shirts (21 %) and a book (9 %), 27.23, with 4.95 delivery, 0.86 of it 21 % VAT: 32.18 paid. `over`
   * replaces any of it.
   */
  const placed = (orderId: string, channel: string, over: Record<string, unknown> = {}) =>
    foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
      orderId,
      cartId: 'c1',
      reservationId: 'h1',
      channel,
      email: 'a@example.com',
      currency: 'EUR',
      lines: [
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 2,
          unitPrice: 1210,
          lineTotal: 2178,
          tax: { ratePpm: 210_000, inclusive: true, amount: 378 },
        },
        {
          lineNo: 2,
          sku: 'BOOK',
          quantity: 1,
          unitPrice: 545,
          lineTotal: 545,
          tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
        },
      ],
      shipping: {
        methodId: 'postnl-standard',
        name: 'PostNL standard',
        amount: 495,
        tax: { ratePpm: 210_000, inclusive: true, amount: 86 },
        address: {
          name: 'A. Shopper',
          line1: 'Keizersgracht 1',
          postalCode: '1015 CJ',
          city: 'Amsterdam',
          country: 'NL',
        },
      },
      total: 3218,
      payment: { method: 'test', reference: 'p1' },
      placedAt: '2026-09-01T12:00:00Z',
      ...over,
    });
  /** A refund; `named`: what it names of the delivery and the order's running total of that, as commerce says. */
  const refunded = (
    orderId: string,
    refundId: string,
    amount: number,
    refunded: number,
    named: { shipping: number; shippingRefunded: number } | Record<string, never> = {},
  ) =>
    foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}/refund/${refundId}`, 1, {
      orderId,
      refundId,
      currency: 'EUR',
      amount,
      refunded,
      ...named,
      reason: 'cancelled',
      returnId: null,
      payment: { method: 'test', reference: 'p1' },
      refundedAt: '2026-09-01T13:00:00Z',
    });
  const rowOf = async (channel: string) => {
    const response = await analytics.api('GET', `/sales?from=2026-09-01&to=2026-09-02&channel=${channel}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const rows = (response.body as { rows: Row[] }).rows;
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('counts the goods as sales and the delivery’s tax at its rate, once however often it arrives', async () => {
    const channel = uniqueName('web').replace(/[^A-Za-z0-9._-]/g, '-');
    const order = placed(uniqueName('order'), channel);
    await analytics.deliverAll('commerce', [order, order]);
    const row = await rowOf(channel);
    expect(row).toMatchObject({
      gross: 2965,
      discounts: 242,
      net: 2723,
      tax: 509,
      units: 3,
      transactions: 1,
    });
    expect(row.taxByRate).toEqual([
      rate(90_000, { net: 500, tax: 45 }),
      rate(210_000, { net: 2209, tax: 464 }),
    ]);
  });

  it('counts a cancel in two refunds as the goods’ returns, and all the tax back per rate', async () => {
    const channel = uniqueName('web').replace(/[^A-Za-z0-9._-]/g, '-');
    const orderId = uniqueName('order');
    await analytics.deliver('commerce', placed(orderId, channel));
    await analytics.deliverAll('commerce', [
      refunded(orderId, 'f1', 1000, 1000),
      refunded(orderId, 'f2', 2218, 3218),
    ]);
    const row = await rowOf(channel);
    // The day's net after returns is nothing, the delivery's money not counted as a return of goods.
    expect(row).toMatchObject({ net: 2723, returns: 2723, netAfterReturns: 0, tax: 509, returnsTax: 509 });
    expect(row.taxByRate).toEqual([
      rate(90_000, { net: 500, tax: 45, returnsNet: 500, returnsTax: 45 }),
      rate(210_000, { net: 2209, tax: 464, returnsNet: 2209, returnsTax: 464 }),
    ]);
  });

  it('gives a delivery taxed apart from the goods back at its own rate, the goods at theirs', async () => {
    const channel = uniqueName('web').replace(/[^A-Za-z0-9._-]/g, '-');
    const orderId = uniqueName('order');
    const withoutDelivery = uniqueName('order');
    // The book alone (9 %), with 6.05 delivery at 21 % (1.05 of it): 11.50 paid.
    const book = {
      lineNo: 1,
      sku: 'BOOK',
      quantity: 1,
      unitPrice: 545,
      lineTotal: 545,
      tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
    };
    const shipping = {
      ...(placed(orderId, channel).data as { shipping: object }).shipping,
      amount: 605,
      tax: { ratePpm: 210_000, inclusive: true, amount: 105 },
    };
    await analytics.deliverAll('commerce', [
      placed(orderId, channel, { lines: [book], shipping, total: 1150 }),
      placed(withoutDelivery, `${channel}-x`, { lines: [book], shipping: undefined, total: 545 }),
    ]);
    const store = createSalesStore();
    const taken = (id: string) => analytics.db.transaction((tx) => store.orderTaken(tx, id));
    expect((await taken(orderId))?.delivery).toEqual({ ratePpm: 210_000, net: 500, tax: 105 });
    expect((await taken(withoutDelivery))?.delivery).toBeNull();

    // The delivery refunded alone, then the book returned: each at its own rate, the order back whole.
    await analytics.deliver(
      'commerce',
      refunded(orderId, 'f1', 605, 605, { shipping: 605, shippingRefunded: 605 }),
    );
    expect((await rowOf(channel)).taxByRate).toEqual([
      rate(90_000, { net: 500, tax: 45 }),
      rate(210_000, { net: 500, tax: 105, returnsNet: 500, returnsTax: 105 }),
    ]);
    await analytics.deliver(
      'commerce',
      refunded(orderId, 'f2', 545, 1150, { shipping: 0, shippingRefunded: 605 }),
    );
    const row = await rowOf(channel);
    expect(row).toMatchObject({ tax: 150, returnsTax: 150, returns: 545 });
    expect(row.taxByRate).toEqual([
      rate(90_000, { net: 500, tax: 45, returnsNet: 500, returnsTax: 45 }),
      rate(210_000, { net: 500, tax: 105, returnsNet: 500, returnsTax: 105 }),
    ]);
  });
});
