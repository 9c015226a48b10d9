import type { PurchaseOrderInvoicedV1Data } from '@tillstream/contracts';
import { ACCOUNTS, type AccountCode } from './accounts.js';
import { posting, type JournalEntry, type JournalLine } from './journal.decide.js';
import { INVENTORY_CHANNEL } from './valuation.decide.js';

/** An amount a bill books straight to an expense account, at face value. */
export interface ExpenseAmount {
  account: AccountCode;
  amount: number;
}

/**
 * A supplier's bill in the books: what its goods came into stock at (`matched`) moves off the account that
 * held them as received and not billed (`clearing`), its `expenses` are debited as billed, what the supplier
 * bills (`total`) is owed to it on 2000, and the rest is purchase price variance (5200), not a change of the
 * stock's value: the goods may well be sold by the time the bill comes. Expenses take no variance: nothing
 * else says what they should have cost. Zero amounts make no line.
 */
export function billedLines(
  clearing: AccountCode,
  matched: number,
  total: number,
  expenses: readonly ExpenseAmount[] = [],
): JournalLine[] {
  const entry = posting();
  entry.debit(clearing, matched);
  let expensed = 0;
  for (const expense of expenses) {
    entry.debit(expense.account, expense.amount);
    expensed += expense.amount;
  }
  entry.credit(ACCOUNTS.payables.code, total);
  entry.debit(ACCOUNTS.priceVariance.code, total - matched - expensed);
  return entry.lines();
}

/**
 * A supplier's invoice matched to its purchase order: the units it bills came into stock at the order's agreed
 * cost and have been owed on 2300 since (`billedLines`).
 */
export function supplierInvoiceEntry(data: PurchaseOrderInvoicedV1Data): JournalEntry {
  const { invoice } = data;
  return {
    kind: 'supplier_invoice',
    sourceId: `${data.purchaseOrderId}/${invoice.invoiceId}`,
    locationId: data.locationId,
    channel: INVENTORY_CHANNEL,
    occurredAt: invoice.invoicedAt,
    currency: data.currency,
    lines: billedLines(ACCOUNTS.goodsReceived.code, invoice.matched, invoice.total),
    taxBases: [],
  };
}
