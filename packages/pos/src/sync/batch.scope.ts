import type { Tx } from '@tillstream/kernel';
import type { Directory, KnownLocation } from '../directory/directory.js';
import type { ReturnStore, StoredReturn } from '../returns/return.store.js';
import type { SaleStore, StoredSale } from '../sales/sale.store.js';

/**
 * A sync batch recording its documents in one shared transaction (each in a savepoint of it), with what they
 * need read beforehand in bulk: the documents already stored under the batch's ids, and the directory's
 * stores and SKUs. Nothing here does I/O, so no document waits on the network while holding the writer.
 */
export interface BatchScope {
  tx: Tx;
  directory: Pick<Directory, 'location' | 'unknownSkus'>;
  /** Read before the transaction: a document stored since then is caught by its primary key on insert. */
  storedSales: ReadonlyMap<string, StoredSale>;
  storedReturns: ReadonlyMap<string, StoredReturn>;
}

/** What a batch's documents refer to, gathered from the ones that passed their schema. */
export interface BatchReferences {
  saleIds: string[];
  returnIds: string[];
  storeIds: string[];
  skus: string[];
}

/**
 * Reads a batch's lookups in one go: one query for stored sales, one for stored returns, one per store and
 * one for all SKUs (asking ERP, outside any transaction, only for what the projection does not know).
 */
export async function readAhead(
  deps: { sales: SaleStore; returns: ReturnStore; directory: Directory },
  references: BatchReferences,
): Promise<Omit<BatchScope, 'tx'>> {
  const distinct = <T>(values: readonly T[]) => [...new Set(values)];
  const [storedSales, storedReturns, unknownSkus] = await Promise.all([
    deps.sales.findMany(deps.sales.reader, distinct(references.saleIds)),
    deps.returns.findMany(deps.sales.reader, distinct(references.returnIds)),
    references.skus.length > 0 ? deps.directory.unknownSkus(distinct(references.skus)) : [],
  ]);
  const locations = new Map<string, KnownLocation | null>();
  for (const storeId of distinct(references.storeIds))
    locations.set(storeId, await deps.directory.location(storeId));
  const unknown = new Set(unknownSkus);
  const known = new Set(references.skus.filter((sku) => !unknown.has(sku)));
  // Every store and SKU of the batch was read above; anything else is answered as unknown, never as known.
  return {
    storedSales,
    storedReturns,
    directory: {
      location: async (locationId) => locations.get(locationId) ?? null,
      unknownSkus: async (skus) => distinct(skus).filter((sku) => !known.has(sku)),
    },
  };
}
