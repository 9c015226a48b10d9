import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** The journal as ERP's consumers keep it: one entry per document however often its event arrives. */
describe.each(harnessDialects(pgUrl))('ERP journal on %s', (dialect) => {
  let erp: ContextHarness;
  const journal = async (query: string) => {
    await erp.allFinished();
    const response = await erp.api('GET', `/finance/journal?limit=500&${query}`);
    expect(response.status).toBe(200);
    return response.body.entries as Array<{ kind: string; sourceId: string; lines: unknown[] }>;
  };

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    // ERP books stock only at locations it knows: the stores the documents below come from.
    for (const storeId of ['S1', 'S2', 'S4'])
      await erp.api('PUT', `/locations/${storeId}`, { name: storeId, kind: 'store' });
  });
  afterAll(async () => erp?.close());

  it('posts a document once when its event is delivered again', async () => {
    const returnId = uniqueName('return');
    const returned = foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
      returnId,
      storeId: 'S1',
      terminalId: 't1',
      occurredAt: '2026-11-01T10:00:00+01:00',
      currency: 'EUR',
      originalSaleId: null,
      lines: [{ lineNo: 1, sku: 'X', quantity: 1, unitPrice: 500, lineTotal: 500, disposition: 'damaged' }],
      refunds: [{ method: 'cash', amount: 500 }],
      total: 500,
    });
    await erp.deliver('pos', returned);
    await erp.deliver('pos', returned);
    const entries = await journal(`sourceId=${returnId}`);
    expect(entries).toHaveLength(1);
    // Stored in UTC whatever offset the till wrote, so periods select it correctly.
    expect(entries[0]).toMatchObject({ kind: 'return', occurredAt: '2026-11-01T09:00:00.000Z' });
    const inPeriod = await erp.api(
      'GET',
      `/finance/trial-balance?locationId=S1&from=${encodeURIComponent('2026-11-01T09:30:00+01:00')}&to=${encodeURIComponent('2026-11-01T10:30:00+01:00')}`,
    );
    expect(inPeriod.body.currencies[0]).toMatchObject({ currency: 'EUR', debit: 500, credit: 500 });
  });

  it('gives back the tax its sale booked, after the rate changed, to the cent over returns one by one', async () => {
    const sku = uniqueName('X');
    const storeId = uniqueName('S');
    const ok = async (method: 'PUT' | 'POST', url: string, body: object) => {
      const response = await erp.api(method, url, body);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    };
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 109, currency: 'EUR' } });
    await ok('PUT', `/locations/${storeId}`, { name: storeId, kind: 'store' });
    const rate = (ratePpm: number) =>
      ok('PUT', `/tax-rates/${storeId}-vat`, {
        name: 'VAT',
        taxCategory: 'standard',
        locationId: storeId,
        ratePpm,
        inclusive: true,
      });
    await rate(90_000);
    const saleId = uniqueName('sale');
    await erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId,
        terminalId: 't1',
        occurredAt: '2026-11-01T10:00:00Z',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity: 3, unitPrice: 109, lineTotal: 327 }],
        payments: [{ method: 'cash', amount: 327 }],
        total: 327,
      }),
    );
    await rate(210_000);
    const returned = (returnId: string) =>
      foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
        returnId,
        storeId,
        terminalId: 't1',
        occurredAt: '2026-11-02T10:00:00Z',
        currency: 'EUR',
        originalSaleId: saleId,
        lines: [
          {
            lineNo: 1,
            sku,
            quantity: 1,
            unitPrice: 109,
            lineTotal: 109,
            disposition: 'restock',
            originalLineNo: 1,
          },
        ],
        refunds: [{ method: 'cash', amount: 109 }],
        total: 109,
      });
    const first = returned(uniqueName('return'));
    await erp.deliver('pos', first);
    await erp.deliver('pos', first); // delivered again: counts once
    await erp.deliver('pos', returned(uniqueName('return')));
    await erp.deliver('pos', returned(uniqueName('return')));
    const balance = await erp.api('GET', `/finance/trial-balance?locationId=${storeId}`);
    const accounts = Object.fromEntries(
      balance.body.currencies[0].accounts.map((account: { code: string; balance: number }) => [
        account.code,
        account.balance,
      ]),
    );
    // 9 % inside 327 is 27, booked by the sale and given back whole: nothing owed, no revenue, no cash.
    expect(accounts).toMatchObject({ '2100': 0, '4000': 300, '4100': 300, '1000': 0 });
  });

  it('books two orders cancelled with the same refund id apart, and an offline shortfall', async () => {
    const refunded = (orderId: string) =>
      foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}/refund/cancel`, 1, {
        orderId,
        refundId: 'cancel',
        currency: 'EUR',
        amount: 1000,
        refunded: 1000,
        reason: 'cancelled',
        returnId: null,
        payment: { method: 'test', reference: 'pay' },
        refundedAt: '2026-11-01T10:00:00Z',
      });
    const [a, b] = [uniqueName('order'), uniqueName('order')];
    await erp.deliver('commerce', refunded(a));
    await erp.deliver('commerce', refunded(b));
    expect((await journal('kind=online_refund')).map((entry) => entry.sourceId)).toEqual(
      expect.arrayContaining([`${a}/cancel`, `${b}/cancel`]),
    );
    const exceptionId = uniqueName('exception');
    await erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.stored_value.exception_raised', `stored-value-exception/${exceptionId}`, 1, {
        exceptionId,
        number: 'GC-NEVER',
        saleId: uniqueName('sale'),
        storeId: 'S4',
        terminalId: 't1',
        occurredAt: '2026-11-01T10:00:00Z',
        currency: 'EUR',
        reason: 'unknown_number',
        requested: 1999,
        covered: 0,
        shortfall: 1999,
      }),
    );
    const [shortfall] = await journal(`sourceId=${exceptionId}`);
    expect(shortfall).toMatchObject({ kind: 'stored_value_shortfall' });
  });

  it('books each revision of a shift only for the change it makes, and a late duplicate not at all', async () => {
    const shiftId = uniqueName('shift');
    const closed = (revision: number, overShort: number) =>
      foreignEvent('pos', 'pos.shift.closed', `shift/${shiftId}`, revision, {
        shiftId,
        terminalId: 't1',
        storeId: 'S2',
        seq: 1,
        revision,
        openedAt: '2026-11-01T08:00:00Z',
        closedAt: '2026-11-01T18:00:00Z',
        currency: 'EUR',
        report: {
          sales: { count: 0, gross: 0, discounts: 0, net: 0 },
          returns: { count: 0, total: 0 },
          net: 0,
          tenders: [],
          cash: { openingFloat: 0, sales: 0, refunds: 0, expected: 0, counted: overShort, overShort },
          receipts: { first: null, last: null },
          lateTransactions: revision - 1,
        },
      });
    const first = closed(1, -500);
    await erp.deliver('pos', first);
    await erp.deliver('pos', closed(2, -300));
    await erp.deliver('pos', first);
    await erp.deliver('pos', closed(4, -300));
    await erp.deliver('pos', closed(3, -900)); // older than the newest booked: changes nothing
    const entries = await journal('kind=cash_over_short&locationId=S2');
    expect(entries.map((entry) => entry.sourceId)).toEqual([`${shiftId}#1`, `${shiftId}#2`]);
    const balance = await erp.api('GET', '/finance/trial-balance?locationId=S2');
    const overShort = balance.body.currencies[0].accounts.find(
      (account: { code: string }) => account.code === '6900',
    );
    expect(overShort.balance).toBe(300);
  });

  it.skipIf(dialect !== 'postgres')(
    'lists an entry only once every older transaction of the cluster has finished, another database’s too',
    async () => {
      const other = new pg.Client({ connectionString: pgUrl });
      await other.connect();
      try {
        // Transaction ids are cluster-wide: one left open in the postgres database holds back the xmin.
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
        const exceptionId = uniqueName('exception');
        await erp.deliver(
          'pos',
          foreignEvent(
            'pos',
            'pos.stored_value.exception_raised',
            `stored-value-exception/${exceptionId}`,
            1,
            {
              exceptionId,
              number: 'GC-NEVER',
              saleId: uniqueName('sale'),
              storeId: 'S4',
              terminalId: 't1',
              occurredAt: '2026-11-01T10:00:00Z',
              currency: 'EUR',
              reason: 'unknown_number',
              requested: 100,
              covered: 0,
              shortfall: 100,
            },
          ),
        );
        const listed = async () =>
          (await erp.api('GET', `/finance/journal?sourceId=${exceptionId}`)).body.entries as unknown[];
        expect(await listed()).toEqual([]);
        const waited = journal(`sourceId=${exceptionId}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await other.query('COMMIT');
        expect(await waited).toHaveLength(1);
      } finally {
        await other.end();
      }
    },
  );
});
