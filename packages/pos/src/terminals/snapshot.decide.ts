import type { PricingSnapshot } from '@tillstream/contracts';

/**
 * What ERP answered to a snapshot read: a snapshot, `'unchanged'` (304: the version POS asked with is current)
 * or null (ERP had none to serve).
 */
export type SnapshotRead = PricingSnapshot | 'unchanged' | null;

/**
 * The snapshot POS keeps after a read from ERP. Versions only grow in ERP, but behind a load balancer a lagging
 * ERP instance can answer an older one than POS holds (its ETag differs, so it sends the body) or none at all:
 * POS then keeps the newer one it holds, as commerce's snapshot keeper does, so tills never price with older
 * prices than they were already given.
 */
export function keptSnapshot(held: PricingSnapshot | null, read: SnapshotRead): PricingSnapshot | null {
  if (read === 'unchanged' || read === null) return held;
  if (held !== null && read.version <= held.version) return held;
  return read;
}
