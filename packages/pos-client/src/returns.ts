import { cashDueOf, refundFor } from './cart.js';
import { TerminalError } from './errors.js';
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
 * it has not received yet, so two returns in a row cannot both take the same units), else from this till.
 */
export async function soldLines(
  saleId: string,
  storage: TerminalStorage,
  http: HttpPort,
): Promise<SoldLine[]> {
  try {
    const response = await http.request('GET', `/pos/v1/sales/${encodeURIComponent(saleId)}/returnable`);
    if (response.status === 200) {
      const body = response.body as { lines: SoldLine[]; returnIds?: string[] };
      // The server names the returns it counted; a return may reach it while this question is on its way, so
      // its sync status here can lag behind. A server without the list: the pending ones are not counted yet.
      const onServer = body.returnIds ? new Set(body.returnIds) : null;
      const notOnServer = await returnedHere(saleId, storage, (id, status) =>
        onServer ? onServer.has(id) : status !== 'pending',
      );
      return body.lines.map((line) => ({
        lineNo: line.lineNo,
        sku: line.sku,
        sold: line.sold,
        returned: line.returned + (notOnServer.get(line.lineNo) ?? 0),
        lineTotal: line.lineTotal,
        ...(line.tax ? { tax: line.tax } : {}),
      }));
    }
  } catch {
    // offline: this till's own queue is what it knows
  }
  const entry = await storage.find(saleId);
  if (!entry || entry.transaction.type !== 'sale')
    throw new TerminalError('sale_not_found', `Receipt ${saleId} is unknown here`);
  const sale = entry.transaction as SaleTransaction;
  const returned = await returnedHere(saleId, storage);
  return sale.lines.map((line, index) => ({
    lineNo: index + 1,
    sku: line.sku,
    sold: line.quantity,
    returned: returned.get(index + 1) ?? 0,
    lineTotal: line.quantity * line.unitPrice - (line.discount ?? 0),
    ...(line.tax ? { tax: line.tax.amount } : {}),
  }));
}

/** Builds a return as the server will check it: never more than sold minus returned, refunding the price paid. */
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
  let lines: ReturnTransaction['lines'];
  if (input.originalSaleId) {
    const sold = await soldLines(input.originalSaleId, deps.storage, deps.http);
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
      total += refundFor({ quantity: match.sold, lineTotal: match.lineTotal }, before(match), line.quantity);
      if (match.tax)
        total += refundFor({ quantity: match.sold, lineTotal: match.tax }, before(match), line.quantity);
      taken.set(match.lineNo, (taken.get(match.lineNo) ?? 0) + line.quantity);
      return {
        sku: line.sku,
        quantity: line.quantity,
        disposition: line.disposition ?? 'restock',
        originalLineNo: match.lineNo,
      };
    });
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
  const amount = method === 'cash' ? cashDueOf(total, deps.cashRoundingIncrement ?? null) : total;
  return {
    type: 'return',
    ...deps.header,
    ...(input.originalSaleId ? { originalSaleId: input.originalSaleId } : {}),
    lines,
    refunds: [{ method, amount, ...(input.refundReference ? { reference: input.refundReference } : {}) }],
    ...(amount !== total ? { cashRounding: amount - total } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
}
