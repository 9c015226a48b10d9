import { v7 as uuidv7 } from 'uuid';
import { openCatalogCache } from './catalog.cache.js';
import { receiptNumber, settleTenders, type CartLine, type PricedCart, type TenderInput } from './cart.js';
import { TerminalError } from './errors.js';
import { buildReturn, type ReturnInput } from './returns.js';
import {
  authorisePayments,
  cardBalance,
  DEFAULT_OFFLINE_CARD_LIMITS,
  postIssue,
  releaseHolds,
  type GiftCardIssue,
} from './tenders.js';
import { OPEN_HOLDS_KEY, openHolds, strandedHoldsReleaser } from './open-holds.js';
import { redeemCoupons } from './coupons.js';
import type { QueueStatus, QueuedTransaction } from './storage.port.js';
import type { SyncOutcome } from './sync.engine.js';
import { createSyncLoop } from './sync.loop.js';
import { terminalLock } from './terminal.lock.js';
import type { OpenShift, Receipt, TerminalOptions, TerminalStatus } from './terminal.types.js';
import type { ReturnTransaction, SaleTransaction, Tender, Transaction } from './wire.js';

const changeOf = (payments: readonly Tender[]) =>
  payments.reduce((sum, payment) => sum + (payment.tendered ?? payment.amount) - payment.amount, 0);

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

  let shift = (await storage.get<OpenShift | null>('shift')) ?? null;
  let lastShiftSeq = (await storage.get<number>('lastShiftSeq')) ?? 0;
  let online: boolean | null = null;
  const cache = await openCatalogCache({ storage, http, terminalId, reached: (value) => (online = value) });
  let lastSyncAt: string | null = null;
  let lastError: string | null = null;
  let lastRefresh = 0;

  const status = async (): Promise<TerminalStatus> => ({
    online,
    ...(await storage.counts()),
    lastSyncAt,
    lastError,
    snapshotVersion: cache.snapshotVersion(),
    catalogSize: cache.products().length,
    shift,
  });
  const notify = () => {
    if (listeners.size === 0) return;
    void status().then((current) => listeners.forEach((listener) => listener(current)));
  };

  async function refresh(): Promise<{ catalogChanged: boolean; snapshotVersion: number | null }> {
    lastRefresh = now().getTime();
    const { serverShiftSeq, ...refreshed } = await cache.refresh();
    if (serverShiftSeq > lastShiftSeq)
      await numbering(async () => {
        if (serverShiftSeq <= lastShiftSeq) return;
        lastShiftSeq = serverShiftSeq;
        await storage.commit({ state: { lastShiftSeq } });
      });
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
    onPass: ({ outcome, error, online: reached }) => {
      if (reached !== null) online = reached;
      if (outcome) {
        lastError = null;
        if (outcome.sent > 0) lastSyncAt = now().toISOString();
      } else lastError = error instanceof Error ? error.message : String(error);
      notify();
    },
    onIdle: async () => {
      await releaseStrandedHolds().catch(() => undefined);
      if (now().getTime() - lastRefresh >= (options.refreshIntervalMs ?? 15_000))
        await refresh().catch(() => undefined);
    },
  });

  const releaseStrandedHolds = strandedHoldsReleaser({ http, record, till });

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

  /**
   * Runs `fn` under the till's lock with the shift and counters as stored: another tab or process of this
   * terminal may have numbered a receipt or opened a shift since this one last looked.
   */
  function numbering<T>(fn: () => Promise<T>): Promise<T> {
    return till(async () => {
      shift = (await storage.get<OpenShift | null>('shift')) ?? null;
      lastShiftSeq = Math.max(lastShiftSeq, (await storage.get<number>('lastShiftSeq')) ?? 0);
      return fn();
    });
  }

  const requireShift = (): OpenShift => {
    if (!shift) throw new TerminalError('no_open_shift', 'Open a shift first');
    return shift;
  };
  const nextReceipt = (open: OpenShift) => ({
    receiptNo: receiptNumber(terminalId, open.seq, open.receipts + 1),
    shift: { ...open, receipts: open.receipts + 1 },
  });

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
    /** Prices a cart as the sale will be priced: offline, on the cached snapshot. */
    price: (lines: readonly CartLine[], couponCodes?: string[]): PricedCart =>
      cache.price({
        lines,
        currency,
        storeId,
        at: now().toISOString(),
        ...(couponCodes ? { couponCodes } : {}),
      }),
    shift: () => shift,
    /** Opens a shift with its cash float; works offline (the opening is queued like a sale). */
    openShift: (openingFloat: number) =>
      numbering(async () => {
        if (shift) throw new TerminalError('shift_already_open', `Shift ${shift.seq} is open`);
        const opened: OpenShift = {
          id: newId(),
          seq: lastShiftSeq + 1,
          openedAt: now().toISOString(),
          openingFloat,
          receipts: 0,
        };
        await queue(
          [
            {
              type: 'shift_open',
              id: opened.id,
              terminalId,
              storeId,
              seq: opened.seq,
              currency,
              openedAt: opened.openedAt,
              openingFloat,
            },
          ],
          { shift: opened, lastShiftSeq: opened.seq },
        );
        lastShiftSeq = opened.seq;
        shift = opened;
        return opened;
      }),
    /**
     * Rings up a sale: prices it (with added tax where the store's rate excludes it), splits the tenders (cash
     * may give change), holds gift card and store credit value on the server when it answers, checks card
     * payments against the offline floor limits when it does not, and writes the sale to the durable queue with
     * its receipt number before it resolves. A sale that resolved is never lost and is sent exactly once.
     */
    sell: (input: { lines: readonly CartLine[]; tenders: readonly TenderInput[]; couponCodes?: string[] }) =>
      numbering(async (): Promise<Receipt> => {
        const open = requireShift();
        const at = now().toISOString();
        const priced = cache.price({
          lines: input.lines,
          currency,
          storeId,
          at,
          ...(input.couponCodes ? { couponCodes: input.couponCodes } : {}),
        });
        const settled = settleTenders(priced.total, input.tenders);
        const { change } = settled;
        const { payments, held, reached } = await authorisePayments(settled.payments, {
          http,
          storage,
          record,
          online,
          limits: options.offlineCardLimits ?? DEFAULT_OFFLINE_CARD_LIMITS,
          sale: { storeId, terminalId, currency, newId },
        });
        if (reached) online = true;
        const saleId = newId();
        if (input.couponCodes?.length && online !== false) {
          const { couponCodes } = input;
          const cart = { saleId, storeId, terminalId, currency, lines: priced.lines, couponCodes };
          // A coupon used up refuses the sale: the holds it took go back first.
          const redeemed = await redeemCoupons(http, cart).catch(async (error: unknown) => {
            await releaseHolds(http, record, held).catch(() => undefined);
            throw error;
          });
          if (redeemed) online = true;
        }
        const { receiptNo, shift: next } = nextReceipt(open);
        const sale: SaleTransaction = {
          type: 'sale',
          id: saleId,
          storeId,
          terminalId,
          occurredAt: at,
          currency,
          lines: priced.lines.map((line) => ({
            sku: line.sku,
            quantity: line.quantity,
            unitPrice: line.unitPrice,
            ...(line.discount > 0 ? { discount: line.discount } : {}),
            ...(line.promotions.length > 0 ? { promotions: line.promotions } : {}),
            ...(line.tax ? { tax: line.tax } : {}),
          })),
          payments,
          ...(priced.snapshotVersion !== null || input.couponCodes?.length
            ? {
                pricing: {
                  ...(priced.snapshotVersion !== null ? { snapshotVersion: priced.snapshotVersion } : {}),
                  ...(input.couponCodes?.length ? { couponCodes: input.couponCodes } : {}),
                },
              }
            : {}),
          shiftId: open.id,
          receiptNo,
        };
        try {
          // The sale names its holds now: stored with it, they leave the record of holds to give back.
          await queue(
            [sale],
            held.length > 0 ? { shift: next, [OPEN_HOLDS_KEY]: await record.without(held) } : { shift: next },
          );
        } catch (error) {
          await releaseHolds(http, record, held).catch(() => undefined);
          throw error;
        }
        shift = next;
        return { sale, priced, change };
      }),
    /**
     * Sells (or tops up) a gift card, paid with ordinary tenders: online only (`stored_value_offline`
     * otherwise, carrying `issue`; pass it back as `retry` to send the same issue again). Numbered on the
     * shift's receipts like a sale.
     */
    sellGiftCard: (input: {
      number: string;
      amount: number;
      tenders: readonly TenderInput[];
      retry?: GiftCardIssue;
    }) =>
      numbering(async (): Promise<{ issue: GiftCardIssue; change: number }> => {
        const open = requireShift();
        if (input.retry) {
          // Numbered by its first attempt, which stored the counter already.
          await postIssue(http, input.retry);
          online = true;
          return { issue: input.retry, change: changeOf(input.retry.payments) };
        }
        const { payments, change } = settleTenders(input.amount, input.tenders);
        const { receiptNo, shift: next } = nextReceipt(open);
        const issue: GiftCardIssue = {
          id: newId(),
          number: input.number,
          kind: 'gift_card',
          amount: input.amount,
          currency,
          storeId,
          terminalId,
          occurredAt: now().toISOString(),
          payments,
          shiftId: open.id,
          receiptNo,
        };
        // Stored before the issue is sent: if the server records it and its answer is lost, the next sale must
        // not take its number. A number may be skipped (the card was refused), never used twice.
        await storage.commit({ state: { shift: next } });
        shift = next;
        await postIssue(http, issue);
        online = true;
        return { issue, change };
      }),
    /** The balance of a gift card or store credit (online). */
    balance: (number: string) => cardBalance(http, number),
    /** Takes goods back, against a receipt (checked with the server when online) or by the no-receipt policy. */
    returnItems: (input: ReturnInput) =>
      numbering(async (): Promise<{ saleReturn: ReturnTransaction; refunds: Tender[] }> => {
        const open = requireShift();
        const { receiptNo, shift: next } = nextReceipt(open);
        const saleReturn = await buildReturn(input, {
          storage,
          http,
          bySku: cache.bySku(),
          header: {
            id: newId(),
            storeId,
            terminalId,
            occurredAt: now().toISOString(),
            currency,
            shiftId: open.id,
            receiptNo,
          },
        });
        await queue([saleReturn], { shift: next });
        shift = next;
        return { saleReturn, refunds: saleReturn.refunds };
      }),
    /** Closes the shift with the counted cash; the server's Z-report has the over/short once it is synced. */
    closeShift: (countedCash: number) =>
      numbering(async () => {
        const open = requireShift();
        const close = {
          type: 'shift_close' as const,
          id: newId(),
          shiftId: open.id,
          terminalId,
          storeId,
          seq: open.seq,
          currency,
          closedAt: now().toISOString(),
          countedCash,
        };
        await queue([close], { shift: null });
        shift = null;
        return close;
      }),
    /** Recent transactions of the queue, newest first (receipts to reprint, what is waiting, what was refused). */
    recent: (limit = 20, status?: QueueStatus) => storage.recent(limit, status),
    /** Uploads what is pending now, batch by batch; null when the server could not be reached. */
    sync: (): Promise<SyncOutcome | null> => loop.once(),
    /**
     * Starts uploading in the background (and refreshing catalog and prices while idle); first gives back any
     * gift card hold a crash left behind.
     */
    start: () => {
      loop.start();
      void releaseStrandedHolds().catch(() => undefined);
    },
    /** Gives back the gift card holds a crash left behind now; answers how many the server settled. */
    releaseStrandedHolds,
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
