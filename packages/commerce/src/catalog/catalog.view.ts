import { hash } from 'node:crypto';
import type { KitComponent } from './availability.decide.js';
import type { Money, ShownPrice } from './web-prices.js';

/** A product as the storefront shows it. */
export interface ProductView {
  sku: string;
  name: string;
  kind: 'standard' | 'kit';
  price: Money;
  compareAtPrice: Money | null;
  available: number;
  inStock: boolean;
  backorderable: boolean;
  /** The GTINs printed on it, as ERP sends them (not padded to one form). */
  gtins: string[];
  components?: KitComponent[];
  /** A hash of everything above: the strong ETag, so it changes with any change of the view and only then. */
  version: string;
}

/** A view ready to send: serialized once when it changes, not per request. */
export interface CachedView {
  view: ProductView;
  json: string;
  etag: string;
}

export interface ProjectedProduct {
  sku: string;
  name: string;
  kind: 'standard' | 'kit';
  price: Money;
  backorderable: boolean;
  components: KitComponent[] | null;
  /** ERP's status: only an `active` product is shown and sold online. */
  status: 'draft' | 'active' | 'archived';
  /** ERP's `barcodes`: EAN-8, UPC-A, EAN-13 or GTIN-14, as ERP was given them; empty when none. */
  gtins: string[];
}

/** A short ETag of a text: 22 characters of its SHA-1, base64url (one call, no Hash object per view). */
export const hashOf = (text: string) => hash('sha1', text, 'base64url').slice(0, 22);

export function buildView(product: ProjectedProduct, available: number, shown: ShownPrice): CachedView {
  const content = {
    sku: product.sku,
    name: product.name,
    kind: product.kind,
    price: shown.price,
    compareAtPrice: shown.compareAtPrice,
    available,
    inStock: available > 0,
    backorderable: product.backorderable,
    gtins: product.gtins,
    ...(product.kind === 'kit' ? { components: product.components ?? [] } : {}),
  };
  const version = hashOf(JSON.stringify(content));
  const view: ProductView = { ...content, version };
  return { view, json: JSON.stringify(view), etag: `"${version}"` };
}
