import { describe, expect, it } from 'vitest';
import { signed, supplierInvoiced } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import { supplierInvoiceEntry } from './payables.decide.js';

describe('a supplier invoice in the books', () => {
  it('clears what the goods came in at and owes the supplier what it bills, the difference as price variance', () => {
    const dearer = supplierInvoiceEntry(supplierInvoiced('po-1', 3680));
    expect(dearer).toMatchObject({
      kind: 'supplier_invoice',
      sourceId: 'po-1/inv-1',
      locationId: 'wh-1',
      channel: 'inventory',
      occurredAt: '2026-03-12T00:00:00.000Z',
    });
    expect(signed(dearer.lines)).toEqual({ '2300': 3600, '2000': -3680, '5200': 80 });
    expect(signed(supplierInvoiceEntry(supplierInvoiced('po-1', 3520)).lines)).toEqual({
      '2300': 3600,
      '2000': -3520,
      '5200': -80,
    });
    const agreed = supplierInvoiceEntry(supplierInvoiced('po-1', 3600));
    expect(signed(agreed.lines)).toEqual({ '2300': 3600, '2000': -3600 });
    for (const entry of [dearer, agreed]) expect(isBalanced(entry.lines)).toBe(true);
  });
});
