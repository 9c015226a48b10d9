import type { Quote } from '@tillstream/contracts';
import {
  compileSnapshot,
  isPricingError,
  quote,
  type CompiledPricing,
  type PricingError,
} from '@tillstream/pricing';
import { invalid, unavailable, unprocessable, type Clock } from '@tillstream/kernel';
import type { PricingSnapshotKeeper } from '../pricing/pricing-snapshot.keeper.js';
import type { Cart } from './cart.decide.js';

export interface CartPricing {
  /** Quotes the cart with the pricing engine on ERP's snapshot; null for an empty cart. */
  quote(cart: Cart): Promise<Quote | null>;
  /**
   * Reads ERP's snapshot again now, whenever it was read last: after ERP refused a promotion the snapshot
   * still applied (another order took its last use), so the shopper's next quote and checkout leave it out.
   * Never throws: with ERP unreachable the snapshot held keeps quoting.
   */
  refresh(): Promise<void>;
}

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

  const price = (cart: Cart) => {
    const pricing = current()?.pricing;
    if (!pricing)
      throw unavailable('service_unavailable', 'No pricing from ERP yet', { retryAfterSeconds: 1 });
    return quote(pricing, {
      channel: cart.channel,
      currency: cart.currency,
      couponCodes: cart.couponCodes,
      at: deps.clock.now().toISOString(),
      lines: cart.lines,
    });
  };

  return {
    async refresh() {
      await inflight?.catch(() => undefined);
      await deps.snapshots.fetch({ fresh: true }).catch(() => undefined);
      fetchedAt = deps.clock.now().getTime();
    },
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
