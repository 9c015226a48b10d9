import { forbidden, hasScope, invalid } from '@tillstream/kernel';
import type { FastifyRequest } from 'fastify';

/**
 * Who is reading, from the request's API key: a terminal's own key is bound to its terminal and store, a
 * manager's key may be bound to a store, and `manager` says whether it may read store-wide (`pos:manage`).
 */
export interface Reader {
  terminalId: string | null;
  storeId: string | null;
  manager: boolean;
}

export const readerOf = (request: FastifyRequest): Reader => ({
  terminalId: request.principal?.terminalId ?? null,
  storeId: request.principal?.storeId ?? null,
  manager: request.principal ? hasScope(request.principal, 'pos:manage') : false,
});

/**
 * Whether a key may see a sale or return: a key bound to a store sees every till of that store (a return may
 * be taken at another till), one bound only to a terminal sees that terminal's, any other key sees all. A
 * document the key may not see is answered as unknown, so another store's ids do not leak.
 */
export function canSee(reader: Reader, document: { storeId: string; terminalId: string }): boolean {
  if (reader.storeId !== null) return document.storeId === reader.storeId;
  if (reader.terminalId !== null) return document.terminalId === reader.terminalId;
  return true;
}

/**
 * Whether a key may see a terminal, or a shift and its Z-report: one bound to a terminal sees that terminal's
 * only, one bound to a store (a manager's) its store's, any other key all. What it may not see is answered as
 * unknown, as a sale is, so another store's tills and their cash figures do not leak.
 */
export function canSeeTill(reader: Reader, till: { storeId: string; terminalId: string }): boolean {
  if (reader.terminalId !== null) return till.terminalId === reader.terminalId;
  if (reader.storeId !== null) return till.storeId === reader.storeId;
  return true;
}

export interface SalesFilter {
  terminalId?: string | undefined;
  storeId?: string | undefined;
  shiftId?: string | undefined;
  receiptNo?: string | undefined;
}

/**
 * What a sales listing may return: a till lists its own sales, but finds a receipt number among every till of
 * its store (a return at another till); never another store's.
 */
export function salesFilter(
  reader: Reader,
  query: { terminalId?: string; shiftId?: string; receiptNo?: string },
): SalesFilter {
  const ownOnly = reader.terminalId !== null && (query.receiptNo === undefined || reader.storeId === null);
  const filter: SalesFilter = {
    terminalId: ownOnly ? reader.terminalId! : query.terminalId,
    storeId: reader.storeId ?? undefined,
    shiftId: query.shiftId,
    receiptNo: query.receiptNo,
  };
  if (filter.terminalId === undefined && filter.shiftId === undefined && filter.receiptNo === undefined)
    throw invalid('validation_failed', 'Name a terminalId, a shiftId or a receiptNo');
  return filter;
}

/**
 * Whose quarantined transactions a key may list. A terminal's key: its own only. Store-wide (`storeId`): a
 * manager's key (`pos:manage` or admin), of its own store when it is bound to one. Without `storeId`, a
 * store-bound manager key lists its store, any other key what it asks for (a terminal, or everything).
 */
export function quarantineFilter(
  reader: Reader,
  query: { terminalId?: string; storeId?: string },
): { terminalId?: string | undefined; storeId?: string | undefined } {
  if (query.storeId !== undefined) {
    if (!reader.manager || reader.terminalId !== null)
      throw forbidden('store_scope_forbidden', "A terminal's key lists only its own quarantine");
    if (reader.storeId !== null && reader.storeId !== query.storeId)
      throw forbidden('store_scope_forbidden', `This key belongs to store ${reader.storeId}`);
    return { storeId: query.storeId, terminalId: query.terminalId };
  }
  if (reader.terminalId !== null) return { terminalId: reader.terminalId };
  return { storeId: reader.storeId ?? undefined, terminalId: query.terminalId };
}
