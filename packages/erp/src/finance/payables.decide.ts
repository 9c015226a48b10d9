import type { PurchaseOrderInvoicedV1Data } from '@tillstream/contracts';
import { ACCOUNTS } from './accounts.js';
import { posting, type JournalEntry } from './journal.decide.js';
import { INVENTORY_CHANNEL } from './valuation.decide.js';

/**
 * A supplier's invoice matched to its purchase order: the units it bills came into stock at the order's agreed
 * cost and have been owed on 2300 since, so that value (`matched`) moves off 2300 and what the supplier bills
 * (`total`) is owed to it on 2000. A price that differs from the order's is purchase price variance (5200),
 * not a change of the stock's value: the goods may well be sold by the time the bill comes.
 */
export function supplierInvoiceEntry(data: PurchaseOrderInvoicedV1Data): JournalEntry {
  const { invoice } = data;
  const entry = posting();
  entry.debit(ACCOUNTS.goodsReceived.code, invoice.matched);
  entry.credit(ACCOUNTS.payables.code, invoice.total);
  entry.debit(ACCOUNTS.priceVariance.code, invoice.total - invoice.matched);
  return {
    kind: 'supplier_invoice',
    sourceId: `${data.purchaseOrderId}/${invoice.invoiceId}`,
    locationId: data.locationId,
    channel: INVENTORY_CHANNEL,
    occurredAt: invoice.invoicedAt,
    currency: data.currency,
    lines: entry.lines(),
    taxBases: [],
  };
}
