import { describe, expect, it } from 'vitest';
import type { PurchaseOrderInvoicedV1Data } from '@tillstream/contracts';
import { isBalanced } from './journal.decide.js';
import { supplierInvoiceEntry } from './payables.decide.js';

const invoiced = (total: number, matched: number): PurchaseOrderInvoicedV1Data => ({
  purchaseOrderId: 'po-1',
  version: 3,
  status: 'received',
  supplier: { id: 'acme' },
  locationId: 'wh-1',
  currency: 'EUR',
  lines: [{ sku: 'TEE-001', quantity: 8, unitCost: 450, received: 8 }],
  total: 3600,
  discrepancies: [],
  occurredAt: '2026-03-14T10:00:00.000Z',
  invoice: {
    invoiceId: 'inv-1',
    supplierInvoiceNumber: 'ACME-1',
    lines: [{ sku: 'TEE-001', quantity: 8, unitCost: total / 8, orderedUnitCost: 450 }],
    total,
    matched,
    invoicedAt: '2026-03-12T00:00:00.000Z',
  },
});

const signed = (lines: ReadonlyArray<{ account: string; debit: number; credit: number }>) =>
  Object.fromEntries(lines.map((line) => [line.account, line.debit - line.credit]));

describe('a supplier invoice in the books', () => {
  it('clears what the goods came in at and owes the supplier what it bills, the difference as price variance', () => {
    const dearer = supplierInvoiceEntry(invoiced(3680, 3600));
    expect(dearer).toMatchObject({
      kind: 'supplier_invoice',
      sourceId: 'po-1/inv-1',
      locationId: 'wh-1',
      channel: 'inventory',
      occurredAt: '2026-03-12T00:00:00.000Z',
    });
    expect(signed(dearer.lines)).toEqual({ '2300': 3600, '2000': -3680, '5200': 80 });
    expect(signed(supplierInvoiceEntry(invoiced(3520, 3600)).lines)).toEqual({
      '2300': 3600,
      '2000': -3520,
      '5200': -80,
    });
    const agreed = supplierInvoiceEntry(invoiced(3600, 3600));
    expect(signed(agreed.lines)).toEqual({ '2300': 3600, '2000': -3600 });
    for (const entry of [dearer, agreed]) expect(isBalanced(entry.lines)).toBe(true);
  });
});
