import { describe, expect, it } from 'vitest';
import { agePayables, bucketOf, daysOverdue } from './payables-aging.js';
import type { Payable } from './supplier-payment.decide.js';

const asOf = new Date('2026-12-01T12:00:00.000Z');
const bill = (invoiceId: string, open: number, dueAt: string, extra: Partial<Payable> = {}): Payable => ({
  document: 'invoice',
  id: invoiceId,
  purchaseOrderId: 'po',
  supplierId: 'acme',
  supplierName: 'Acme',
  supplierInvoiceNumber: invoiceId,
  currency: 'EUR',
  total: open + 10,
  paid: 10,
  invoicedAt: '2026-08-01T00:00:00.000Z',
  dueAt,
  ...extra,
});

describe('accounts payable aging', () => {
  it('counts every started day past due, none until the due instant', () => {
    expect(daysOverdue('2026-12-01T12:00:00.000Z', asOf)).toBe(0);
    expect(daysOverdue('2026-12-05T00:00:00.000Z', asOf)).toBe(0);
    expect(daysOverdue('2026-12-01T11:59:59.999Z', asOf)).toBe(1);
    expect(daysOverdue('2026-11-01T12:00:00.000Z', asOf)).toBe(30);
    expect(daysOverdue('2026-11-01T11:00:00.000Z', asOf)).toBe(31);
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(bucketOf)).toEqual([
      'notDue',
      'overdue1To30',
      'overdue1To30',
      'overdue31To60',
      'overdue31To60',
      'overdue61To90',
      'overdue61To90',
      'overdueOver90',
    ]);
  });

  it('sums open amounts per currency and supplier into their buckets, and reconciles with the ledger', () => {
    const aged = agePayables(
      [
        bill('a', 100, '2026-12-10T00:00:00.000Z'),
        bill('b', 200, '2026-11-15T00:00:00.000Z'),
        bill('c', 300, '2026-07-01T00:00:00.000Z', { supplierId: 'zeta', supplierName: null }),
        bill('d', 50, '2026-10-15T00:00:00.000Z', { currency: 'USD' }),
        bill('paid', 0, '2026-10-15T00:00:00.000Z'),
      ],
      [
        { currency: 'EUR', balance: 600 },
        { currency: 'USD', balance: 70 },
        { currency: 'GBP', balance: 0 },
        { currency: 'SEK', balance: 25 },
      ],
      asOf,
    );
    expect(aged.map((entry) => [entry.currency, entry.open, entry.ledgerBalance, entry.reconciled])).toEqual([
      ['EUR', 600, 600, true],
      ['SEK', 0, 25, false],
      ['USD', 50, 70, false],
    ]);
    expect(aged[0]!.buckets).toEqual({
      notDue: 100,
      overdue1To30: 200,
      overdue31To60: 0,
      overdue61To90: 0,
      overdueOver90: 300,
    });
    expect(aged[0]!.suppliers).toEqual([
      {
        supplierId: 'acme',
        supplierName: 'Acme',
        open: 300,
        invoices: 2,
        buckets: { notDue: 100, overdue1To30: 200, overdue31To60: 0, overdue61To90: 0, overdueOver90: 0 },
      },
      {
        supplierId: 'zeta',
        supplierName: null,
        open: 300,
        invoices: 1,
        buckets: { notDue: 0, overdue1To30: 0, overdue31To60: 0, overdue61To90: 0, overdueOver90: 300 },
      },
    ]);
    expect(aged[2]!.buckets.overdue31To60).toBe(50);
  });
});
