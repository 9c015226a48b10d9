import { placeholders, type Db } from '@tillstream/kernel';
import type { ChannelConfig, KnownLocation } from './availability.decide.js';
import type { ProjectedProduct } from './catalog.view.js';

interface ProductRow {
  sku: string;
  name: string;
  price_amount: number | string;
  currency: string;
  kind: 'standard' | 'kit';
  backorderable: number | boolean;
  components: string | null;
  status: ProjectedProduct['status'];
  /** A JSON array of GTINs. */
  gtins: string;
}

interface LevelRow {
  sku: string;
  location_id: string;
  available: number | string;
}

/** On-hand − reserved of one SKU at one location, as the projection holds it. */
export interface StockLevel {
  sku: string;
  locationId: string;
  available: number;
}

const toProduct = (row: ProductRow): ProjectedProduct => ({
  sku: row.sku,
  name: row.name,
  kind: row.kind,
  price: { amount: Number(row.price_amount), currency: row.currency },
  backorderable: Boolean(row.backorderable),
  components: row.components ? (JSON.parse(row.components) as ProjectedProduct['components']) : null,
  status: row.status,
  gtins: JSON.parse(row.gtins) as string[],
});

const CHUNK = 512;

/**
 * The SKUs padded with repeats of the last to a power of two: each list length is its own prepared
 * statement, and a feed following one SKU here and seventeen there would otherwise prepare (and keep)
 * one for every length up to the chunk. A repeat in an IN list changes nothing.
 */
function padded(skus: readonly string[]): string[] {
  let size = 1;
  while (size < skus.length) size *= 2;
  return Array.from({ length: size }, (_, index) => skus[Math.min(index, skus.length - 1)]!);
}

/** Reads of the catalog projection (committed rows only), for the in-memory catalog. */
export function createCatalogStore(db: Db) {
  /** Rows of these SKUs, asked for CHUNK at a time; all rows when `skus` is null. */
  async function rowsOf<Row>(select: string, skus: readonly string[] | null): Promise<Row[]> {
    if (!skus) return db.query<Row>(select);
    const rows: Row[] = [];
    for (let from = 0; from < skus.length; from += CHUNK) {
      const chunk = padded(skus.slice(from, from + CHUNK));
      rows.push(...(await db.query<Row>(`${select} WHERE sku IN (${placeholders(chunk.length)})`, chunk)));
    }
    return rows;
  }

  return {
    async revision(): Promise<number> {
      const [row] = await db.query<{ revision: number | string }>(
        'SELECT revision FROM catalog_revision WHERE id = 1',
      );
      return Number(row?.revision ?? 0);
    },
    /**
     * Keys (SKUs, or `#…` for channels and pricing) changed after `revision`, each once, and the newest
     * revision. `complete` is false when the feed was pruned past `revision` meanwhile: some changes are no
     * longer listed, and the reader must reload everything.
     */
    async changesAfter(revision: number): Promise<{ keys: string[]; revision: number; complete: boolean }> {
      // One statement, so one snapshot: the feed's pruned end (the row with no key) and its rows agree.
      const rows = await db.query<{ key: string | null; revision: number | string }>(
        `SELECT NULL AS key, pruned_through AS revision FROM catalog_revision WHERE id = 1
         UNION ALL SELECT key, revision FROM catalog_changes WHERE revision > $1`,
        [revision],
      );
      const prunedThrough = Number(rows.find((row) => row.key === null)?.revision ?? 0);
      const changed = rows.filter(
        (row): row is { key: string; revision: number | string } => row.key !== null,
      );
      return {
        keys: [...new Set(changed.map((row) => row.key))],
        revision: changed.reduce(
          (top, row) => Math.max(top, Number(row.revision)),
          Math.max(revision, prunedThrough),
        ),
        complete: prunedThrough <= revision,
      };
    },
    async products(skus: readonly string[] | null): Promise<ProjectedProduct[]> {
      return (await rowsOf<ProductRow>('SELECT * FROM catalog_products', skus)).map(toProduct);
    },
    /** Of these SKUs, those whose product ERP marked `draft` or `archived`: not for sale online. */
    async notForSale(skus: readonly string[]): Promise<string[]> {
      if (skus.length === 0) return [];
      const rows = await rowsOf<ProductRow>('SELECT * FROM catalog_products', skus);
      return rows.filter((row) => row.status !== 'active').map((row) => row.sku);
    },
    async levels(skus: readonly string[] | null): Promise<StockLevel[]> {
      const rows = await rowsOf<LevelRow>('SELECT sku, location_id, available FROM stock_levels', skus);
      return rows.map((row) => ({
        sku: row.sku,
        locationId: row.location_id,
        available: Number(row.available),
      }));
    },
    async channel(
      channel: string,
    ): Promise<{ configured: ChannelConfig | null; locations: KnownLocation[] }> {
      const locations = await db.query<{ location_id: string; kind: string }>(
        'SELECT location_id, kind FROM catalog_locations',
      );
      const [row] = await db.query<{ locations: string; safety_stock: number | string }>(
        'SELECT locations, safety_stock FROM catalog_channels WHERE channel = $1',
        [channel],
      );
      return {
        locations: locations.map((each) => ({ locationId: each.location_id, kind: each.kind })),
        configured: row
          ? { locations: JSON.parse(row.locations) as string[], safetyStock: Number(row.safety_stock) }
          : null,
      };
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
