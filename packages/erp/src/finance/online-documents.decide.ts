import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import { ACCOUNTS } from './accounts.js';
import { shareOf } from '@tillstream/pricing';
import { posting, taxInside, type JournalEntry, type LineTax, type TaxRateOf } from './journal.decide.js';

/**
 * The tax inside an online order line's total: as the order says it (included, or added on top), or for an
 * order that does not say, worked out with the rate that applies to the SKU online. Either way the line's
 * total holds it.
 */
export function orderLineTax(line: OrderPlacedV1Data['lines'][number], rateOf: TaxRateOf): LineTax {
  if (line.tax) return { amount: line.tax.amount, includedPpm: line.tax.inclusive ? line.tax.ratePpm : null };
  const ppm = rateOf(line.sku);
  return { amount: taxInside(line.lineTotal, ppm), includedPpm: ppm };
}

/** An online order, booked as a sale when it is paid and placed: the payment provider owes its total. */
export function onlineOrderEntry(order: OrderPlacedV1Data, taxes: readonly LineTax[]): JournalEntry {
  const entry = posting();
  entry.debit(ACCOUNTS.providerReceivable.code, order.total);
  order.lines.forEach((line, index) => {
    entry.sold(
      line.quantity * line.unitPrice,
      line.lineTotal,
      taxes[index] ?? { amount: 0, includedPpm: null },
    );
  });
  return {
    kind: 'online_order',
    sourceId: order.orderId,
    locationId: null,
    channel: order.channel,
    occurredAt: order.placedAt,
    currency: order.currency,
    lines: entry.lines(),
  };
}

/** What an online order's entry booked: its total and the tax in it, to give the tax back in proportion. */
export interface OrderBooked {
  channel: string;
  total: number;
  tax: number;
}

/**
 * An online refund: the provider pays it back. The tax in it is the order's tax share of the order's refunded
 * total so far, less the share earlier refunds took, so partial refunds give back the order's tax to the
 * cent. Without the order's entry (placed before the journal existed) the refund is booked as returns whole.
 * A refund id is unique within its order only, hence the order in the source id.
 */
export function onlineRefundEntry(refund: OrderRefundedV1Data, order: OrderBooked | null): JournalEntry {
  const entry = posting();
  const tax = order ? shareOf(order.tax, order.total, refund.refunded - refund.amount, refund.amount) : 0;
  entry.debit(ACCOUNTS.returns.code, refund.amount - tax);
  entry.debit(ACCOUNTS.salesTax.code, tax);
  entry.credit(ACCOUNTS.providerReceivable.code, refund.amount);
  return {
    kind: 'online_refund',
    sourceId: `${refund.orderId}/${refund.refundId}`,
    locationId: null,
    channel: order?.channel ?? 'web',
    occurredAt: refund.refundedAt,
    currency: refund.currency,
    lines: entry.lines(),
  };
}
