import type { Quote, QuoteLine, QuoteRequest, QuoteShipping } from '@tillstream/contracts';
import { PricingError } from './pricing.error.js';
import { selectUnitPrice, type Buyer, type UnitPrice } from './price-list.select.js';
import { applyPromotions } from './promotion.rules.js';
import type { PricedLine } from './promotion.effects.js';
import { normalizeCode, type CompiledPricing } from './snapshot.compile.js';
import { lineTax, taxRateFor } from './tax.rules.js';
import {
  cheapestFirst,
  priceShipping,
  resolveShipping,
  shippingOptions,
  toWaive,
  weighGoods,
  type Destination,
} from './shipping.rules.js';

/** A quote request with the instant fixed, plus what the caller knows of usage the snapshot cannot hold. */
export interface PricingInput extends Omit<QuoteRequest, 'at'> {
  /** The instant priced at (RFC 3339). The engine never reads a clock. */
  at: string;
  /**
   * Promotions used up (globally or for this customer) besides those the snapshot names: skipped, their
   * coupons reported `exhausted`.
   */
  exhaustedPromotionIds?: readonly string[];
}

const DEFAULT_TAX_CATEGORY = 'standard';

/**
 * Prices a cart. Pure and deterministic: the same compiled pricing and input always give the same quote, on
 * a POS terminal offline or in the ERP. Steps, in order:
 *
 * 1. unit price per line from price lists, else the product's price (`selectUnitPrice`);
 * 2. promotions in stacking order (`applyPromotions`), each on what the ones before it left;
 * 3. tax per line on the discounted net (`lineTax`);
 * 4. totals, each the sum of the lines' figures, so they always add up;
 * 5. when asked, delivery (`priceShipping`): its rate (for each parcel, when it splits heavy goods), free from a
 *    goods net or by a free-shipping promotion (tried after the lines' in step 2), taxed like a line and added to
 *    the tax and the total (never to subtotal, discount or net, which stay the goods').
 */
/** The last instant read, parsed and normalized: carts come in bursts priced at the same instant. */
let lastInstant = { text: '', at: 0, iso: '' };

function readInstant(text: string): { at: number; iso: string } {
  if (text === lastInstant.text) return lastInstant;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new PricingError('invalid_instant', `Not an instant: ${text}`);
  lastInstant = { text, at, iso: new Date(at).toISOString() };
  return lastInstant;
}

export function quote(pricing: CompiledPricing, input: PricingInput): Quote {
  const { at, iso } = readInstant(input.at);
  const buyer: Buyer = {
    channel: input.channel,
    currency: input.currency,
    storeId: input.storeId ?? null,
    customerId: input.customerId ?? null,
    customerGroups: input.customerGroups ?? [],
    at,
  };

  for (const line of input.lines) {
    if (pricing.products.has(line.sku)) continue;
    const unknown = [
      ...new Set(input.lines.filter((each) => !pricing.products.has(each.sku)).map((each) => each.sku)),
    ];
    throw new PricingError('unknown_sku', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
  }

  const cartQuantity = new Map<string, number>();
  for (const line of input.lines)
    cartQuantity.set(line.sku, (cartQuantity.get(line.sku) ?? 0) + line.quantity);
  const prices = new Map<string, UnitPrice>();
  const unpriced: string[] = [];
  for (const [sku, quantity] of cartQuantity) {
    const price = selectUnitPrice(pricing, pricing.products.get(sku)!, quantity, buyer);
    if (price) prices.set(sku, price);
    else unpriced.push(sku);
  }
  if (unpriced.length > 0)
    throw new PricingError('price_not_found', `No ${input.currency} price for: ${unpriced.join(', ')}`, {
      skus: unpriced,
      currency: input.currency,
    });

  const lines: PricedLine[] = input.lines.map((line) => {
    const unitPrice = prices.get(line.sku)!.unitPrice;
    const gross = unitPrice * line.quantity;
    if (!Number.isSafeInteger(gross))
      throw new PricingError('amount_out_of_range', `Line of ${line.sku} is too large to price exactly`);
    return {
      sku: line.sku,
      quantity: line.quantity,
      categories: pricing.products.get(line.sku)!.categories,
      unitPrice,
      gross,
      net: gross,
    };
  });

  const codes = input.couponCodes?.length ? [...new Set(input.couponCodes.map(normalizeCode))] : [];
  // The snapshot's set unless the caller knows more: no set is built on the hot path for a plain quote.
  const exhausted = input.exhaustedPromotionIds?.length
    ? new Set([...pricing.exhausted, ...input.exhaustedPromotionIds])
    : pricing.exhausted;
  // Refused before any promotion is tried: a delivery that cannot be priced fails the quote either way.
  const delivery = input.shipping
    ? resolveShipping(pricing, buyer, input.shipping, weighGoods(pricing.products, input.lines))
    : null;
  const outcome = applyPromotions(pricing, lines, buyer, codes, exhausted, delivery && toWaive(delivery));

  const totals = { subtotal: 0, discount: 0, net: 0, tax: 0, total: 0 };
  const quoteLines = lines.map((line, index): QuoteLine => {
    const product = pricing.products.get(line.sku)!;
    const taxCategory = product.taxCategory || DEFAULT_TAX_CATEGORY;
    const { tax, total } = lineTax(line.net, taxCategory, taxRateFor(pricing, taxCategory, buyer.storeId));
    const discountAmount = line.gross - line.net;
    totals.subtotal += line.gross;
    totals.discount += discountAmount;
    totals.net += line.net;
    totals.tax += tax.amount;
    totals.total += total;
    return {
      lineNo: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      basePrice: product.price.amount,
      unitPrice: line.unitPrice,
      priceSource: prices.get(line.sku)!.source,
      grossAmount: line.gross,
      adjustments: outcome.adjustments[index]!,
      discountAmount,
      netAmount: line.net,
      tax,
      total,
    };
  });
  if (!Number.isSafeInteger(totals.subtotal + totals.tax))
    throw new PricingError('amount_out_of_range', 'The cart is too large to price exactly');

  const shipping = delivery
    ? priceShipping(pricing, delivery, totals.net, buyer.storeId, outcome.shippingWaiver)
    : undefined;
  const quoted: Quote = {
    snapshotVersion: pricing.version,
    at: iso,
    channel: input.channel,
    currency: input.currency,
    storeId: buyer.storeId,
    lines: quoteLines,
    promotions: outcome.applied,
    coupons: outcome.coupons,
    totals,
  };
  if (!shipping) return quoted;
  return {
    ...quoted,
    shipping,
    totals: {
      subtotal: totals.subtotal,
      discount: totals.discount,
      net: totals.net,
      shipping: shipping.netAmount,
      tax: totals.tax + shipping.tax.amount,
      total: totals.total + shipping.total,
    },
  };
}

/**
 * What a cart could be delivered by to `destination` (a country, and a postcode once known): every method that
 * delivers there in its currency, each priced as the cart's quote with it would price it (its free-from on the
 * goods after promotions, and a free-shipping coupon the cart holds), cheapest first. A storefront shows these
 * before the shopper chooses.
 */
export function cartShippingOptions(
  pricing: CompiledPricing,
  input: Omit<PricingInput, 'shipping'>,
  destination: Destination,
): QuoteShipping[] {
  const buyer = { channel: input.channel, currency: input.currency, storeId: input.storeId ?? null };
  const goods = { goodsNet: quote(pricing, input).totals.net, ...weighGoods(pricing.products, input.lines) };
  return shippingOptions(pricing, buyer, destination, goods)
    .map(
      (option) =>
        quote(pricing, { ...input, shipping: { methodId: option.methodId, ...destination } }).shipping!,
    )
    .sort(cheapestFirst);
}
