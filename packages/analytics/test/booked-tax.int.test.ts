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

/** What ERP's journal publishes of a store document: `erp.sales_tax.booked`. */
const bookedEvent = (
  kind: 'sale' | 'return',
  documentId: string,
  storeId: string,
  occurredAt: string,
  included: number,
  added = 0,
) =>
  foreignEvent('erp', 'erp.sales_tax.booked', `sales-tax/${kind}/${documentId}`, 1, {
    kind,
    documentId,
    storeId,
    occurredAt,
    currency: 'EUR',
    included,
    added,
    total: included + added,
  });

/**
 * The tax inside a tax-inclusive store's prices reaches the report from ERP's journal, in the sale's own
 * bucket, whichever of the two events comes first, once however often each is delivered.
 */
describe.each(harnessDialects(pgUrl))('booked tax in analytics on %s', (dialect) => {
  let analytics: ContextHarness;
  const day = (store: string) =>
    `from=2026-07-01T00:00:00Z&to=2026-07-02T00:00:00Z&granularity=hour&locationId=${store}`;
  const report = async (query: string) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body as { rows: Array<Record<string, unknown>> }).rows;
  };

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
  });
  afterAll(async () => analytics?.close());

  /** A sale of 2 at 1210 (21 % inside: 420) at `occurredAt`, its events delivered in the order `first` says. */
  async function sellInclusive(store: string, occurredAt: string, first: 'pos' | 'erp') {
    const sale = saleEvent(store, occurredAt, [['TEE', 2, 1210]]);
    const { saleId } = sale.data as { saleId: string };
    const booked = bookedEvent('sale', saleId, store, occurredAt, 420);
    if (first === 'pos') {
      await analytics.deliver('pos', sale);
      await analytics.deliver('erp', booked);
    } else {
      await analytics.deliver('erp', booked);
      await analytics.deliver('pos', sale);
    }
    return { sale, booked };
  }

  it.each(['pos', 'erp'] as const)(
    'adds the included tax to the sale’s row when %s’s event arrives first',
    async (first) => {
      const store = uniqueName('S');
      await sellInclusive(store, '2026-07-01T10:20:00+02:00', first);
      expect(await report(day(store))).toEqual([
        expect.objectContaining({
          period: '2026-07-01T08:00:00Z',
          channel: 'pos',
          currency: 'EUR',
          net: 2420,
          tax: 420,
          returnsTax: 0,
          transactions: 1,
        }),
      ]);
    },
  );

  it('counts each event once however often it is delivered, alone or in a batch', async () => {
    const store = uniqueName('S');
    const { sale, booked } = await sellInclusive(store, '2026-07-01T10:20:00Z', 'erp');
    await analytics.deliver('erp', booked);
    await analytics.deliverAll('erp', [booked, booked]);
    await analytics.deliverAll('pos', [sale, sale]);
    expect(await report(day(store))).toEqual([
      expect.objectContaining({ net: 2420, tax: 420, transactions: 1 }),
    ]);
  });

  it('shows a return’s tax as returnsTax, leaving tax as sold, and ERP’s added part not twice', async () => {
    const store = uniqueName('S');
    const { sale } = await sellInclusive(store, '2026-07-01T09:05:00Z', 'pos');
    const returnId = uniqueName('return');
    await analytics.deliver(
      'pos',
      foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
        returnId,
        storeId: store,
        terminalId: 't1',
        occurredAt: '2026-07-01T16:40:00Z',
        currency: 'EUR',
        originalSaleId: (sale.data as { saleId: string }).saleId,
        lines: [
          { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, lineTotal: 1210, disposition: 'restock' },
          {
            lineNo: 2,
            sku: 'MUG',
            quantity: 1,
            unitPrice: 500,
            lineTotal: 500,
            disposition: 'restock',
            tax: 44,
          },
        ],
        refunds: [{ method: 'card', amount: 1754 }],
        total: 1754,
      }),
    );
    await analytics.deliver('erp', bookedEvent('return', returnId, store, '2026-07-01T16:40:00Z', 210, 44));
    const rows = await report(day(store));
    expect(rows.map((row) => [row.period, row.tax, row.returns, row.returnsTax])).toEqual([
      ['2026-07-01T09:00:00Z', 420, 0, 0],
      ['2026-07-01T16:00:00Z', 0, 1710, 254],
    ]);
  });
});
