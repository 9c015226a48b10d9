import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createAnalytics } from '../src/index.js';
import { pgUrl, saleEvent } from './analytics-rig.js';

type Row = Record<string, unknown> & { taxByRate: Array<Record<string, unknown>> };

/** ERP's booking of a store document, with its rates as ERP's journal now says them (or none, from before). */
const bookedEvent = (
  kind: 'sale' | 'return',
  documentId: string,
  storeId: string,
  occurredAt: string,
  rates?: Array<{ ratePpm: number | null; charged: 'included' | 'added'; net: number; tax: number }>,
  included = (rates ?? [])
    .filter((rate) => rate.charged === 'included')
    .reduce((sum, rate) => sum + rate.tax, 0),
) => {
  const added = (rates ?? [])
    .filter((rate) => rate.charged === 'added')
    .reduce((sum, rate) => sum + rate.tax, 0);
  return foreignEvent('erp', 'erp.sales_tax.booked', `sales-tax/${kind}/${documentId}`, 1, {
    kind,
    documentId,
    storeId,
    occurredAt,
    currency: 'EUR',
    included,
    added,
    total: included + added,
    ...(rates ? { rates } : {}),
  });
};

const rate = (ratePpm: number | null, over: Record<string, number>) => ({
  ratePpm,
  net: 0,
  tax: 0,
  returnsNet: 0,
  returnsTax: 0,
  ...over,
});

/** A 21 % tee at 12.10 (2.10 inside) and two 9 % loaves at 2.18 (0.36 inside both), in a tax-inclusive store. */
const INCLUSIVE_RATES = [
  { ratePpm: 90_000, charged: 'included' as const, net: 400, tax: 36 },
  { ratePpm: 210_000, charged: 'included' as const, net: 1000, tax: 210 },
];

describe.each(harnessDialects(pgUrl))('tax per rate in analytics on %s', (dialect) => {
  let analytics: ContextHarness;
  const day = (query: string) => `from=2026-08-01&to=2026-08-02&${query}`;
  const report = async (query: string) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { rows: Row[]; next: string | null };
  };
  /** Every row's rates add up to its tax and returned tax: what the report promises. */
  const addsUp = (rows: Row[]) => {
    for (const row of rows) {
      const sum = (field: string) => row.taxByRate.reduce((total, r) => total + (r[field] as number), 0);
      expect([sum('tax'), sum('returnsTax')]).toEqual([row.tax, row.returnsTax]);
    }
  };

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
  });
  afterAll(async () => analytics?.close());

  it.each(['pos', 'erp'] as const)(
    'splits a tax-inclusive store’s sale and return by ERP’s rates, %s’s event first',
    async (first) => {
      const store = uniqueName('S');
      const sale = saleEvent(store, '2026-08-01T10:05:00Z', [
        ['TEE', 1, 1210],
        ['BREAD', 2, 218],
      ]);
      const { saleId } = sale.data as { saleId: string };
      const booked = bookedEvent('sale', saleId, store, '2026-08-01T10:05:00Z', INCLUSIVE_RATES);
      if (first === 'pos') await analytics.deliverAll('pos', [sale, sale]);
      await analytics.deliverAll('erp', [booked, booked]);
      if (first === 'erp') await analytics.deliver('pos', sale);
      const returnId = uniqueName('return');
      await analytics.deliver(
        'pos',
        foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
          returnId,
          storeId: store,
          terminalId: 't1',
          occurredAt: '2026-08-01T15:00:00Z',
          currency: 'EUR',
          originalSaleId: saleId,
          lines: [
            { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, lineTotal: 1210, disposition: 'restock' },
          ],
          refunds: [{ method: 'card', amount: 1210 }],
          total: 1210,
        }),
      );
      await analytics.deliver(
        'erp',
        bookedEvent('return', returnId, store, '2026-08-01T15:00:00Z', [
          { ratePpm: 210_000, charged: 'included', net: 1000, tax: 210 },
        ]),
      );
      const { rows } = await report(day(`locationId=${store}`));
      expect(rows.map((row) => [row.net, row.tax, row.returns, row.returnsTax, row.taxByRate])).toEqual([
        [
          1646,
          246,
          1210,
          210,
          [
            rate(90_000, { net: 400, tax: 36 }),
            rate(210_000, { net: 1000, tax: 210, returnsNet: 1000, returnsTax: 210 }),
          ],
        ],
      ]);
      addsUp(rows);
    },
  );

  it('counts tax a till added on top once: from the sale, though ERP’s booking names it too', async () => {
    const store = uniqueName('S');
    const sale = saleEvent(store, '2026-08-01T11:00:00Z', [['TEE', 1, 1000]]);
    const data = sale.data as { saleId: string; lines: Array<Record<string, unknown>>; tax?: number };
    data.lines[0]!.tax = { ratePpm: 210_000, amount: 210 };
    data.tax = 210;
    await analytics.deliver('pos', sale);
    await analytics.deliver(
      'erp',
      bookedEvent('sale', data.saleId, store, '2026-08-01T11:00:00Z', [
        { ratePpm: 210_000, charged: 'added', net: 1000, tax: 210 },
      ]),
    );
    const { rows } = await report(day(`locationId=${store}`));
    expect(rows.map((row) => [row.tax, row.taxByRate])).toEqual([
      [210, [rate(210_000, { net: 1000, tax: 210 })]],
    ]);
  });

  it('splits an online order by its lines’ rates, and its refunds as ERP does', async () => {
    const channel = uniqueName('web').replace(/[^A-Za-z0-9._-]/g, '-');
    const orderId = uniqueName('order');
    await analytics.deliver(
      'commerce',
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
            quantity: 1,
            unitPrice: 1210,
            lineTotal: 1210,
            tax: { ratePpm: 210_000, inclusive: true, amount: 210 },
          },
          {
            lineNo: 2,
            sku: 'BREAD',
            quantity: 2,
            unitPrice: 218,
            lineTotal: 436,
            tax: { ratePpm: 90_000, inclusive: true, amount: 36 },
          },
        ],
        total: 1646,
        payment: { method: 'test', reference: 'p1' },
        placedAt: '2026-08-01T12:00:00Z',
      }),
    );
    const refund = (refundId: string, amount: number, refunded: number) =>
      foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}/refund/${refundId}`, 1, {
        orderId,
        refundId,
        currency: 'EUR',
        amount,
        refunded,
        reason: 'goodwill',
        returnId: null,
        payment: { method: 'test', reference: 'p1' },
        refundedAt: '2026-08-01T13:00:00Z',
      });
    await analytics.deliverAll('commerce', [refund('f1', 823, 823), refund('f2', 823, 1646)]);
    const { rows } = await report(day(`channel=${channel}`));
    expect(rows.map((row) => [row.tax, row.returnsTax, row.taxByRate])).toEqual([
      [
        246,
        246,
        [
          rate(90_000, { net: 400, tax: 36, returnsNet: 400, returnsTax: 36 }),
          rate(210_000, { net: 1000, tax: 210, returnsNet: 1000, returnsTax: 210 }),
        ],
      ],
    ]);
  });

  it('reports tax booked without rates under rate null, and each page of rows with its own rates', async () => {
    const store = uniqueName('S');
    const old = saleEvent(store, '2026-08-01T08:00:00Z', [['TEE', 2, 1210]]);
    await analytics.deliver('pos', old);
    await analytics.deliver(
      'erp',
      bookedEvent(
        'sale',
        (old.data as { saleId: string }).saleId,
        store,
        '2026-08-01T08:00:00Z',
        undefined,
        420,
      ),
    );
    const now = saleEvent(store, '2026-08-01T09:00:00Z', [
      ['TEE', 1, 1210],
      ['BREAD', 2, 218],
    ]);
    await analytics.deliver('pos', now);
    await analytics.deliver(
      'erp',
      bookedEvent(
        'sale',
        (now.data as { saleId: string }).saleId,
        store,
        '2026-08-01T09:00:00Z',
        INCLUSIVE_RATES,
      ),
    );
    const query = day(`locationId=${store}&granularity=hour&limit=1`);
    const first = await report(query);
    const second = await report(`${query}&after=${first.next}`);
    expect([...first.rows, ...second.rows].map((row) => [row.period, row.taxByRate])).toEqual([
      ['2026-08-01T08:00:00Z', [rate(null, { tax: 420 })]],
      ['2026-08-01T09:00:00Z', [rate(90_000, { net: 400, tax: 36 }), rate(210_000, { net: 1000, tax: 210 })]],
    ]);
    addsUp([...first.rows, ...second.rows]);
  });
});
