import { describe, expect, it } from 'vitest';
import {
  decideSupplierPayment,
  supplierPaymentEntry,
  type Payable,
  type SupplierPaymentCommand,
} from './supplier-payment.decide.js';
import { signed } from './finance.fixtures.js';
import { businessTime } from '../inventory/receipt.decide.js';

const bill = (invoiceId: string, total: number, dueAt: string, extra: Partial<Payable> = {}): Payable => ({
  document: 'invoice',
  id: invoiceId,
  purchaseOrderId: `po-${invoiceId}`,
  supplierId: 'acme',
  supplierName: 'Acme',
  supplierInvoiceNumber: `INV-${invoiceId}`,
  currency: 'EUR',
  total,
  paid: 0,
  invoicedAt: '2026-09-01T00:00:00.000Z',
  dueAt,
  ...extra,
});
const pay = (amount: number, extra: Partial<SupplierPaymentCommand> = {}): SupplierPaymentCommand => ({
  id: 'pay-1',
  supplierId: 'acme',
  currency: 'EUR',
  amount,
  paidAt: '2026-11-01T00:00:00.000Z',
  reference: null,
  ...extra,
});
/** The code and extensions a payment is refused with. */
const refusal = (command: SupplierPaymentCommand, bills: Payable[]) => {
  try {
    decideSupplierPayment(command, bills);
    return null;
  } catch (error) {
    const { code, extensions } = error as { code: string; extensions: object };
    return { code, ...extensions };
  }
};

const late = bill('late', 400, '2026-10-01T00:00:00.000Z');
const soon = bill('soon', 600, '2026-11-10T00:00:00.000Z', { paid: 100 });
const sameDay = bill('same', 50, '2026-10-01T00:00:00.000Z', { invoicedAt: '2026-08-01T00:00:00.000Z' });

describe('paying a supplier', () => {
  it('pays the oldest due first, the oldest dated among those due together, the last one in part', () => {
    const payment = decideSupplierPayment(pay(700), [soon, late, sameDay]);
    expect(payment.allocations.map((row) => [row.invoiceId, row.amount, row.open])).toEqual([
      ['same', 50, 0],
      ['late', 400, 0],
      ['soon', 250, 250],
    ]);
  });

  it('leaves out what is paid, another supplier’s and another currency’s invoices when it allocates itself', () => {
    const paidUp = bill('paid', 300, '2026-01-01T00:00:00.000Z', { paid: 300 });
    const foreign = bill('foreign', 300, '2026-01-01T00:00:00.000Z', { supplierId: 'other' });
    const dollars = bill('usd', 300, '2026-01-01T00:00:00.000Z', { currency: 'USD' });
    const payment = decideSupplierPayment(pay(400), [paidUp, foreign, dollars, late]);
    expect(payment.allocations.map((row) => row.invoiceId)).toEqual(['late']);
    expect(refusal(pay(401), [paidUp, foreign, dollars, late])).toEqual({
      code: 'supplier_payment_exceeds_open',
      open: 400,
    });
    expect(refusal(pay(1), [])).toEqual({ code: 'supplier_payment_exceeds_open', open: 0 });
  });

  it('pays only what was invoiced by the day it was paid', () => {
    // Paid on 1 November: a bill dated the 20th was not owed yet. Taken, 2000 would stand in debit between the
    // two dates while the aging, which counts the bill from its date, shows nothing open.
    const after = bill('after', 300, '2026-12-20T00:00:00.000Z', {
      document: 'bill',
      purchaseOrderId: null,
      invoicedAt: '2026-11-20T00:00:00.000Z',
    });
    const sameInstant = bill('instant', 20, '2026-12-01T00:00:00.000Z', { invoicedAt: pay(0).paidAt });
    expect(refusal(pay(300, { bills: [{ billId: 'after', amount: 300 }] }), [after])).toEqual({
      code: 'supplier_payment_before_invoice',
      billIds: ['after'],
    });
    const payment = decideSupplierPayment(pay(420), [after, late, sameInstant]);
    expect(payment.allocations.map((row) => row.invoiceId)).toEqual(['late', 'instant']);
    expect(refusal(pay(421), [after, late, sameInstant])).toEqual({
      code: 'supplier_payment_exceeds_open',
      open: 420,
    });
  });

  it('pays as allocated, up to what each invoice has open', () => {
    const allocations = [
      { invoiceId: 'soon', amount: 500 },
      { invoiceId: 'late', amount: 1 },
    ];
    const payment = decideSupplierPayment(pay(501, { allocations }), [late, soon]);
    expect(payment.allocations.map((row) => [row.invoiceId, row.amount, row.open])).toEqual([
      ['soon', 500, 0],
      ['late', 1, 399],
    ]);
    expect(
      refusal(pay(502, { allocations: [{ invoiceId: 'soon', amount: 501 }, allocations[1]!] }), [late, soon]),
    ).toEqual({
      code: 'supplier_payment_exceeds_open',
      invoices: [{ invoiceId: 'soon', open: 500 }],
    });
  });

  it.each([
    [
      'allocations that do not add up',
      pay(10, { allocations: [{ invoiceId: 'late', amount: 9 }] }),
      { code: 'supplier_payment_allocation_mismatch', allocated: 9 },
    ],
    [
      'an unknown invoice',
      pay(10, { allocations: [{ invoiceId: 'nope', amount: 10 }] }),
      { code: 'supplier_invoice_not_found', invoiceIds: ['nope'] },
    ],
    [
      'another supplier',
      pay(10, { supplierId: 'other', allocations: [{ invoiceId: 'late', amount: 10 }] }),
      { code: 'supplier_invoice_other_supplier', invoiceIds: ['late'] },
    ],
    [
      'another currency',
      pay(10, { currency: 'USD', allocations: [{ invoiceId: 'late', amount: 10 }] }),
      { code: 'supplier_invoice_other_supplier', invoiceIds: ['late'] },
    ],
    [
      'an invoice named twice',
      pay(20, {
        allocations: [
          { invoiceId: 'late', amount: 10 },
          { invoiceId: 'late', amount: 10 },
        ],
      }),
      { code: 'duplicate_line', invoiceIds: ['late'] },
    ],
  ])('refuses %s', (_name, command, expected) => {
    expect(refusal(command, [late, soon])).toEqual(expected);
  });

  describe('with supplier bills beside the invoices', () => {
    // A bill under the same id as an invoice: the kinds keep ids of their own, a payment names which.
    const bread = bill('late', 300, '2026-09-15T00:00:00.000Z', { document: 'bill', purchaseOrderId: null });

    it('pays bills and invoices oldest due first, each listed under its kind', () => {
      const payment = decideSupplierPayment(pay(500), [late, bread]);
      expect(payment.bills).toEqual([
        { billId: 'late', supplierInvoiceNumber: 'INV-late', amount: 300, open: 0 },
      ]);
      expect(payment.allocations.map((row) => [row.invoiceId, row.amount, row.open])).toEqual([
        ['late', 200, 200],
      ]);
    });

    it('pays the bill a payment names, not the invoice of the same id', () => {
      const payment = decideSupplierPayment(pay(100, { bills: [{ billId: 'late', amount: 100 }] }), [
        late,
        bread,
      ]);
      expect(payment).toMatchObject({ allocations: [], bills: [{ billId: 'late', amount: 100, open: 200 }] });
    });

    it.each([
      [
        pay(100, { bills: [{ billId: 'soon', amount: 100 }] }),
        { code: 'supplier_bill_not_found', billIds: ['soon'] },
      ],
      [
        pay(400, { bills: [{ billId: 'late', amount: 400 }] }),
        { code: 'supplier_payment_exceeds_open', bills: [{ billId: 'late', open: 300 }] },
      ],
      [
        pay(150, {
          allocations: [{ invoiceId: 'late', amount: 100 }],
          bills: [{ billId: 'late', amount: 100 }],
        }),
        { code: 'supplier_payment_allocation_mismatch', allocated: 200 },
      ],
      [
        pay(100, {
          bills: [
            { billId: 'late', amount: 50 },
            { billId: 'late', amount: 50 },
          ],
        }),
        { code: 'duplicate_line', billIds: ['late'] },
      ],
    ])('refuses %j', (command, expected) => {
      expect(refusal(command, [late, bread])).toEqual(expected);
    });
  });

  it('books what the supplier is owed less against the bank, at the payment’s date', () => {
    const entry = supplierPaymentEntry(decideSupplierPayment(pay(450), [late, sameDay]));
    expect(entry).toMatchObject({
      kind: 'supplier_payment',
      sourceId: 'pay-1',
      occurredAt: '2026-11-01T00:00:00.000Z',
    });
    expect(signed(entry.lines)).toEqual({ '2000': 450, '1050': -450 });
  });

  it('dates a payment now when it says nothing, in UTC, and at most a minute ahead of the clock', () => {
    const now = new Date('2026-11-01T10:00:00.000Z');
    const paidAt = (at: string | undefined) => businessTime(at, now, 'supplier_payment_in_future');
    expect(paidAt(undefined)).toBe('2026-11-01T10:00:00.000Z');
    expect(paidAt('2026-10-01T12:00:00+02:00')).toBe('2026-10-01T10:00:00.000Z');
    expect(paidAt('2026-11-01T10:01:00.000Z')).toBe('2026-11-01T10:01:00.000Z');
    expect(() => paidAt('2026-11-01T10:01:00.001Z')).toThrowError(
      expect.objectContaining({ code: 'supplier_payment_in_future' }),
    );
  });
});
