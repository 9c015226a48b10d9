import type { PricingSnapshot } from '@tillstream/contracts';
import type { Clock, Db, Logger } from '@tillstream/kernel';
import type { ErpPort } from '../erp.port.js';
import { createPricingSnapshotStore } from './pricing-snapshot.store.js';

export interface PricingSnapshotKeeper {
  /** Loads the snapshot kept in commerce's database: call before serving, so prices never start at base. */
  load(): Promise<void>;
  /** The newest snapshot known (received from ERP or loaded), or null before the first one. */
  latest(): PricingSnapshot | null;
  /**
   * Asks ERP for its snapshot (what changed since the version known; nothing while it is current) and
   * keeps it if it is newer than the one known, in memory and in the database; answers the newest known.
   * Concurrent callers share one request; with `fresh`, only one that starts after the call (a caller that
   * knows ERP changed since a running request began). Throws when ERP does not answer.
   */
  fetch(options?: { fresh?: boolean }): Promise<PricingSnapshot | null>;
}

/**
 * The storefront's copy of ERP's pricing snapshot, shared by the catalog and the carts. Versions only grow in
 * ERP, so an older one (from a slower ERP instance's answer) never replaces a newer one. The copy is kept in
 * the database so that a restart while ERP is unreachable still prices as ERP does.
 */
export function createPricingSnapshotKeeper(deps: {
  db: Db;
  erp: ErpPort;
  clock: Clock;
  logger: Logger;
}): PricingSnapshotKeeper {
  const store = createPricingSnapshotStore(deps.db);
  let latest: PricingSnapshot | null = null;
  let inflight: Promise<PricingSnapshot | null> | null = null;

  const adopt = (snapshot: PricingSnapshot | null): boolean => {
    if (!snapshot || (latest && snapshot.version <= latest.version)) return false;
    latest = snapshot;
    return true;
  };

  async function fetchOnce(): Promise<PricingSnapshot | null> {
    // While the version held is current ERP sends nothing; after a change, only what changed.
    const snapshot = await deps.erp.pricingSnapshot(latest);
    if (snapshot === 'unchanged') return latest;
    if (adopt(snapshot)) {
      // Prices stay right in memory if the write fails; only a restart during an outage would miss it.
      await store
        .keep(snapshot!, deps.clock.now().toISOString())
        .catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'could not keep the pricing snapshot in the database'),
        );
    }
    return latest;
  }

  const shared = () =>
    (inflight ??= fetchOnce().finally(() => {
      inflight = null;
    }));

  return {
    async load() {
      adopt(await store.load());
    },
    latest: () => latest,
    async fetch(options) {
      if (options?.fresh && inflight) await inflight.catch(() => undefined);
      return shared();
    },
  };
}
