import { describe, expect, it } from 'vitest';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { Shift } from './shift.decide.js';
import { zReport } from './z-report.js';

const shift: Shift = {
  id: 'shift-1',
  terminalId: 'T1',
  storeId: 'S1',
  seq: 4,
  currency: 'EUR',
  openedAt: '2026-11-01T08:00:00.000Z',
  openingFloat: 10_000,
  openHash: 'h',
  closedAt: '2026-11-01T18:00:00.000Z',
  closeId: 'c',
  countedCash: 11_450,
  closeHash: 'h2',
  closeReceivedAt: '2026-11-01T18:00:05.000Z',
  revision: 1,
};

const sale = (receiptNo: string, payments: Sale['payments'], discount = 0): Sale => {
  const total = payments.reduce((sum, payment) => sum + payment.amount, 0);
  return {
    id: receiptNo,
    status: 'completed',
    storeId: 'S1',
    terminalId: 'T1',
    occurredAt: '2026-11-01T10:00:00.000Z',
    currency: 'EUR',
    lines: [{ lineNo: 1, sku: 'A', quantity: 1, unitPrice: total + discount, discount, lineTotal: total }],
    payments,
    total,
    receiptNo,
  };
};

const refund = (receiptNo: string, method: string, amount: number): SaleReturn => ({
  id: receiptNo,
  status: 'completed',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T12:00:00.000Z',
  currency: 'EUR',
  originalSaleId: null,
  lines: [{ lineNo: 1, sku: 'A', quantity: 1, unitPrice: amount, lineTotal: amount, disposition: 'restock' }],
  refunds: [{ method, amount }],
  total: amount,
  receiptNo,
});

describe('zReport', () => {
  const at =
    (receivedAt: string) =>
    <T>(document: T) => ({ document, receivedAt });
  const onTime = at('2026-11-01T17:00:00.000Z');
  const report = zReport(
    shift,
    [
      onTime(sale('T1-4-1', [{ method: 'cash', amount: 1000, tendered: 2000 }])),
      onTime(
        sale(
          'T1-4-2',
          [
            { method: 'card', amount: 700 },
            { method: 'cash', amount: 300 },
          ],
          100,
        ),
      ),
      at('2026-11-02T09:00:00.000Z')(
        sale('T1-4-10', [{ method: 'gift_card', amount: 500, reference: 'GC1' }]),
      ),
    ],
    [onTime(refund('T1-4-3', 'cash', 200)), onTime(refund('T1-4-4', 'store_credit', 300))],
  );

  it('adds sales, returns and tenders up', () => {
    expect(report.sales).toEqual({ count: 3, gross: 2600, discounts: 100, net: 2500 });
    expect(report.returns).toEqual({ count: 2, total: 500 });
    expect(report.net).toBe(2000);
    expect(report.tenders.reduce((sum, tender) => sum + tender.net, 0)).toBe(report.net);
    expect(report.tenders).toEqual([
      { method: 'card', sales: 700, refunds: 0, net: 700 },
      { method: 'cash', sales: 1300, refunds: 200, net: 1100 },
      { method: 'gift_card', sales: 500, refunds: 0, net: 500 },
      { method: 'store_credit', sales: 0, refunds: 300, net: -300 },
    ]);
  });

  it('expects the float plus cash taken (net of change) minus cash refunded, and reports over/short', () => {
    expect(report.cash).toEqual({
      openingFloat: 10_000,
      sales: 1300,
      refunds: 200,
      expected: 11_100,
      counted: 11_450,
      overShort: 350,
    });
  });

  it('orders receipt numbers numerically and counts what arrived after the close', () => {
    expect(report.receipts).toEqual({ first: 'T1-4-1', last: 'T1-4-10' });
    expect(report.lateTransactions).toBe(1);
  });

  it('cannot expect cash before the opening float is known', () => {
    expect(zReport({ ...shift, openingFloat: null }, [], []).cash).toMatchObject({
      expected: null,
      overShort: null,
    });
  });
});
