import type { PickupPoint, Quote, QuoteShipping } from '@tillstream/contracts';
import {
  compileSnapshot,
  cartShippingOptions,
  isPricingError,
  offersShipping,
  pickupPointOf,
  pickupPoints,
  quote,
  shippingOptions,
  type CompiledPricing,
  type Destination,
  type OfferedPickup,
  type PricingError,
} from '@tillstream/pricing';
import { invalid, unavailable, unprocessable, type Clock } from '@tillstream/kernel';
import type { PricingSnapshotKeeper } from '../pricing/pricing-snapshot.keeper.js';
import { assertSameCollection, type Cart } from './cart.decide.js';

export interface CartPricing {
  /**
   * Quotes the cart with the pricing engine on ERP's snapshot, its chosen delivery included; null for an
   * empty cart. A delivery the engine refuses (the method withdrawn, or no longer delivering there) is its
   * 422 `shipping_method_unknown` / `shipping_not_available`.
   */
  quote(cart: Cart): Promise<Quote | null>;
  /**
   * The delivery methods that can take the cart's goods to `destination` (a country, and a postcode when the
   * shopper gave one), each priced as the cart's quote with it would price it (a free-shipping coupon of the
   * cart included; an empty cart gets the rates as they stand), cheapest first, on the snapshot the cart is
   * quoted with.
   */
  shippingOptions(cart: Cart, destination: Destination): Promise<QuoteShipping[]>;
  /**
   * Whether the snapshot offers delivery to this cart at all: an enabled method in its channel with a rate
   * in its currency. Then checkout needs a chosen delivery (422 `shipping_required`); otherwise the chain
   * does not ship online and checks out without.
   */
  offersShipping(cart: Cart): Promise<boolean>;
  /**
   * Where the shopper collects with this method (click and collect), null for a method that delivers; 422
   * `shipping_method_unknown` for one the cart's channel does not offer.
   */
  pickupPoint(cart: Cart, methodId: string): Promise<PickupPoint | null>;
  /** The collection points offered to shoppers of a channel in a currency, by name (`pickupPoints`). */
  pickupPoints(buyer: { channel: string; currency: string }): Promise<OfferedPickup[]>;
  /**
   * Reads ERP's snapshot again now, whenever it was read last: after ERP refused a promotion the snapshot
   * still applied (another order took its last use), so the shopper's next quote and checkout leave it out.
   * Never throws: with ERP unreachable the snapshot held keeps quoting.
   */
  refresh(): Promise<void>;
}

/** Engine refusals that may only mean the snapshot is behind ERP: read it again before answering them. */
const READ_AGAIN_ON: ReadonlySet<string> = new Set(['unknown_sku', 'shipping_method_unknown']);

const toDomainError = (error: PricingError) =>
  error.code === 'invalid_instant'
    ? invalid('validation_failed', error.message)
    : unprocessable(error.code, error.message, error.details);

/**
 * Compiles the keeper's snapshot once per version. The snapshot is re-read from ERP at most every
 * `refreshMs`, and at once when a cart names a SKU it lacks (a product created since), so a burst of quotes
 * costs one ERP call. With ERP unreachable the last snapshot keeps quoting, also the one kept in the
 * database from before a restart; with none at all, a quote is 503.
 */
export function createCartPricing(deps: {
  snapshots: PricingSnapshotKeeper;
  clock: Clock;
  refreshMs: number;
}): CartPricing {
  let compiled: { version: number; pricing: CompiledPricing } | null = null;
  let fetchedAt = -Infinity;
  let inflight: Promise<void> | null = null;

  /** The keeper's newest snapshot, compiled; recompiled only when its version moved. */
  const current = () => {
    const snapshot = deps.snapshots.latest();
    if (snapshot && snapshot.version !== compiled?.version)
      compiled = { version: snapshot.version, pricing: compileSnapshot(snapshot) };
    return compiled;
  };

  const refresh = () =>
    (inflight ??= (async () => {
      try {
        await deps.snapshots.fetch();
      } catch (error) {
        if (!current()) throw error;
      } finally {
        // Also after a failure: an unreachable ERP is asked again only after refreshMs, not per quote.
        fetchedAt = deps.clock.now().getTime();
        inflight = null;
      }
    })());

  const compiledNow = () => {
    const pricing = current()?.pricing;
    if (!pricing)
      throw unavailable('service_unavailable', 'No pricing from ERP yet', { retryAfterSeconds: 1 });
    return pricing;
  };

  /** The engine's input for a cart now, its chosen delivery included unless `withShipping` is false. */
  const pricingInput = (cart: Cart, withShipping = true) => ({
    channel: cart.channel,
    currency: cart.currency,
    couponCodes: cart.couponCodes,
    at: deps.clock.now().toISOString(),
    lines: cart.lines,
    ...(withShipping && cart.shipping
      ? {
          shipping: {
            methodId: cart.shipping.methodId,
            country: cart.shipping.address.country,
            postalCode: cart.shipping.address.postalCode,
          },
        }
      : {}),
  });
  const price = (cart: Cart) => {
    const quoted = quote(compiledNow(), pricingInput(cart));
    assertSameCollection(cart.shipping, quoted.shipping);
    return quoted;
  };

  /**
   * Runs `priceIt` on the current snapshot, read again first when it is older than `refreshMs`, and once
   * more when the snapshot lacks a SKU or a delivery method the cart names (created in ERP since).
   */
  const withFreshPricing = async <T>(priceIt: () => T): Promise<T> => {
    if (deps.clock.now().getTime() - fetchedAt > deps.refreshMs) await refresh();
    try {
      return priceIt();
    } catch (error) {
      if (!isPricingError(error)) throw error;
      if (!READ_AGAIN_ON.has(error.code)) throw toDomainError(error);
    }
    await refresh();
    try {
      return priceIt();
    } catch (error) {
      throw isPricingError(error) ? toDomainError(error) : error;
    }
  };

  return {
    async refresh() {
      await inflight?.catch(() => undefined);
      await deps.snapshots.fetch({ fresh: true }).catch(() => undefined);
      fetchedAt = deps.clock.now().getTime();
    },
    async quote(cart) {
      if (cart.lines.length === 0) return null;
      return withFreshPricing(() => price(cart));
    },
    async shippingOptions(cart, destination) {
      return withFreshPricing(() => {
        const pricing = compiledNow();
        // An empty cart has no goods to quote: the methods' rates as they stand.
        if (cart.lines.length === 0)
          return shippingOptions(
            pricing,
            { channel: cart.channel, currency: cart.currency, storeId: null },
            destination,
            { goodsNet: 0, weightGrams: 0 },
          );
        return cartShippingOptions(pricing, pricingInput(cart, false), destination);
      });
    },
    async offersShipping(cart) {
      return withFreshPricing(() => offersShipping(compiledNow(), cart));
    },
    async pickupPoint(cart, methodId) {
      return withFreshPricing(() => pickupPointOf(compiledNow(), cart.channel, methodId));
    },
    async pickupPoints(buyer) {
      return withFreshPricing(() => pickupPoints(compiledNow(), buyer));
    },
  };
}
