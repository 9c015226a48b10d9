import type { PricingSnapshot } from '@tillstream/contracts';

/**
 * The pricing snapshot a till keeps after POS sent one. Versions only grow in ERP, but with several POS instances
 * behind a load balancer the one answering may hold an older version than the till was already given by another
 * (each caches what it fetched): the till then keeps its newer copy, so it never goes back to older prices.
 * An equal version is the same snapshot, so the one held is kept and need not be compiled or stored again.
 */
export function keptSnapshot(held: PricingSnapshot | null, received: PricingSnapshot): PricingSnapshot {
  return held !== null && received.version <= held.version ? held : received;
}
