import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import { ACCOUNTS } from './accounts.js';
import { mulDivRound, refundParts, refundShares, type RatedPart } from '@tillstream/pricing';
import { refundFromDeposit, type OrderDeposit } from './online-revenue.decide.js';
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

/** The tax in what an order's delivery cost the shopper, as the order states it (always: the pricing engine's). */
export function orderShippingTax(shipping: NonNullable<OrderPlacedV1Data['shipping']>): LineTax {
  return { amount: shipping.tax.amount, ratePpm: shipping.tax.ratePpm, included: shipping.tax.inclusive };
}

/**
 * An online order when it is paid and placed: the payment provider owes its total (1150) and the tax is owed
 * now (2100: a payment in advance is when it falls due), but the goods are still to be delivered, so what they
 * earn is owed to the shopper (2400, a contract liability) until they ship. Revenue is recognised then
 * (`shipmentRevenue`), from the sales and discount kept in the deposit: each line's, net of its tax, as a sale
 * would have booked them. The entry's tax bases report the goods and tax at payment, as before.
 *
 * A delivery the shopper paid for is booked the same way: its tax owed now, at its own rate in the tax bases
 * (a tax return reports it with the goods of that rate), and the rest deposited apart from the goods, earned
 * (4070) when the first parcel ships. Free delivery books nothing.
 */
export function onlineOrderEntry(
  order: OrderPlacedV1Data,
  taxes: readonly LineTax[],
): { entry: JournalEntry; deposit: OrderDeposit } {
  const entry = posting();
  entry.debit(ACCOUNTS.providerReceivable.code, order.total);
  let sales = 0;
  let discount = 0;
  order.lines.forEach((line, index) => {
    const revenue = entry.paidInAdvance(
      line.quantity * line.unitPrice,
      line.lineTotal,
      taxes[index] ?? NO_TAX,
    );
    sales += revenue.sales;
    discount += revenue.discount;
  });
  const charged = order.shipping && order.shipping.amount > 0 ? order.shipping : null;
  const shippingTax = charged ? orderShippingTax(charged) : NO_TAX;
  if (charged) entry.paidInAdvance(charged.amount, charged.amount, shippingTax);
  return {
    entry: {
      kind: 'online_order',
      sourceId: order.orderId,
      locationId: null,
      channel: order.channel,
      occurredAt: order.placedAt,
      currency: order.currency,
      lines: entry.lines(),
      taxBases: entry.taxBases(),
    },
    deposit: {
      orderId: order.orderId,
      channel: order.channel,
      currency: order.currency,
      sales,
      discount,
      deposit: sales - discount,
      recognised: 0,
      recognisedSales: 0,
      refunded: 0,
      shipping: charged ? charged.amount - shippingTax.amount : 0,
      shippingTax: shippingTax.amount,
      shippingRatePpm: charged ? shippingTax.ratePpm : null,
      shippingRecognised: 0,
      shippingRefunded: 0,
      shippingReturned: 0,
    },
  };
}

/**
 * What an online order's entry booked: its total, the tax in it, and its goods (and delivery) per tax rate, to
 * give the tax back in proportion.
 */
export interface OrderBooked {
  channel: string;
  total: number;
  tax: number;
  taxBases: TaxBase[];
}

/**
 * The order's delivery as its deposit keeps it apart from the goods: its net, tax and rate; null for an order
 * without a charged delivery; undefined when the deposit does not say (booked before ERP kept the delivery's tax,
 * or no deposit at all), so its refunds give tax back over all the order's rates in proportion.
 */
function deliveryOf(deposit: OrderDeposit | null): RatedPart | null | undefined {
  if (!deposit || deposit.shippingTax === null) return undefined;
  if (deposit.shipping + deposit.shippingTax === 0) return null;
  return { ratePpm: deposit.shippingRatePpm, net: deposit.shipping, tax: deposit.shippingTax };
}

/**
 * An online refund: the provider pays it back. The tax in it is given back per rate on the order's running
 * refunded totals, so partial refunds give back each rate's tax to the cent (`refundShares`): the delivery it
 * names at the delivery's own rate, on the running delivery total, and the rest at the goods' rates; a refund
 * or an order from before the delivery was kept apart over all the order's rates in proportion.
 * Without the order's entry (placed before the journal existed) the refund is booked as returns whole.
 * A refund id is unique within its order only, hence the order in the source id.
 *
 * What the refund gives back without its tax comes out of what the order's deposit still holds first (`deposit`,
 * goods and a delivery not earned yet; null for an order booked as revenue when placed): goods not shipped were
 * never revenue. A refund that names its delivery part (`shipping`) gives that part back from the delivery, out
 * of 4070 once the first parcel earned it (`refundFromDeposit`): the part less the delivery's tax in it, or,
 * without the delivery's own figures, the refund's net in the proportion the delivery is of the refund. The rest
 * returns revenue (4100).
 */
export function onlineRefundEntry(
  refund: OrderRefundedV1Data,
  order: OrderBooked | null,
  deposit: OrderDeposit | null = null,
): { entry: JournalEntry; deposit: OrderDeposit | null } {
  const entry = posting();
  const delivery = deliveryOf(deposit);
  let given = 0;
  let taxGiven = 0;
  if (order && order.total > 0)
    refundShares(order.taxBases, order, refund, delivery).forEach(({ gross, tax }, index) => {
      entry.returned(gross, tax, order.taxBases[index]!.ratePpm);
      given += gross;
      taxGiven += tax;
    });
  // Beyond what the order's goods took (or for an order the journal never booked): returns, with no tax.
  if (refund.amount !== given) entry.returned(refund.amount - given, 0, null);
  const net = Math.max(refund.amount - taxGiven, 0);
  const taken = deposit
    ? refundFromDeposit(deposit, net, deliveryNet(refund, net, order, delivery))
    : { deposit: null, fromDeposit: 0, fromShippingIncome: 0 };
  entry.debit(ACCOUNTS.customerDeposits.code, taken.fromDeposit);
  entry.debit(ACCOUNTS.shippingIncome.code, taken.fromShippingIncome);
  entry.credit(ACCOUNTS.returns.code, taken.fromDeposit + taken.fromShippingIncome);
  entry.credit(ACCOUNTS.providerReceivable.code, refund.amount);
  return {
    entry: {
      kind: 'online_refund',
      sourceId: `${refund.orderId}/${refund.refundId}`,
      locationId: null,
      channel: order?.channel ?? 'web',
      occurredAt: refund.refundedAt,
      currency: refund.currency,
      lines: entry.lines(),
      taxBases: entry.taxBases(),
    },
    deposit: taken.deposit,
  };
}

/**
 * What of the refund's net gives back the delivery: without the delivery's own figures or the running delivery
 * total, the refund's net in the proportion the delivery it names is of the refund (undefined when it names
 * none: split by what the deposit holds, as before); with them, the delivery as `refundShares` gives it back
 * (what the refund names, and for one naming nothing only what the goods could not take) less its own tax.
 */
function deliveryNet(
  refund: OrderRefundedV1Data,
  net: number,
  order: OrderBooked | null,
  delivery: RatedPart | null | undefined,
): number | undefined {
  const part = order ? refundParts(order, refund, delivery)?.delivery : undefined;
  if (part) return part.gross - part.tax;
  if (refund.shipping === undefined) return undefined;
  return refund.amount > 0 ? mulDivRound(net, refund.shipping, refund.amount) : 0;
}
