import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
  SalesTaxBookedV1Data,
} from '@tillstream/contracts';
import { refundShares } from '@tillstream/pricing';

/**
 * Goods and their tax at one rate, what a VAT return asks: `net` is what they sold for without any tax, as
 * ERP's tax summary books it (not the report's `net`, which keeps the tax inside shelf prices). `ratePpm` null:
 * not known (figures counted before rates were kept, a document that did not say) or no rate applies, as in
 * ERP's summary. Analytics takes each rate from the document or ERP's booking that states it; it never guesses.
 */
export interface RateFigures {
  ratePpm: number | null;
  net: number;
  tax: number;
  returnsNet: number;
  returnsTax: number;
}

/** An online order's goods per rate, as ERP's journal books them: what its refunds are split over. */
export interface OrderRate {
  ratePpm: number | null;
  net: number;
  tax: number;
}

const none = (ratePpm: number | null): RateFigures => ({
  ratePpm,
  net: 0,
  tax: 0,
  returnsNet: 0,
  returnsTax: 0,
});

export function addRate(a: RateFigures, b: RateFigures): RateFigures {
  return {
    ratePpm: a.ratePpm,
    net: a.net + b.net,
    tax: a.tax + b.tax,
    returnsNet: a.returnsNet + b.returnsNet,
    returnsTax: a.returnsTax + b.returnsTax,
  };
}

const isEmpty = (rate: RateFigures) =>
  rate.net === 0 && rate.tax === 0 && rate.returnsNet === 0 && rate.returnsTax === 0;

/** Parts of one rate added together, in rate order (unknown last), empty ones dropped: as ERP sorts its bases. */
export function byRate(parts: readonly RateFigures[]): RateFigures[] {
  const merged = new Map<number | null, RateFigures>();
  for (const part of parts)
    merged.set(part.ratePpm, addRate(merged.get(part.ratePpm) ?? none(part.ratePpm), part));
  return [...merged.values()]
    .filter((rate) => !isEmpty(rate))
    .sort((a, b) => (a.ratePpm ?? Infinity) - (b.ratePpm ?? Infinity));
}

/**
 * The parts, with whatever of the document's tax (`tax`, `returnsTax`: what its row counts) they do not account
 * for under no rate: so a row's rates always add up to its tax exactly, whatever a document states.
 */
function completed(parts: RateFigures[], totals: { tax?: number; returnsTax?: number }): RateFigures[] {
  const rest = none(null);
  rest.tax = (totals.tax ?? 0) - parts.reduce((sum, part) => sum + part.tax, 0);
  rest.returnsTax = (totals.returnsTax ?? 0) - parts.reduce((sum, part) => sum + part.returnsTax, 0);
  return byRate([...parts, rest]);
}

/**
 * A store sale: the lines whose tax the till added on top, at the rate it states (their `lineTotal` is without
 * it). The others' tax is inside their price, and only ERP knows its rate: `bookedTaxRates` brings them.
 */
export function saleTaxRates(sale: SaleCompletedV1Data, tax: number): RateFigures[] {
  const parts = sale.lines.flatMap((line) =>
    line.tax ? [{ ...none(line.tax.ratePpm), net: line.lineTotal, tax: line.tax.amount }] : [],
  );
  return completed(parts, { tax });
}

/** A store return: the lines refunding added tax, at the sold line's rate where the till states it. */
export function storeReturnTaxRates(ret: ReturnCompletedV1Data, returnsTax: number): RateFigures[] {
  const parts = ret.lines.flatMap((line) =>
    line.tax === undefined
      ? []
      : [{ ...none(line.taxRatePpm ?? null), returnsNet: line.lineTotal, returnsTax: line.tax }],
  );
  return completed(parts, { returnsTax });
}

/**
 * ERP's booking of a store document: the goods whose tax is inside their prices, per rate (the added ones are
 * the POS event's, counted from it). A booking without rates (ERP booked it before it said them) gives its
 * included tax under no rate, and no net: ERP did not say what it was on.
 */
export function bookedTaxRates(booked: SalesTaxBookedV1Data): RateFigures[] {
  const isSale = booked.kind === 'sale';
  const parts = (booked.rates ?? [])
    .filter((rate) => rate.charged === 'included')
    .map((rate) =>
      isSale
        ? { ...none(rate.ratePpm), net: rate.net, tax: rate.tax }
        : { ...none(rate.ratePpm), returnsNet: rate.net, returnsTax: rate.tax },
    );
  return completed(parts, isSale ? { tax: booked.included } : { returnsTax: booked.included });
}

/**
 * An online order's charged delivery, at the rate it states: what it cost without its tax, and the tax. Null for
 * an order without one, or whose delivery was free: nothing of it is given back.
 */
export function orderDelivery(order: OrderPlacedV1Data): OrderRate | null {
  const shipping = order.shipping;
  if (!shipping || shipping.amount <= 0) return null;
  return {
    ratePpm: shipping.tax.ratePpm,
    net: shipping.amount - shipping.tax.amount,
    tax: shipping.tax.amount,
  };
}

/**
 * An online order's goods per rate, from each line's tax (a line that states none is under no rate), and its
 * delivery at the rate it states: ERP's journal books the delivery's tax and net in the order's tax bases, so
 * its tax summary has them, and so must a VAT return read from here. Free delivery adds nothing.
 */
export function orderRates(order: OrderPlacedV1Data): OrderRate[] {
  const delivery = orderDelivery(order);
  return byRate([
    ...order.lines.map((line) => ({
      ...none(line.tax?.ratePpm ?? null),
      net: line.lineTotal - (line.tax?.amount ?? 0),
      tax: line.tax?.amount ?? 0,
    })),
    ...(delivery ? [{ ...none(delivery.ratePpm), net: delivery.net, tax: delivery.tax }] : []),
  ]).map(({ ratePpm, net, tax }) => ({ ratePpm, net, tax }));
}

export function orderTaxRates(order: OrderPlacedV1Data): RateFigures[] {
  return orderRates(order).map((rate) => ({ ...none(rate.ratePpm), net: rate.net, tax: rate.tax }));
}

/**
 * An online refund, split over its order's rates as ERP's journal splits it (`refundShares`). When the order's
 * delivery is known apart (`delivery`: kept since analytics migration 010, null for an order without one) and
 * the refund states the order's running delivery total (`shippingRefunded`), the delivery it gives back is at
 * the delivery's own rate and the goods at theirs, so a refund of the delivery alone gives back the delivery's
 * tax and no goods' tax. Otherwise (an order remembered before, a refund written before the field) each rate's
 * goods and tax take their share of the order's refunded total so far, less what earlier refunds took. What
 * the rates do not account for (a refund beyond the order's goods and delivery) is under no rate, with no tax;
 * a refund of an order placed before rates were kept, or never seen, is under no rate whole, with
 * `taxWithoutRates`, the tax its row gives back of it.
 */
export function refundTaxRates(
  refund: OrderRefundedV1Data,
  order: {
    total: number | null;
    tax: number;
    rates: readonly OrderRate[] | null;
    delivery?: OrderRate | null;
  } | null,
  taxWithoutRates: number,
): RateFigures[] {
  const parts: RateFigures[] = [];
  let given = 0;
  let unknownTax = taxWithoutRates;
  if (order?.rates && order.total !== null && order.total > 0) {
    const { rates } = order;
    refundShares(rates, { total: order.total, tax: order.tax }, refund, order.delivery).forEach(
      ({ gross, tax }, index) => {
        parts.push({ ...none(rates[index]!.ratePpm), returnsNet: gross - tax, returnsTax: tax });
        given += gross;
      },
    );
    unknownTax = 0;
  }
  parts.push({ ...none(null), returnsNet: refund.amount - given - unknownTax, returnsTax: unknownTax });
  return byRate(parts);
}
