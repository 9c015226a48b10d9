import type { PurchaseOrderInvoicedV1Data, SaleCompletedV1Data } from '@tillstream/contracts';
import type { JournalLine } from './journal.decide.js';
import { saleEntry, saleLineTax } from './store-documents.decide.js';

/** Shared by the finance decide tests. */
export const AT = '2026-12-01T10:00:00.000Z';
export const noRate = () => null;
export const vat21 = () => 210_000;

/** A store sale as POS publishes it: nothing sold or paid unless `overrides` says. */
export function sale(overrides: Partial<SaleCompletedV1Data>): SaleCompletedV1Data {
  return {
    saleId: 'S1',
    storeId: 'store-a',
    terminalId: 't1',
    occurredAt: AT,
    currency: 'EUR',
    lines: [],
    payments: [],
    total: 0,
    ...overrides,
  };
}

/** A sale's journal entry, each line's tax at `rate`. */
export const bookedSale = (data: SaleCompletedV1Data, rate: (sku: string) => number | null) =>
  saleEntry(
    data,
    data.lines.map((line) => saleLineTax(line, rate)),
  );

/** The lines as `{ account: signed amount }`, debits positive, for compact expectations. */
export const signed = (lines: readonly JournalLine[]) =>
  Object.fromEntries(lines.map((line) => [line.account, line.debit - line.credit]));

/** A supplier invoicing 8 T-shirts of a purchase order at `total` that came into stock at 450 each. */
export const supplierInvoiced = (
  purchaseOrderId: string,
  total: number,
  locationId = 'wh-1',
): PurchaseOrderInvoicedV1Data => ({
  purchaseOrderId,
  version: 3,
  status: 'received',
  supplier: { id: 'acme' },
  locationId,
  currency: 'EUR',
  lines: [{ sku: 'TEE-001', quantity: 8, unitCost: 450, received: 8 }],
  total: 3600,
  discrepancies: [],
  occurredAt: '2026-03-14T10:00:00.000Z',
  invoice: {
    invoiceId: 'inv-1',
    supplierInvoiceNumber: 'ACME-88213',
    lines: [{ sku: 'TEE-001', quantity: 8, unitCost: total / 8, orderedUnitCost: 450 }],
    total,
    matched: 3600,
    invoicedAt: '2026-03-12T00:00:00.000Z',
  },
});
