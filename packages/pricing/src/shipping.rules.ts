import type { PickupPoint, QuoteShipping, ShippingMethod, SnapshotProduct } from '@tillstream/contracts';
import { parcelsFor, type WeighedGoods } from './parcels.pack.js';
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

type Rate = ShippingMethod['rates'][number];

/** Where the goods go: a country and, once the shopper gave an address, its postcode. */
export interface Destination {
  country: string;
  postalCode?: string;
}

/** A postcode as rules compare it: in capitals, without spaces or dashes ("1791 ab" and "1791AB" alike). */
export const postcodeKey = (postcode: string) => postcode.toUpperCase().replace(/[\s-]/g, '');

/**
 * Whether a method reaches the postcode by its rule for the country: one starting with an `include` prefix (when
 * it has any) and with no `exclude` prefix. A country without a rule, or a destination without a postcode, is not
 * checked: a storefront lists a country's methods before the shopper types an address, and checks them again
 * with it.
 */
function reachesPostcode(method: ShippingMethod, destination: Destination): boolean {
  if (destination.postalCode === undefined || !method.postcodes) return true;
  const rule = method.postcodes.find((each) => each.country === destination.country);
  if (!rule) return true;
  const key = postcodeKey(destination.postalCode);
  const startsWithAny = (prefixes: readonly string[]) =>
    prefixes.some((prefix) => key.startsWith(postcodeKey(prefix)));
  return (!rule.include || startsWithAny(rule.include)) && !(rule.exclude && startsWithAny(rule.exclude));
}

/** Whether a method can deliver there, and its rate in the currency; null when it cannot. */
function rateOf(method: ShippingMethod, destination: Destination, currency: string): Rate | null {
  if (method.countries && !method.countries.includes(destination.country)) return null;
  if (!reachesPostcode(method, destination)) return null;
  return method.rates.find((rate) => rate.currency === currency) ?? null;
}

/**
 * What goods weigh for delivery: each line's units times its product's `weightGrams`. A product without a
 * weight weighs nothing, so a chain that sets none pays its rates' flat amounts as before.
 */
export function goodsWeight(
  products: ReadonlyMap<string, SnapshotProduct>,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
): number {
  let grams = 0;
  for (const line of lines) grams += (products.get(line.sku)?.weightGrams ?? 0) * line.quantity;
  return grams;
}

/** The goods a delivery is priced for: their net (for `freeFrom`) and their weight. */
export interface Goods extends WeighedGoods {
  goodsNet: number;
}

/** The goods' weight (`goodsWeight`) and each line's units at their product's weight, for packing. */
export function weighGoods(
  products: ReadonlyMap<string, SnapshotProduct>,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
): Required<WeighedGoods> {
  return {
    weightGrams: goodsWeight(products, lines),
    units: lines.map((line) => ({
      weightGrams: products.get(line.sku)?.weightGrams ?? 0,
      quantity: line.quantity,
    })),
  };
}

/**
 * A method and its rate, as a quote asked for them, the weight of the goods it carries and the parcels it carries
 * them in; `resolveShipping` refused every other.
 */
export interface ResolvedShipping {
  method: ShippingMethod;
  rate: Rate;
  country: string;
  weightGrams: number;
  /** What each parcel weighs, in grams: the goods' weight alone, unless the rate split them (`splitParcels`). */
  parcelGrams: readonly number[];
}

/** A rate's charge for one parcel of this weight: the heaviest weight band it reaches, else the rate's amount. */
function chargeFor(rate: Rate, weightGrams: number): number {
  let amount = rate.amount;
  for (const band of rate.byWeight ?? []) if (weightGrams >= band.fromGrams) amount = band.amount;
  return amount;
}

/** The charge for the goods: each parcel's, summed. */
const chargeOf = (resolved: ResolvedShipping) =>
  resolved.parcelGrams.reduce((sum, grams) => sum + chargeFor(resolved.rate, grams), 0);

/**
 * What is left to charge for goods of this net: nothing from the rate's free-from on. The threshold reads the
 * goods after promotions and before added tax, as shoppers see "free from €50".
 */
const chargeLeft = (resolved: ResolvedShipping, goodsNet: number) =>
  resolved.rate.freeFrom !== undefined && goodsNet >= resolved.rate.freeFrom ? 0 : chargeOf(resolved);

/** What of the delivery is left to waive for a free-shipping promotion (`applyPromotions`). */
export const toWaive = (resolved: ResolvedShipping) => ({
  methodId: resolved.method.id,
  chargeLeft: (goodsNet: number) => chargeLeft(resolved, goodsNet),
});

/**
 * Delivery priced like a line: the rate's charge for the goods' weight (summed over the parcels, when it split
 * them), less what its free-from waives or else what a free-shipping promotion waived (`waiver`), then taxed by
 * the method's tax category.
 */
export function priceShipping(
  rules: CompiledRules,
  resolved: ResolvedShipping,
  goodsNet: number,
  storeId: string | null,
  waiver: { promotionId: string; amount: number } | null = null,
): QuoteShipping {
  const { method, rate, country, weightGrams, parcelGrams } = resolved;
  const amount = chargeOf(resolved);
  const left = chargeLeft(resolved, goodsNet);
  const netAmount = waiver ? left - waiver.amount : left;
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
    amount,
    freeFrom: rate.freeFrom ?? null,
    discountAmount: amount - netAmount,
    netAmount,
    tax,
    total,
    ...(waiver ? { promotionId: waiver.promotionId } : {}),
    ...(rate.byWeight || rate.maxGrams !== undefined ? { weightGrams } : {}),
    ...(parcelGrams.length > 1 ? { parcels: parcelGrams.length } : {}),
    ...(method.pickup ? { pickup: method.pickup } : {}),
  };
}

/**
 * The method and rate a quote asks delivery by, refusing a method not offered in the channel
 * (`shipping_method_unknown`) and one that does not deliver to the country or postcode, has no rate in the
 * currency or does not take goods that heavy, even split into parcels (`shipping_not_available`).
 */
export function resolveShipping(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  request: { methodId: string } & Destination,
  goods: WeighedGoods,
): ResolvedShipping {
  const method = rules.shippingMethods.get(request.methodId);
  if (!method || !offeredIn(method, buyer.channel))
    throw new PricingError('shipping_method_unknown', `No shipping method ${request.methodId} here`, {
      methodId: request.methodId,
    });
  const rate = rateOf(method, request, buyer.currency);
  if (!rate) {
    const where =
      request.postalCode === undefined ? request.country : `${request.postalCode}, ${request.country}`;
    throw new PricingError(
      'shipping_not_available',
      `Shipping method ${method.id} does not deliver to ${where} in ${buyer.currency}`,
      {
        methodId: method.id,
        country: request.country,
        ...(request.postalCode === undefined ? {} : { postalCode: request.postalCode }),
        currency: buyer.currency,
      },
    );
  }
  const carried = parcelsFor(rate, goods);
  if ('detail' in carried)
    throw new PricingError('shipping_not_available', `Shipping method ${method.id} ${carried.detail}`, {
      methodId: method.id,
      ...carried.details,
    });
  return { method, rate, country: request.country, weightGrams: goods.weightGrams, ...carried };
}

/** Delivery by one method to one destination for these goods, without promotions (see `resolveShipping`). */
export function quoteShipping(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  request: { methodId: string } & Destination,
  goods: Goods,
): QuoteShipping {
  return priceShipping(rules, resolveShipping(rules, buyer, request, goods), goods.goodsNet, buyer.storeId);
}

/**
 * The collection point of a method offered in the channel (click and collect), null for a delivery method;
 * `shipping_method_unknown` for a method the channel does not offer. A storefront asks before it takes the
 * shopper's choice: a collection needs who collects, a delivery an address.
 */
export function pickupPointOf(rules: CompiledRules, channel: string, methodId: string): PickupPoint | null {
  const method = rules.shippingMethods.get(methodId);
  if (!method || !offeredIn(method, channel))
    throw new PricingError('shipping_method_unknown', `No shipping method ${methodId} here`, { methodId });
  return method.pickup ?? null;
}

/** A collection method as a storefront lists it: where the shopper collects, by which method. */
export interface OfferedPickup {
  methodId: string;
  name: string;
  pickup: PickupPoint;
}

/**
 * The collection points (click and collect) offered to a buyer in this channel and currency: enabled collection
 * methods of the channel with a rate in the currency, by name (ties by id). A collection takes no destination,
 * so the list is the same for every shopper of the channel.
 */
export function pickupPoints(rules: CompiledRules, buyer: Omit<ShippingBuyer, 'storeId'>): OfferedPickup[] {
  const offered: OfferedPickup[] = [];
  for (const method of rules.shippingMethods.values())
    if (
      method.pickup &&
      offeredIn(method, buyer.channel) &&
      method.rates.some((rate) => rate.currency === buyer.currency)
    )
      offered.push({ methodId: method.id, name: method.name, pickup: method.pickup });
  // By code point, not locale: every engine lists them in the same order. Method ids are unique.
  const order = (point: OfferedPickup) => `${point.name}\u0000${point.methodId}`;
  return offered.sort((a, b) => (order(a) < order(b) ? -1 : 1));
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
 * Every method that can deliver these goods to the destination in the currency, priced, cheapest first (ties by
 * id): what a storefront offers the shopper to choose from. A method that does not take goods that heavy (even
 * split into parcels), or does not reach the postcode when one is given, is not among them.
 */
export function shippingOptions(
  rules: CompiledRules,
  buyer: ShippingBuyer,
  destination: Destination,
  goods: Goods,
): QuoteShipping[] {
  const options: QuoteShipping[] = [];
  for (const method of rules.shippingMethods.values()) {
    if (!offeredIn(method, buyer.channel)) continue;
    const rate = rateOf(method, destination, buyer.currency);
    const carried = rate && parcelsFor(rate, goods);
    if (rate && carried && !('detail' in carried))
      options.push(
        priceShipping(
          rules,
          { method, rate, country: destination.country, weightGrams: goods.weightGrams, ...carried },
          goods.goodsNet,
          buyer.storeId,
        ),
      );
  }
  return options.sort(cheapestFirst);
}

/** Options in the order a shopper compares them: cheapest first, ties by method id. */
export const cheapestFirst = (left: QuoteShipping, right: QuoteShipping) =>
  left.total - right.total || (left.methodId < right.methodId ? -1 : left.methodId > right.methodId ? 1 : 0);
