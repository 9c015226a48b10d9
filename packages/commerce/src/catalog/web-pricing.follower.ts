import type { Clock, Logger } from '@tillstream/kernel';
import type { PricingSnapshotKeeper } from '../pricing/pricing-snapshot.keeper.js';
import { compileWebPricing, nextPriceChange, type WebPricing } from './web-prices.js';

/** With ERP unreachable, pricing is asked for again after 1 s, 2 s, 4 s … at most 30 s apart. */
const RETRY_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Timers are capped so a price list starting in a month does not overflow setTimeout. */
const MAX_TIMER_MS = 3_600_000;

export interface WebPricingFollower {
  current(): WebPricing | null;
  /** Starts from the snapshot the keeper loaded from the database, before the catalog is first built. */
  useKept(): void;
  /** Re-reads ERP's snapshot (after `erp.price_list.changed`); `onChange` runs when its version moved. */
  refresh(): void;
  /** Arms a timer for the next instant a price list starts or ends; `onChange` runs then. */
  scheduleNextChange(): void;
  stop(): void;
}

/**
 * Keeps ERP's pricing snapshot for the catalog. A refresh asked for while one runs fetches again after it,
 * since the running one may predate the change. With ERP unreachable the last prices stay (after a restart,
 * the ones kept in the database) and it retries.
 */
export function followWebPricing(deps: {
  snapshots: PricingSnapshotKeeper;
  clock: Clock;
  logger: Logger;
  onChange: () => Promise<void> | void;
}): WebPricingFollower {
  let pricing: WebPricing | null = null;
  let fetching = false;
  let again = false;
  let failures = 0;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let changeTimer: NodeJS.Timeout | undefined;

  async function fetchOnce(): Promise<void> {
    try {
      // Fresh: a read the carts started before the change that prompted this refresh may predate it.
      const snapshot = await deps.snapshots.fetch({ fresh: true });
      failures = 0;
      if (snapshot && snapshot.version !== pricing?.version) {
        pricing = compileWebPricing(snapshot);
        await deps.onChange();
      }
    } catch (error) {
      failures += 1;
      // Once per outage at warn level: the catalog keeps serving its last prices meanwhile.
      if (failures === 1)
        deps.logger.warn({ err: error }, 'catalog could not read pricing from ERP; retrying');
      clearTimeout(retryTimer);
      if (!stopped)
        retryTimer = setTimeout(refresh, Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (failures - 1))).unref();
    }
  }

  function refresh(): void {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    void fetchOnce().finally(() => {
      fetching = false;
      if (again && !stopped) {
        again = false;
        refresh();
      }
    });
  }

  function scheduleNextChange(): void {
    clearTimeout(changeTimer);
    if (stopped) return;
    const now = deps.clock.now().getTime();
    const next = nextPriceChange(pricing, now);
    if (next === Infinity) return;
    changeTimer = setTimeout(
      () => {
        if (deps.clock.now().getTime() >= next) void deps.onChange();
        else scheduleNextChange();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, next - now) + 1),
    );
    changeTimer.unref();
  }

  return {
    current: () => pricing,
    useKept() {
      const kept = deps.snapshots.latest();
      if (kept && kept.version !== pricing?.version) pricing = compileWebPricing(kept);
    },
    refresh,
    scheduleNextChange,
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(changeTimer);
    },
  };
}
