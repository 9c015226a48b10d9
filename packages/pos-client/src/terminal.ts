import { v7 as uuidv7 } from 'uuid';
import { basketOf } from './basket.js';
import { openCatalogCache } from './catalog.cache.js';
import { cashDueOf, type CartLine, type PricedCart } from './cart.js';
import { cardBalance, DEFAULT_OFFLINE_CARD_LIMITS } from './tenders.js';
import { openCouponRedemptions, strandedCouponsReleaser } from './coupons.js';
import { openHolds, strandedHoldsReleaser } from './open-holds.js';
import { openTill } from './till.js';
import type { QueueStatus, QueuedTransaction } from './storage.port.js';
import type { SyncOutcome } from './sync.engine.js';
import { createSyncLoop } from './sync.loop.js';
import { terminalLock } from './terminal.lock.js';
import type { TerminalOptions, TerminalStatus } from './terminal.types.js';
import type { Transaction } from './wire.js';

/**
 * Opens an offline-first terminal on its storage: what it had queued, its open shift, catalog and pricing
 * snapshot come back as they were. Nothing is sent until `start()` or `sync()`.
 */
export async function openTerminal(options: TerminalOptions) {
  const { storage, http, terminalId, storeId, currency } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => uuidv7());
  const uploads = terminalLock(`tillstream-sync-${terminalId}`, options.withLock);
  // Receipt numbers and shifts advance one at a time over every tab of the till; a lock apart from the
  // uploads', so a sale never waits for a slow upload.
  const till = terminalLock(`tillstream-till-${terminalId}`, options.withLock);
  const listeners = new Set<(status: TerminalStatus) => void>();
  const record = openHolds(storage);
  const coupons = openCouponRedemptions(storage);
  const basket = basketOf(storage);

  let online: boolean | null = null;
  const cache = await openCatalogCache({
    storage,
    http,
    terminalId,
    storeId,
    reached: (value) => (online = value),
  });
  let lastSyncAt: string | null = null;
  let lastError: string | null = null;
  let keyRefused = false;
  let lastRefresh = 0;

  const status = async (): Promise<TerminalStatus> => ({
    online,
    ...(await storage.counts()),
    lastSyncAt,
    lastError,
    keyRefused,
    snapshotVersion: cache.snapshotVersion(),
    catalogSize: cache.products().length,
    cashRoundingIncrement: cache.cashRoundingIncrement(),
    shift: numbered.shift(),
  });
  const notify = () => {
    if (listeners.size === 0) return;
    void status().then((current) => listeners.forEach((listener) => listener(current)));
  };

  async function refresh(): Promise<{ catalogChanged: boolean; snapshotVersion: number | null }> {
    lastRefresh = now().getTime();
    const { serverShiftSeq, ...refreshed } = await cache.refresh();
    await learnShiftSeq(serverShiftSeq);
    notify();
    return refreshed;
  }

  const syncDeps = { storage, http, terminalId, now };
  const loop = createSyncLoop(syncDeps, {
    batchSize: options.batchSize ?? 50,
    backoff: options.backoff ?? { baseMs: 500, maxMs: 30_000 },
    idleMs: options.refreshIntervalMs ?? 15_000,
    random: options.random ?? Math.random,
    withLock: uploads,
    onPass: ({ outcome, error, online: reached, keyRefused: refused }) => {
      if (reached !== null) online = reached;
      keyRefused = refused;
      if (outcome) {
        lastError = null;
        if (outcome.sent > 0) lastSyncAt = now().toISOString();
      } else lastError = error instanceof Error ? error.message : String(error);
      notify();
    },
    onIdle: async () => {
      await releaseStranded();
      if (now().getTime() - lastRefresh >= (options.refreshIntervalMs ?? 15_000))
        await refresh().catch(() => undefined);
    },
  });

  const terminal = { terminalId, storeId, currency };
  const releaseStrandedHolds = strandedHoldsReleaser({ http, record, till });
  const releaseStrandedCoupons = strandedCouponsReleaser({ http, record: coupons, till, terminal });
  // Offline, both stay recorded: the idle loop tries again.
  const releaseStranded = () =>
    Promise.all([releaseStrandedHolds(), releaseStrandedCoupons()]).catch(() => undefined);
  // Shifts, receipt numbers and what is numbered on them: opening and closing, sales, gift cards, returns.
  const { learnShiftSeq, ...numbered } = await openTill({
    storage,
    http,
    terminal,
    now,
    newId,
    lock: till,
    queue,
    bySku: cache.bySku,
    cashRoundingIncrement: cache.cashRoundingIncrement,
    sell: {
      http,
      storage,
      holds: record,
      coupons,
      terminal,
      limits: options.offlineCardLimits ?? DEFAULT_OFFLINE_CARD_LIMITS,
      now,
      newId,
      price: cache.price,
      cashRoundingIncrement: cache.cashRoundingIncrement,
      online: () => online,
      reached: () => (online = true),
      queue,
    },
  });

  /** Queues transactions and state in one durable commit; only then is the sale confirmed. */
  async function queue(transactions: Transaction[], state: Record<string, unknown>) {
    const createdAt = now().toISOString();
    const append: QueuedTransaction[] = transactions.map((transaction) => ({
      id: transaction.id,
      transaction,
      status: 'pending',
      attempts: 0,
      createdAt,
    }));
    await storage.commit({ append, state });
    loop.wake();
    notify();
  }

  return {
    terminalId,
    storeId,
    currency,
    refresh,
    status,
    /** Called with the new status after every change (queue, sync, refresh). */
    subscribe(listener: (current: TerminalStatus) => void): () => void {
      listeners.add(listener);
      notify();
      return () => listeners.delete(listener);
    },
    products: cache.products,
    search: cache.search,
    /** The product a scan or typed code (barcode or SKU) names exactly, or null. */
    lookup: cache.lookup,
    /** Prices a cart as the sale will be priced: offline, on the cached snapshot. */
    price: (lines: readonly CartLine[], couponCodes?: string[]): PricedCart =>
      cache.price({
        lines,
        currency,
        storeId,
        at: now().toISOString(),
        ...(couponCodes ? { couponCodes } : {}),
      }),
    /** The store's cash rounding increment, as last downloaded (null: it does not round). */
    cashRoundingIncrement: cache.cashRoundingIncrement,
    /** What the customer pays in cash for `due`: rounded as the store rounds cash, offline too. */
    cashDue: (due: number): number => cashDueOf(due, cache.cashRoundingIncrement()),
    ...numbered,
    /** The basket being rung up, as last kept (`keepBasket`): what a reload finds. A sale empties it. */
    basket: basket.load,
    /** Keeps the basket being rung up, durably, at each change. */
    keepBasket: basket.keep,
    /** The balance of a gift card or store credit (online). */
    balance: (number: string) => cardBalance(http, number),
    /** Recent transactions of the queue, newest first (receipts to reprint, what is waiting, what was refused). */
    recent: (limit = 20, status?: QueueStatus) => storage.recent(limit, status),
    /** Uploads what is pending now, batch by batch; null when the server could not be reached. */
    sync: (): Promise<SyncOutcome | null> => loop.once(),
    /**
     * Starts uploading in the background (and refreshing catalog and prices while idle); first gives back any
     * gift card hold or coupon use a crash left behind.
     */
    start: () => {
      loop.start();
      void releaseStranded();
    },
    /** Gives back the gift card holds a crash left behind now; answers how many the server settled. */
    releaseStrandedHolds,
    /**
     * Gives back now the coupon uses redeemed for sales a crash kept from being stored; answers how many the
     * server settled.
     */
    releaseStrandedCoupons,
    /** Look now: e.g. on the browser's `online` event. */
    wake: () => loop.wake(true),
    stop: () => loop.stop(),
    async close() {
      await loop.stop();
      await storage.close();
    },
  };
}

export type Terminal = Awaited<ReturnType<typeof openTerminal>>;
