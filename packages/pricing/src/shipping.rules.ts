import type { QuoteShipping, ShippingMethod } from '@tillstream/contracts';
import { PricingError } from './pricing.error.js';
import type { CompiledRules } from './snapshot.compile.js';
import { lineTax, taxRateFor } from './tax.rules.js';

/** Who is buying, for shipping: the channel, the currency, the store whose tax rates apply (null online). */
export interface ShippingBuyer {
  channel: string;
  currency: string;
  storeId: string | null;
}

const offeredIn = (method: ShippingMethod, channel: string) =>
  method.enabled !== false && (!method.channels || method.channels.includes(channel));

/** Whether a method can deliver there, and its rate in the currency; null with the reason it cannot. */
function rateOf(method: ShippingMethod, country: string, currency: string) {
  if (method.countries && !method.countries.includes(country)) return null;
  return method.rates.find((rate) => rate.currency === currency) ?? null;
}

type Rate = ShippingMethod['rates'][number];

/** A method and its rate, as a quote asked for them; `resolveShipping` refused every other. */
export interface ResolvedShipping {
  method: ShippingMethod;
  rate: Rate;
  country: string;
}

/**
 * What is left to charge of a rate for goods of this net: nothing from its free-from on. The threshold reads
 * the goods after promotions and before added tax, as shoppers see "free from €50".
 */
const chargeLeft = (rate: Rate, goodsNet: number) =>
  rate.freeFrom !== undefined && goodsNet >= rate.freeFrom ? 0 : rate.amount;

/** What of the delivery is left to waive for a free-shipping promotion (`applyPromotions`). */
export const toWaive = (resolved: ResolvedShipping) => ({
  methodId: resolved.method.id,
  chargeLeft: (goodsNet: number) => chargeLeft(resolved.rate, goodsNet),
});

/**
 * Delivery priced like a line: the rate, less what its free-from waives or else what a free-shipping
 * promotion waived (`waiver`), then taxed by the method's tax category.
 */
export function priceShipping(
  rules: CompiledRules,
  resolved: ResolvedShipping,
  goodsNet: number,
  storeId: string | null,
  waiver: { promotionId: string; amount: number } | null = null,
): QuoteShipping {
  const { method, rate, country } = resolved;
  const netAmount = waiver ? chargeLeft(rate, goodsNet) - waiver.amount : chargeLeft(rate, goodsNet);
  const { tax, total } = lineTax(
    netAmount,
    method.taxCategory,
    taxRateFor(rules, method.taxCategory, storeId),
  );
  return {
    methodId: method.id,
    methodVersion: method.version,
    name: method.name,
    country,
    amount: rate.amount,
    freeFrom: rate.freeFrom ?? null,
    discountAmount: rate.amount - netAmount,
    netAmount,
    tax,
    total,
    ...(waiver ? { promotionId: waiver.promotionId } : {}),
  };
}

/**
 * The method and rate a quote asks delivery by, refusing a method not offered in the channel
 * (`shipping_method_unknown`) and one that does not deliver there or has no rate in the currency
 * (`shipping_not_available`).
 */
export function resolveShipping(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  request: { methodId: string; country: string },
): ResolvedShipping {
  const method = rules.shippingMethods.get(request.methodId);
  if (!method || !offeredIn(method, buyer.channel))
    throw new PricingError('shipping_method_unknown', `No shipping method ${request.methodId} here`, {
      methodId: request.methodId,
    });
  const rate = rateOf(method, request.country, buyer.currency);
  if (!rate)
    throw new PricingError(
      'shipping_not_available',
      `Shipping method ${method.id} does not deliver to ${request.country} in ${buyer.currency}`,
      { methodId: method.id, country: request.country, currency: buyer.currency },
    );
  return { method, rate, country: request.country };
}

/** Delivery by one method to one country for goods of this net, without promotions (see `resolveShipping`). */
export function quoteShipping(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  request: { methodId: string; country: string },
  goodsNet: number,
): QuoteShipping {
  return priceShipping(rules, resolveShipping(rules, buyer, request), goodsNet, buyer.storeId);
}

/**
 * Whether delivery is offered at all to a buyer in this channel and currency: an enabled method of the channel
 * with a rate in the currency. A storefront then asks its shopper to choose one before checkout.
 */
export function offersShipping(rules: CompiledRules, buyer: Omit<ShippingBuyer, 'storeId'>): boolean {
  for (const method of rules.shippingMethods.values())
    if (offeredIn(method, buyer.channel) && method.rates.some((rate) => rate.currency === buyer.currency))
      return true;
  return false;
}

/**
 * Every method that can deliver goods of this net to the country in the currency, priced, cheapest first
 * (ties by id): what a storefront offers the shopper to choose from.
 */
export function shippingOptions(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  country: string,
  goodsNet: number,
): QuoteShipping[] {
  const options: QuoteShipping[] = [];
  for (const method of rules.shippingMethods.values()) {
    if (!offeredIn(method, buyer.channel)) continue;
    const rate = rateOf(method, country, buyer.currency);
    if (rate) options.push(priceShipping(rules, { method, rate, country }, goodsNet, buyer.storeId));
  }
  return options.sort(cheapestFirst);
}

/** Options in the order a shopper compares them: cheapest first, ties by method id. */
export const cheapestFirst = (left: QuoteShipping, right: QuoteShipping) =>
  left.total - right.total || (left.methodId < right.methodId ? -1 : left.methodId > right.methodId ? 1 : 0);
