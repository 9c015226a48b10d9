import type { Quote } from '@tillstream/contracts';
import {
  compileSnapshot,
  isPricingError,
  quote,
  type CompiledPricing,
  type PricingError,
} from '@tillstream/pricing';
import { invalid, unavailable, unprocessable, type Clock } from '@tillstream/kernel';
import type { ErpPort } from '../erp.port.js';
import type { Cart } from './cart.decide.js';

export interface CartPricing {
  /** Quotes the cart with the pricing engine on ERP's snapshot; null for an empty cart. */
  quote(cart: Cart): Promise<Quote | null>;
}

const toDomainError = (error: PricingError) =>
  error.code === 'invalid_instant'
    ? invalid('validation_failed', error.message)
    : unprocessable(error.code, error.message, error.details);

/**
 * Keeps ERP's snapshot compiled in memory and recompiles only when its version changes. The snapshot is
 * re-read at most every `refreshMs`, and at once when a cart names a SKU it lacks (a product created since),
 * so a burst of quotes costs one ERP call. With ERP unreachable the last snapshot keeps quoting.
 */
export function createCartPricing(deps: { erp: ErpPort; clock: Clock; refreshMs: number }): CartPricing {
  let compiled: { version: number; pricing: CompiledPricing } | null = null;
  let fetchedAt = -Infinity;
  let inflight: Promise<void> | null = null;

  const refresh = () =>
    (inflight ??= (async () => {
      try {
        const snapshot = await deps.erp.pricingSnapshot();
        if (snapshot && snapshot.version !== compiled?.version) {
          compiled = { version: snapshot.version, pricing: compileSnapshot(snapshot) };
        }
      } catch (error) {
        if (!compiled) throw error;
      } finally {
        // Also after a failure: an unreachable ERP is asked again only after refreshMs, not per quote.
        fetchedAt = deps.clock.now().getTime();
        inflight = null;
      }
    })());

  const price = (cart: Cart) => {
    if (!compiled)
      throw unavailable('service_unavailable', 'No pricing from ERP yet', { retryAfterSeconds: 1 });
    return quote(compiled.pricing, {
      channel: cart.channel,
      currency: cart.currency,
      couponCodes: cart.couponCodes,
      at: deps.clock.now().toISOString(),
      lines: cart.lines,
    });
  };

  return {
    async quote(cart) {
      if (cart.lines.length === 0) return null;
      if (deps.clock.now().getTime() - fetchedAt > deps.refreshMs) await refresh();
      try {
        return price(cart);
      } catch (error) {
        if (!isPricingError(error)) throw error;
        if (error.code !== 'unknown_sku') throw toDomainError(error);
      }
      await refresh();
      try {
        return price(cart);
      } catch (error) {
        throw isPricingError(error) ? toDomainError(error) : error;
      }
    },
  };
}
