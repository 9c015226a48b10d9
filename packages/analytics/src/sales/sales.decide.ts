import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  ReturnCompletedV1Data,
  ReturnReceivedV1Data,
  SaleCompletedV1Data,
} from '@tillstream/contracts';
import { refundParts, shareOf } from '@tillstream/pricing';
import { quarterHourKey } from './buckets.decide.js';
import { promotionsOf, type PromotionFigures } from './promotions.decide.js';
import {
  orderDelivery,
  orderRates,
  orderTaxRates,
  refundTaxRates,
  saleTaxRates,
  storeReturnTaxRates,
  type OrderRate,
  type RateFigures,
} from './tax-rates.decide.js';

/** The store channel; online orders keep the channel they were sold on (`web`, …). */
export const STORE_CHANNEL = 'pos';

/**
 * Where a figure belongs: a UTC quarter hour of one channel at one location in one currency. An online order's
 * location is the store its shopper collects at (click and collect), `''` for one delivered.
 */
export interface BucketKey {
  quarterHour: string;
  channel: string;
  locationId: string;
  currency: string;
}

/** What one document adds to its bucket, in integer minor units and units. */
export interface SalesFigures {
  gross: number;
  discounts: number;
  net: number;
  /**
   * Tax in the goods' prices: what the till added on top and, from ERP's journal, what the prices include; and
   * online, the tax on the order's delivery, which the sales tax account took with it.
   */
  tax: number;
  returns: number;
  /** Tax given back by store returns (the same two parts as `tax`) and online refunds (their order's share). */
  returnsTax: number;
  transactions: number;
  units: number;
  returnedUnits: number;
  refunds: number;
}

export interface ProductFigures {
  sku: string;
  units: number;
  net: number;
  returnedUnits: number;
  returns: number;
}

/** One document's effect on the reports: added to what its bucket already holds. */
export interface SalesEffect {
  key: BucketKey;
  figures: SalesFigures;
  products: ProductFigures[];
  /** Promotions the document applied (sales and orders whose lines name them). */
  promotions: PromotionFigures[];
  /** Its goods and tax per rate: their tax and returned tax add up to `figures.tax` and `figures.returnsTax`. */
  taxRates: RateFigures[];
}

export const NO_FIGURES: SalesFigures = {
  gross: 0,
  discounts: 0,
  net: 0,
  tax: 0,
  returns: 0,
  returnsTax: 0,
  transactions: 0,
  units: 0,
  returnedUnits: 0,
  refunds: 0,
};

const noProduct = (sku: string): ProductFigures => ({ sku, units: 0, net: 0, returnedUnits: 0, returns: 0 });

/** Lines of one SKU added together: a basket may ring the same SKU on several lines. */
function bySku(lines: ProductFigures[]): ProductFigures[] {
  const merged = new Map<string, ProductFigures>();
  for (const line of lines)
    merged.set(line.sku, addProduct(merged.get(line.sku) ?? noProduct(line.sku), line));
  return [...merged.values()];
}

export function addProduct(a: ProductFigures, b: ProductFigures): ProductFigures {
  return {
    sku: a.sku,
    units: a.units + b.units,
    net: a.net + b.net,
    returnedUnits: a.returnedUnits + b.returnedUnits,
    returns: a.returns + b.returns,
  };
}

export function addFigures(a: SalesFigures, b: SalesFigures): SalesFigures {
  const sum = { ...a };
  for (const field of Object.keys(NO_FIGURES) as Array<keyof SalesFigures>) sum[field] = a[field] + b[field];
  return sum;
}

/**
 * A store sale: gross at shelf price, the promotions' discounts, net after them, the tax the till added. The
 * tax its prices include comes from ERP's journal (`bookedTaxEffect`), into the same bucket.
 */
export function saleEffect(sale: SaleCompletedV1Data): SalesEffect {
  const lines = sale.lines.map((line) => ({
    sku: line.sku,
    units: line.quantity,
    gross: line.quantity * line.unitPrice,
    net: line.lineTotal,
    tax: line.tax?.amount ?? 0,
  }));
  const gross = lines.reduce((sum, line) => sum + line.gross, 0);
  const net = lines.reduce((sum, line) => sum + line.net, 0);
  const tax = sale.tax ?? lines.reduce((sum, line) => sum + line.tax, 0);
  return {
    key: {
      quarterHour: quarterHourKey(sale.occurredAt),
      channel: STORE_CHANNEL,
      locationId: sale.storeId,
      currency: sale.currency,
    },
    figures: {
      ...NO_FIGURES,
      gross,
      discounts: gross - net,
      net,
      tax,
      transactions: 1,
      units: lines.reduce((sum, line) => sum + line.units, 0),
    },
    products: bySku(lines.map((line) => ({ ...noProduct(line.sku), units: line.units, net: line.net }))),
    promotions: promotionsOf(sale.lines),
    taxRates: saleTaxRates(sale, tax),
  };
}

/**
 * A store return: what was refunded for the goods (added tax refunded with them not included), and that added
 * tax apart. The tax inside the goods' prices comes from ERP's journal (`bookedTaxEffect`).
 */
export function storeReturnEffect(ret: ReturnCompletedV1Data): SalesEffect {
  const lines = ret.lines.map((line) => ({
    ...noProduct(line.sku),
    returnedUnits: line.quantity,
    returns: line.lineTotal,
  }));
  const returnsTax = ret.lines.reduce((sum, line) => sum + (line.tax ?? 0), 0);
  return {
    key: {
      quarterHour: quarterHourKey(ret.occurredAt),
      channel: STORE_CHANNEL,
      locationId: ret.storeId,
      currency: ret.currency,
    },
    figures: {
      ...NO_FIGURES,
      returns: lines.reduce((sum, line) => sum + line.returns, 0),
      returnsTax,
      returnedUnits: lines.reduce((sum, line) => sum + line.returnedUnits, 0),
      refunds: 1,
    },
    products: bySku(lines),
    promotions: [],
    taxRates: storeReturnTaxRates(ret, returnsTax),
  };
}

/**
 * Units of an online order that came back, per product, on its order's channel and location by the time they
 * arrived, and what they were worth per product (`returns`: what was paid for them less the tax added on top,
 * as a store return's line counts; none for a return written before commerce priced its lines). The money
 * goes with the order's refund (`refundEffect`), one amount that names no lines: the row's figures count it
 * there, so here only units and the products' returns count.
 */
export function onlineReturnEffect(
  ret: ReturnReceivedV1Data,
  order: Pick<OrderTaken, 'channel' | 'locationId'>,
): SalesEffect {
  const lines = ret.lines.map((line) => ({
    ...noProduct(line.sku),
    returnedUnits: line.quantity,
    returns: (line.value ?? 0) - (line.addedTax ?? 0),
  }));
  return {
    key: {
      quarterHour: quarterHourKey(ret.receivedAt),
      channel: order.channel,
      locationId: order.locationId,
      currency: ret.refund.currency,
    },
    figures: { ...NO_FIGURES, returnedUnits: lines.reduce((sum, line) => sum + line.returnedUnits, 0) },
    products: bySku(lines),
    promotions: [],
    taxRates: [],
  };
}

/**
 * What an online order took, and the tax in it (all of it, the delivery's too, and the part its goods added on
 * top), what its delivery cost, and its goods and delivery per rate: what its refunds share. `total` is null
 * for an order remembered before totals were kept (its refunds count whole as returns), `rates` for one
 * remembered before rates were (its refunds' tax is under no rate); `shipping` is 0 for one remembered before
 * deliveries were, which had none; `delivery` is absent for one remembered before it was kept apart (its
 * refunds' tax is split over all its rates in proportion, the delivery's with the goods').
 */
export interface OrderTaken {
  channel: string;
  /** The store the shopper collects at (click and collect), `''` for an order delivered: where it counts. */
  locationId: string;
  total: number | null;
  tax: number;
  addedTax: number;
  /** What the shopper paid for delivery, its tax included however charged: the part of a refund not goods. */
  shipping: number;
  rates: OrderRate[] | null;
  /** The charged delivery apart from the goods, at its rate (also in `rates`); null: the order had none. */
  delivery?: OrderRate | null;
}

/** The tax on an order's delivery, 0 for none or free delivery. */
const deliveryTax = (order: OrderPlacedV1Data): number => orderDelivery(order)?.tax ?? 0;

/** Where an online order counts: the store it is collected at, none (`''`) when it is delivered. */
const locationOf = (order: Pick<OrderPlacedV1Data, 'shipping'>): string =>
  order.shipping?.pickup?.locationId ?? '';

export function orderTaken(order: OrderPlacedV1Data): OrderTaken {
  let tax = deliveryTax(order);
  let addedTax = 0;
  for (const line of order.lines) {
    tax += line.tax?.amount ?? 0;
    if (line.tax && !line.tax.inclusive) addedTax += line.tax.amount;
  }
  return {
    channel: order.channel,
    locationId: locationOf(order),
    total: order.total,
    tax,
    addedTax,
    shipping: order.shipping?.amount ?? 0,
    rates: orderRates(order),
    delivery: orderDelivery(order),
  };
}

/**
 * An online order: its lines' totals less any tax added on top are its net; the tax is what the lines state.
 * Its delivery is not a sale of goods: it stays out of gross, net and units (ERP books it to shipping income,
 * 4070), but its tax is counted with the lines', as the sales tax account (2100) took it, so `tax` and the rates
 * agree with ERP's tax summary.
 */
export function orderEffect(order: OrderPlacedV1Data): SalesEffect {
  const lines = order.lines.map((line) => {
    const added = line.tax && !line.tax.inclusive ? line.tax.amount : 0;
    return {
      sku: line.sku,
      units: line.quantity,
      gross: line.quantity * line.unitPrice,
      net: line.lineTotal - added,
      tax: line.tax?.amount ?? 0,
    };
  });
  const gross = lines.reduce((sum, line) => sum + line.gross, 0);
  const net = lines.reduce((sum, line) => sum + line.net, 0);
  return {
    key: {
      quarterHour: quarterHourKey(order.placedAt),
      channel: order.channel,
      locationId: locationOf(order),
      currency: order.currency,
    },
    figures: {
      ...NO_FIGURES,
      gross,
      discounts: gross - net,
      net,
      tax: lines.reduce((sum, line) => sum + line.tax, 0) + deliveryTax(order),
      transactions: 1,
      units: lines.reduce((sum, line) => sum + line.units, 0),
    },
    products: bySku(lines.map((line) => ({ ...noProduct(line.sku), units: line.units, net: line.net }))),
    // A free-shipping promotion names itself on the delivery: counted like a line's, with no units.
    promotions: promotionsOf(
      order.shipping?.promotions
        ? [...order.lines, { quantity: 0, promotions: order.shipping.promotions }]
        : order.lines,
    ),
    taxRates: orderTaxRates(order),
  };
}

/**
 * An online refund (a cancel, a return or goodwill): money only, the event names no lines, so no product's
 * figures change. It counts on the channel (and location) its order was sold on, by the time of the refund.
 * The tax in it is what it gives back of its order's rates (`refundTaxRates`), as ERP's journal books it:
 * `returnsTax`, so the rates add up to it; for an order whose rates were not kept, the order's tax share (its
 * delivery's included) of the order's refunded total so far, less what earlier refunds took. `returns` is the
 * refund less the tax its goods added on top and less the delivery in it (below), as an order's `net` is its
 * lines less the tax added on top: a cancelled order's returns are its net, not its net and its delivery.
 */
export function refundEffect(
  refund: OrderRefundedV1Data,
  channel: string,
  order: OrderTaken | null,
): SalesEffect {
  const before = refund.refunded - refund.amount;
  const share = (whole: number) => (order?.total ? shareOf(whole, order.total, before, refund.amount) : 0);
  const taxRates = refundTaxRates(refund, order, share(order?.tax ?? 0));
  // Its goods and delivery as its rates split it (the delivery it names, and for one naming nothing what the
  // goods could not take), the tax added on top of the goods with the goods; for a refund or an order from
  // before the delivery was kept apart, the delivery it names, else its share, and its share of the added tax.
  const parts = order?.total ? refundParts({ total: order.total }, refund, order.delivery) : undefined;
  const addedTax = order?.addedTax ?? 0;
  const addedTaxBack = parts
    ? shareOf(addedTax, parts.goods.total, parts.goods.before, parts.goods.given)
    : share(addedTax);
  const delivery = parts?.delivery.gross ?? refund.shipping ?? share(order?.shipping ?? 0);
  return {
    key: {
      quarterHour: quarterHourKey(refund.refundedAt),
      channel,
      locationId: order?.locationId ?? '',
      currency: refund.currency,
    },
    figures: {
      ...NO_FIGURES,
      returns: refund.amount - addedTaxBack - delivery,
      returnsTax: taxRates.reduce((sum, rate) => sum + rate.returnsTax, 0),
      refunds: 1,
    },
    products: [],
    promotions: [],
    taxRates,
  };
}
