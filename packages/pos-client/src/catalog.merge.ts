import type { CatalogProduct } from './wire.js';

const bySkuOrder = (left: CatalogProduct, right: CatalogProduct) =>
  left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : 0;

/**
 * The catalog held with the products changed since its revision put in: a changed SKU replaces its entry where
 * it stands, and new SKUs take their place in SKU order (code units, as POS sends the whole catalog), so a till
 * that merged changes lists its products as one that downloaded the whole catalog does.
 */
export function mergeCatalogChanges(
  held: readonly CatalogProduct[],
  changed: readonly CatalogProduct[],
): CatalogProduct[] {
  const pending = new Map(changed.map((product) => [product.sku, product]));
  const merged = held.map((product) => {
    const replacement = pending.get(product.sku);
    pending.delete(product.sku);
    return replacement ?? product;
  });
  return pending.size === 0 ? merged : [...merged, ...pending.values()].sort(bySkuOrder);
}
