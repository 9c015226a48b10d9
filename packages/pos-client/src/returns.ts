import { shareOf } from '@tillstream/pricing';
import { cashDueOf, refundFor } from './cart.js';
import { TerminalError } from './errors.js';
import { checkReference } from './limits.js';
import { cardBalance } from './tenders.js';
import type { HttpPort } from './http.port.js';
import type { TerminalStorage } from './storage.port.js';
import type { CatalogProduct, ReturnTransaction, SaleTransaction } from './wire.js';

export interface ReturnInput {
  /** The receipt's sale id; absent for a return without a receipt (store credit by default). */
  originalSaleId?: string;
  lines: Array<{
    sku: string;
    quantity: number;
    disposition?: 'restock' | 'damaged';
    originalLineNo?: number;
  }>;
  /** How the money goes back; default `cash` with a receipt, `store_credit` without. */
  refundMethod?: string;
  refundReference?: string;
  reason?: string;
}

/** A line of a receipt: what it sold, what was returned of it so far, and what was paid for the whole line. */
export interface SoldLine {
  lineNo: number;
  sku: string;
  sold: number;
  returned: number;
  lineTotal: number;
  /** Tax added to the whole line (tax-exclusive stores): refunded in proportion with the units. */
  tax?: number;
}

/**
 * A receipt as a return sees it: its lines and what is left of them, and what the sale's gift card or store
 * credit payments never collected (the server knows it once the sale arrived; 0 here when it does not answer).
 */
export interface ReceiptLeft {
  lines: SoldLine[];
  uncollected: number;
}

/** What `units` of a receipt line are worth after `before` came back: their share of its total and its tax. */
export const soldLineValue = (line: SoldLine, before: number, units: number) =>
  refundFor({ quantity: line.sold, lineTotal: line.lineTotal }, before, units) +
  (line.tax ? refundFor({ quantity: line.sold, lineTotal: line.tax }, before, units) : 0);

/**
 * The part of `value` taken back now that is not refunded, because the sale never collected it: the server's
 * rule to the cent (the shortfall shared in proportion to the value returned, on the running total from the
 * sale's first unit back), so a return built here is one the server takes.
 */
export function uncollectedShareOf(
  receipt: { lines: readonly SoldLine[]; uncollected: number },
  value: number,
): number {
  if (receipt.uncollected <= 0) return 0;
  const sum = (units: (line: SoldLine) => number) =>
    receipt.lines.reduce((total, line) => total + soldLineValue(line, 0, units(line)), 0);
  const total = sum((line) => line.sold);
  return shareOf(
    Math.min(receipt.uncollected, total),
    total,
    sum((line) => line.returned),
    value,
  );
}

/**
 * Units of each line of a sale that this till took back: every return, or only those `counted` leaves out
 * (a function of the return's id and sync status).
 */
async function returnedHere(
  saleId: string,
  storage: TerminalStorage,
  counted: (id: string, status: string) => boolean = () => false,
) {
  const returned = new Map<number, number>();
  for (const { transaction, status } of await storage.recent(10_000)) {
    if (transaction.type !== 'return' || transaction.originalSaleId !== saleId) continue;
    if (counted(transaction.id, status)) continue;
    for (const line of transaction.lines)
      if (line.originalLineNo)
        returned.set(line.originalLineNo, (returned.get(line.originalLineNo) ?? 0) + line.quantity);
  }
  return returned;
}

/**
 * The receipt's lines and what was returned of them: from the server when it answers (plus this till's returns
 * it has not received yet, so two returns in a row cannot both take the same units), else from this till, which
 * cannot know what a card of the sale failed to pay: the server checks that when the return arrives.
 */
export async function receiptLeft(
  saleId: string,
  storage: TerminalStorage,
  http: HttpPort,
): Promise<ReceiptLeft> {
  try {
    const response = await http.request('GET', `/pos/v1/sales/${encodeURIComponent(saleId)}/returnable`);
    if (response.status === 200) {
      const body = response.body as { lines: SoldLine[]; returnIds?: string[]; uncollected?: number };
      // The server names the returns it counted; a return may reach it while this question is on its way, so
      // its sync status here can lag behind. A server without the list: the pending ones are not counted yet.
      const onServer = body.returnIds ? new Set(body.returnIds) : null;
      const notOnServer = await returnedHere(saleId, storage, (id, status) =>
        onServer ? onServer.has(id) : status !== 'pending',
      );
      return {
        lines: body.lines.map((line) => ({
          lineNo: line.lineNo,
          sku: line.sku,
          sold: line.sold,
          returned: line.returned + (notOnServer.get(line.lineNo) ?? 0),
          lineTotal: line.lineTotal,
          ...(line.tax ? { tax: line.tax } : {}),
        })),
        uncollected: body.uncollected ?? 0,
      };
    }
  } catch {
    // offline: this till's own queue is what it knows
  }
  const entry = await storage.find(saleId);
  if (!entry || entry.transaction.type !== 'sale')
    throw new TerminalError('sale_not_found', `Receipt ${saleId} is unknown here`);
  const sale = entry.transaction as SaleTransaction;
  const returned = await returnedHere(saleId, storage);
  const lines = sale.lines.map((line, index) => ({
    lineNo: index + 1,
    sku: line.sku,
    sold: line.quantity,
    returned: returned.get(index + 1) ?? 0,
    lineTotal: line.quantity * line.unitPrice - (line.discount ?? 0),
    ...(line.tax ? { tax: line.tax.amount } : {}),
  }));
  return { lines, uncollected: 0 };
}

/**
 * Online, a refund goes onto a gift card only if the server sold it, as the server checks when the return
 * arrives; offline the server alone can tell, and a card it does not know puts the return in quarantine.
 */
async function checkGiftCardKnown(http: HttpPort, number: string): Promise<void> {
  try {
    const card = await cardBalance(http, number);
    if (card.kind !== 'gift_card')
      throw new TerminalError(
        'stored_value_refused',
        `${number} is a ${card.kind.replace('_', ' ')}, not a gift card`,
        'stored_value_kind_mismatch',
      );
  } catch (failure) {
    if (failure instanceof TerminalError && failure.code === 'stored_value_offline') return;
    throw failure;
  }
}

/**
 * Builds a return as the server will check it: never more than sold minus returned, refunding the price paid,
 * less its share of what a card of the sale never paid.
 */
export async function buildReturn(
  input: ReturnInput,
  deps: {
    storage: TerminalStorage;
    http: HttpPort;
    bySku: ReadonlyMap<string, CatalogProduct>;
    /** The store's cash rounding: a cash refund pays out what the coins allow, as the server checks it. */
    cashRoundingIncrement?: number | null;
    header: Pick<
      ReturnTransaction,
      'id' | 'storeId' | 'terminalId' | 'occurredAt' | 'currency' | 'shiftId' | 'receiptNo'
    >;
  },
): Promise<ReturnTransaction> {
  let total = 0;
  let uncollected = 0;
  let lines: ReturnTransaction['lines'];
  if (input.originalSaleId) {
    const receipt = await receiptLeft(input.originalSaleId, deps.storage, deps.http);
    const sold = receipt.lines;
    const taken = new Map<number, number>();
    lines = input.lines.map((line) => {
      const before = (candidate: SoldLine) => candidate.returned + (taken.get(candidate.lineNo) ?? 0);
      const match = sold.find(
        (candidate) =>
          (line.originalLineNo ?? candidate.lineNo) === candidate.lineNo &&
          candidate.sku === line.sku &&
          candidate.sold - before(candidate) >= line.quantity,
      );
      if (!match)
        throw new TerminalError(
          'return_exceeds_sold',
          `The receipt has no ${line.quantity} × ${line.sku} left to return`,
        );
      total += soldLineValue(match, before(match), line.quantity);
      taken.set(match.lineNo, (taken.get(match.lineNo) ?? 0) + line.quantity);
      return {
        sku: line.sku,
        quantity: line.quantity,
        disposition: line.disposition ?? 'restock',
        originalLineNo: match.lineNo,
      };
    });
    uncollected = uncollectedShareOf(receipt, total);
  } else {
    lines = input.lines.map((line) => {
      const product = deps.bySku.get(line.sku);
      if (!product) throw new TerminalError('unknown_sku', `Unknown SKU ${line.sku}`);
      total += product.price.amount * line.quantity;
      return {
        sku: line.sku,
        quantity: line.quantity,
        disposition: line.disposition ?? 'restock',
        unitPrice: product.price.amount,
      };
    });
  }
  const method = input.refundMethod ?? (input.originalSaleId ? 'cash' : 'store_credit');
  // Value goes back onto a gift card only by its number (a store credit without one gets a new number).
  if (method === 'gift_card' && input.refundReference === undefined)
    throw new TerminalError('stored_value_not_found', 'A refund to a gift card needs the card number');
  if (input.refundReference !== undefined) checkReference('The refund reference', input.refundReference);
  if (method === 'gift_card') await checkGiftCardKnown(deps.http, input.refundReference!);
  // What the sale never collected is not refunded: the refund is the rest.
  const due = total - uncollected;
  const amount = method === 'cash' ? cashDueOf(due, deps.cashRoundingIncrement ?? null) : due;
  return {
    type: 'return',
    ...deps.header,
    ...(input.originalSaleId ? { originalSaleId: input.originalSaleId } : {}),
    lines,
    refunds: [{ method, amount, ...(input.refundReference ? { reference: input.refundReference } : {}) }],
    ...(amount !== due ? { cashRounding: amount - due } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
}
