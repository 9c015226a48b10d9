import {
  NetworkError,
  receiptLeft,
  type HttpPort,
  type SaleTransaction,
  type SoldLine,
  type TerminalStorage,
} from '@tillstream/pos-client/browser';
import { ApiError, type ServerApi } from './api.js';
import { parseReceiptQuery } from './returns.logic.js';

/** A receipt ready to return from: its lines with what is left of them, as the SDK will check the return. */
export interface ReceiptToReturn {
  saleId: string;
  receiptNo: string | null;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<SoldLine & { unitPrice: number; discount: number }>;
  /** What the sale's gift card or store credit never paid: a return refunds its value less its share of it. */
  uncollected: number;
}

/** The receipt could not be found, or not now: a sentence for the cashier. */
export class LookupError extends Error {
  override name = 'LookupError';
}

interface LookupDeps {
  terminalId: string;
  storage: TerminalStorage;
  http: HttpPort;
  api: ServerApi;
}

/** The receipt's sale as this till queued it, else as the server has it. */
async function saleHeader(saleId: string, deps: LookupDeps) {
  const local = await deps.storage.find(saleId);
  if (local?.transaction.type === 'sale') {
    const sale = local.transaction as SaleTransaction;
    return { ...sale, lines: sale.lines.map((line, index) => ({ ...line, lineNo: index + 1 })) };
  }
  try {
    return await deps.api.sale(saleId);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404)
      throw new LookupError(`No sale ${saleId}: not on this till, and the server does not know it`);
    if (failure instanceof NetworkError)
      throw new LookupError('That sale was not rung on this till, and the server cannot be reached now');
    throw failure;
  }
}

/**
 * A receipt number to its sale id: this till's own queue first (works offline), then the server, which finds
 * it among every till of this store (a return at another till) and never in another store.
 */
async function saleIdOf(receiptNo: string, terminalId: string, deps: LookupDeps) {
  for (const { transaction } of await deps.storage.recent(10_000))
    if (transaction.type === 'sale' && transaction.receiptNo === receiptNo) return transaction.id;
  try {
    const sale = await deps.api.saleByReceipt(receiptNo);
    if (sale) return sale.id;
  } catch (failure) {
    if (failure instanceof NetworkError)
      throw new LookupError(
        terminalId === deps.terminalId
          ? `Receipt ${receiptNo} is not on this till, and the server cannot be reached now`
          : `Receipt ${receiptNo} is from till ${terminalId}, and the server cannot be reached now`,
      );
    throw failure;
  }
  throw new LookupError(`No receipt ${receiptNo} in this store`);
}

/** Finds a receipt by sale id or receipt number, with what can still be returned of each line. */
export async function findReceipt(query: string, deps: LookupDeps): Promise<ReceiptToReturn> {
  const parsed = parseReceiptQuery(query);
  if (!parsed) throw new LookupError('Scan the receipt, or type its number (e.g. T1-3-12) or its sale id');
  const saleId =
    parsed.kind === 'saleId' ? parsed.saleId : await saleIdOf(parsed.receiptNo, parsed.terminalId, deps);
  const sale = await saleHeader(saleId, deps);
  const left = await receiptLeft(saleId, deps.storage, deps.http);
  return {
    saleId,
    receiptNo: sale.receiptNo ?? null,
    terminalId: sale.terminalId,
    occurredAt: sale.occurredAt,
    currency: sale.currency,
    uncollected: left.uncollected,
    lines: left.lines.map((line) => {
      const sold = sale.lines.find((candidate) => candidate.lineNo === line.lineNo);
      return { ...line, unitPrice: sold?.unitPrice ?? 0, discount: sold?.discount ?? 0 };
    }),
  };
}
