import { unprocessable } from '@tillstream/kernel';
import type { Directory, KnownLocation } from './directory.js';

type Lookup = Pick<Directory, 'location'>;

/**
 * The store a document or terminal names, as POS knows it: 422 `unknown_location` when ERP does not know it,
 * `location_kind_mismatch` when it is a warehouse (stock lives there, but nothing is sold or issued there).
 */
export async function knownStore(directory: Lookup, storeId: string): Promise<KnownLocation> {
  const store = await directory.location(storeId);
  if (!store) throw unprocessable('unknown_location', `No location ${storeId}`);
  if (store.kind !== 'store')
    throw unprocessable('location_kind_mismatch', `${storeId} is a ${store.kind}, not a store`);
  return store;
}

/** Refuses a document whose lines name SKUs neither the projection nor ERP knows (422 `unknown_sku`). */
export async function assertKnownSkus(
  directory: Pick<Directory, 'unknownSkus'>,
  lines: ReadonlyArray<{ sku: string }>,
): Promise<void> {
  const unknown = await directory.unknownSkus(lines.map((line) => line.sku));
  if (unknown.length > 0)
    throw unprocessable('unknown_sku', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
}
