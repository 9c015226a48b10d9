import { describe, expect, it } from 'vitest';
import { invoiceNumberTaken, sameInvoiceNumber } from './supplier-invoice-number.decide.js';

describe("a supplier's invoice number", () => {
  it.each([
    ['INV 0077', 'INV0077'],
    [' inv0077 ', 'INV0077'],
    ['Inv\t00\n77', 'INV0077'],
    ['inv\u00a00077', 'INV0077'],
    ['dv-2026/0415', 'DV-2026/0415'],
  ])('typed %j is the number %j: case and spaces aside', (typed, key) => {
    expect(sameInvoiceNumber(typed)).toBe(key);
  });

  it.each([
    [
      'an invoice matched to a purchase order',
      { document: 'invoice', invoiceId: 'ap-1', purchaseOrderId: 'po-1' } as const,
      'invoice ap-1 of purchase order po-1',
    ],
    ['a bill', { document: 'bill', billId: 'bill-1' } as const, 'bill bill-1'],
  ])('taken by %s is 409 naming that document', (_case, holder, named) => {
    const error = invoiceNumberTaken('acme', 'INV 0077', holder);
    expect(error).toMatchObject({ kind: 'conflict', code: 'supplier_invoice_number_taken', status: 409 });
    expect(error.extensions).toEqual(holder);
    expect(error.message).toContain(named);
  });
});
