import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** The journal as ERP's consumers keep it: one entry per document however often its event arrives. */
describe.each(harnessDialects(pgUrl))('ERP journal on %s', (dialect) => {
  let erp: ContextHarness;
  const journal = async (query: string) => {
    const response = await erp.api('GET', `/finance/journal?limit=500&${query}`);
    expect(response.status).toBe(200);
    return response.body.entries as Array<{ kind: string; sourceId: string; lines: unknown[] }>;
  };

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    // ERP books stock only at locations it knows: the stores the documents below come from.
    for (const storeId of ['S1', 'S2'])
      await erp.api('PUT', `/locations/${storeId}`, { name: storeId, kind: 'store' });
  });
  afterAll(async () => erp?.close());

  it('posts a document once when its event is delivered again', async () => {
    const returnId = unique('return');
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

  it('books each revision of a shift only for the change it makes, and a late duplicate not at all', async () => {
    const shiftId = unique('shift');
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
    const entries = await journal('kind=cash_over_short&locationId=S2');
    expect(entries.map((entry) => entry.sourceId)).toEqual([`${shiftId}#1`, `${shiftId}#2`]);
    const balance = await erp.api('GET', '/finance/trial-balance?locationId=S2');
    const overShort = balance.body.currencies[0].accounts.find(
      (account: { code: string }) => account.code === '6900',
    );
    expect(overShort.balance).toBe(300);
  });
});
