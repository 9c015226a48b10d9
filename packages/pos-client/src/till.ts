import { receiptNumber, settleTenders, type TenderInput } from './cart.js';
import { TerminalError } from './errors.js';
import { checkAmount } from './limits.js';
import type { HttpPort } from './http.port.js';
import { buildReturn, type ReturnInput } from './returns.js';
import { ringUpSale, type SellDeps, type SellInput } from './sell.js';
import type { TerminalStorage } from './storage.port.js';
import { postIssue, type GiftCardIssue } from './tenders.js';
import type { OpenShift, Receipt } from './terminal.types.js';
import type { CatalogProduct, ReturnTransaction, Tender } from './wire.js';

const changeOf = (payments: readonly Tender[]) =>
  payments.reduce((sum, payment) => sum + (payment.tendered ?? payment.amount) - payment.amount, 0);

/** What the till's numbered work needs from the terminal; `sell` is what ringing up a sale needs. */
export interface TillDeps {
  storage: TerminalStorage;
  http: HttpPort;
  terminal: { terminalId: string; storeId: string; currency: string };
  now: () => Date;
  newId: () => string;
  /** The till's lock, held across every tab or process of the terminal. */
  lock: <T>(fn: () => Promise<T>) => Promise<T>;
  queue: SellDeps['queue'];
  sell: SellDeps;
  bySku: () => ReadonlyMap<string, CatalogProduct>;
  /** The store's cash rounding increment as last downloaded: a cash refund or gift card sale is rounded by it. */
  cashRoundingIncrement: () => number | null;
}

/**
 * The till: its open shift and the receipt numbers handed out on it, and every transaction numbered there
 * (opening and closing the shift, sales, gift card sales, returns). Numbers advance one at a time under the
 * till's lock, from the counters as stored, so two tabs of one terminal never hand out the same one.
 */
export async function openTill(deps: TillDeps) {
  const { storage, http, now, newId } = deps;
  const { terminalId, storeId, currency } = deps.terminal;
  let shift = (await storage.get<OpenShift | null>('shift')) ?? null;
  let lastShiftSeq = (await storage.get<number>('lastShiftSeq')) ?? 0;

  /**
   * Runs `fn` under the till's lock with the shift and counters as stored: another tab or process of this
   * terminal may have numbered a receipt or opened a shift since this one last looked.
   */
  function numbering<T>(fn: () => Promise<T>): Promise<T> {
    return deps.lock(async () => {
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
    shift: () => shift,
    /** The server numbered shifts of this terminal up to `serverShiftSeq` (another device, a reinstall). */
    async learnShiftSeq(serverShiftSeq: number): Promise<void> {
      if (serverShiftSeq <= lastShiftSeq) return;
      await numbering(async () => {
        if (serverShiftSeq <= lastShiftSeq) return;
        lastShiftSeq = serverShiftSeq;
        await storage.commit({ state: { lastShiftSeq } });
      });
    },
    /** Opens a shift with its cash float; works offline (the opening is queued like a sale). */
    openShift: (openingFloat: number) =>
      numbering(async () => {
        if (shift) throw new TerminalError('shift_already_open', `Shift ${shift.seq} is open`);
        checkAmount('The opening float', openingFloat);
        const opened: OpenShift = {
          id: newId(),
          seq: lastShiftSeq + 1,
          openedAt: now().toISOString(),
          openingFloat,
          receipts: 0,
        };
        await deps.queue(
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
     * Rings up a sale (see `ringUpSale`): prices it, takes gift card holds and coupon uses on the server when it
     * answers, and writes the sale to the durable queue with its receipt number before it resolves. A sale that
     * resolved is never lost and is sent exactly once.
     */
    sell: (input: SellInput) =>
      numbering(async (): Promise<Receipt> => {
        const open = requireShift();
        const { receiptNo, shift: next } = nextReceipt(open);
        const receipt = await ringUpSale(deps.sell, input, { open, receiptNo, state: { shift: next } });
        shift = next;
        return receipt;
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
      /** The expiry printed on the card (an instant); absent: it does not expire. */
      expiresAt?: string;
      retry?: GiftCardIssue;
    }) =>
      numbering(async (): Promise<{ issue: GiftCardIssue; change: number }> => {
        const open = requireShift();
        if (input.retry) {
          // Numbered by its first attempt, which stored the counter already.
          await postIssue(http, input.retry);
          deps.sell.reached();
          return { issue: input.retry, change: changeOf(input.retry.payments) };
        }
        // Cash for a card is rounded as for a sale; the card still takes `amount`.
        const { payments, change, cashRounding } = settleTenders(
          input.amount,
          input.tenders,
          deps.cashRoundingIncrement(),
          currency,
        );
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
          ...(cashRounding !== 0 ? { cashRounding } : {}),
          shiftId: open.id,
          receiptNo,
          ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        };
        // Stored before the issue is sent: if the server records it and its answer is lost, the next sale must
        // not take its number. A number may be skipped (the card was refused), never used twice.
        await storage.commit({ state: { shift: next } });
        shift = next;
        await postIssue(http, issue);
        deps.sell.reached();
        return { issue, change };
      }),
    /** Takes goods back, against a receipt (checked with the server when online) or by the no-receipt policy. */
    returnItems: (input: ReturnInput) =>
      numbering(async (): Promise<{ saleReturn: ReturnTransaction; refunds: Tender[] }> => {
        const open = requireShift();
        const { receiptNo, shift: next } = nextReceipt(open);
        const saleReturn = await buildReturn(input, {
          storage,
          http,
          bySku: deps.bySku(),
          cashRoundingIncrement: deps.cashRoundingIncrement(),
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
        await deps.queue([saleReturn], { shift: next });
        shift = next;
        return { saleReturn, refunds: saleReturn.refunds };
      }),
    /** Closes the shift with the counted cash; the server's Z-report has the over/short once it is synced. */
    closeShift: (countedCash: number) =>
      numbering(async () => {
        const open = requireShift();
        checkAmount('The counted cash', countedCash);
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
        await deps.queue([close], { shift: null });
        shift = null;
        return close;
      }),
  };
}
