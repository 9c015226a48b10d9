import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import { ACCOUNTS } from './accounts.js';
import { refundShares } from '@tillstream/pricing';
import {
  NO_TAX,
  posting,
  taxInside,
  type JournalEntry,
  type LineTax,
  type TaxBase,
  type TaxRateOf,
} from './journal.decide.js';

/**
 * The tax inside an online order line's total: as the order says it (included, or added on top), or for an
 * order that does not say, worked out with the rate that applies to the SKU online. Either way the line's
 * total holds it.
 */
export function orderLineTax(line: OrderPlacedV1Data['lines'][number], rateOf: TaxRateOf): LineTax {
  if (line.tax) return { amount: line.tax.amount, ratePpm: line.tax.ratePpm, included: line.tax.inclusive };
  const ppm = rateOf(line.sku);
  return { amount: taxInside(line.lineTotal, ppm), ratePpm: ppm, included: ppm !== null };
}

/** An online order, booked as a sale when it is paid and placed: the payment provider owes its total. */
export function onlineOrderEntry(order: OrderPlacedV1Data, taxes: readonly LineTax[]): JournalEntry {
  const entry = posting();
  entry.debit(ACCOUNTS.providerReceivable.code, order.total);
  order.lines.forEach((line, index) => {
    entry.sold(line.quantity * line.unitPrice, line.lineTotal, taxes[index] ?? NO_TAX);
  });
  return {
    kind: 'online_order',
    sourceId: order.orderId,
    locationId: null,
    channel: order.channel,
    occurredAt: order.placedAt,
    currency: order.currency,
    lines: entry.lines(),
    taxBases: entry.taxBases(),
  };
}

/**
 * What an online order's entry booked: its total, the tax in it, and its goods per tax rate, to give the tax
 * back in proportion.
 */
export interface OrderBooked {
  channel: string;
  total: number;
  tax: number;
  taxBases: TaxBase[];
}

/**
 * An online refund: the provider pays it back. The tax in it is the order's tax share of the order's refunded
 * total so far, less the share earlier refunds took, so partial refunds give back the order's tax to the
 * cent; it is split over the order's tax rates the same way, so each rate's tax comes back to the cent too.
 * Without the order's entry (placed before the journal existed) the refund is booked as returns whole.
 * A refund id is unique within its order only, hence the order in the source id.
 */
export function onlineRefundEntry(refund: OrderRefundedV1Data, order: OrderBooked | null): JournalEntry {
  const entry = posting();
  let given = 0;
  if (order && order.total > 0)
    refundShares(order.taxBases, order, refund).forEach(({ gross, tax }, index) => {
      entry.returned(gross, tax, order.taxBases[index]!.ratePpm);
      given += gross;
    });
  // Beyond what the order's goods took (or for an order the journal never booked): returns, with no tax.
  if (refund.amount !== given) entry.returned(refund.amount - given, 0, null);
  entry.credit(ACCOUNTS.providerReceivable.code, refund.amount);
  return {
    kind: 'online_refund',
    sourceId: `${refund.orderId}/${refund.refundId}`,
    locationId: null,
    channel: order?.channel ?? 'web',
    occurredAt: refund.refundedAt,
    currency: refund.currency,
    lines: entry.lines(),
    taxBases: entry.taxBases(),
  };
}
