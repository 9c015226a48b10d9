import { invalid, unprocessable, type Tx } from '@tillstream/kernel';
import type { Product } from '../catalog/catalog.decide.js';
import type { CatalogStore } from '../catalog/catalog.store.js';

/**
 * Only standard products have stock of their own. Lines naming an unknown SKU are 422 `unknown_sku`, lines
 * naming a kit 422 `kit_has_no_stock` (count, adjust or move its components), a SKU twice 400 `duplicate_line`.
 * Holds the catalog structure lock (shared) to the end of the transaction, so no SKU checked here becomes a
 * kit before the stock lands; call it before locking any balance, as a kit PUT waits for it. Answers the
 * products.
 */
export async function assertStocked(
  tx: Tx,
  catalog: CatalogStore,
  skus: readonly string[],
): Promise<readonly Product[]> {
  if (new Set(skus).size !== skus.length) throw invalid('duplicate_line', 'A SKU appears on two lines');
  await catalog.lockStructure(tx, 'shared');
  const products = await catalog.findProducts(tx, skus);
  const unknown = skus.filter((sku) => !products.some((product) => product.sku === sku));
  if (unknown.length > 0)
    throw unprocessable('unknown_sku', `No product ${unknown.join(', ')}`, { skus: unknown });
  const kits = products.filter((product) => product.kind === 'kit').map((product) => product.sku);
  if (kits.length > 0) throw unprocessable('kit_has_no_stock', `${kits.join(', ')} are kits`, { skus: kits });
  return products;
}
