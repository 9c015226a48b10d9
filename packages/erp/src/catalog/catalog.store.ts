import { gtin14, LocationUpsertedV1, ProductUpsertedV1 } from '@tillstream/contracts';
import {
  conflict,
  placeholders,
  rowLock,
  type Db,
  type Outbox,
  type SqlValue,
  type Tx,
} from '@tillstream/kernel';
import type { Location, Product } from './catalog.decide.js';

interface LocationRow {
  location_id: string;
  name: string;
  kind: Location['kind'];
  time_zone: string | null;
  cash_rounding_increment: number | string | null;
  version: number | string;
}

interface ProductRow {
  sku: string;
  name: string;
  price_amount: number | string;
  currency: string;
  kind: Product['kind'];
  components: string;
  backorderable: number | boolean;
  status: Product['status'];
  barcodes: string;
  version: number | string;
}

const toLocation = (row: LocationRow): Location => ({
  locationId: row.location_id,
  name: row.name,
  kind: row.kind,
  ...(row.time_zone ? { timeZone: row.time_zone } : {}),
  ...(row.cash_rounding_increment !== null
    ? { cashRoundingIncrement: Number(row.cash_rounding_increment) }
    : {}),
  version: Number(row.version),
});

const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  name: row.name,
  price: { amount: Number(row.price_amount), currency: row.currency },
  kind: row.kind,
  components: JSON.parse(row.components) as Product['components'],
  backorderable: Boolean(row.backorderable),
  status: row.status,
  barcodes: JSON.parse(row.barcodes) as string[],
  version: Number(row.version),
});

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/**
 * Makes the product's barcodes its own in the index that keeps them unique (as GTIN-14s): those it no longer
 * has are let go, and one another product holds is 409 `barcode_in_use`. A barcode taken at once by two
 * products is inserted by one; the other's insert does nothing (PostgreSQL waits for the first to commit)
 * and it is refused, rolling its whole PUT back.
 */
async function claimBarcodes(tx: Tx, product: Product): Promise<void> {
  await tx.execute('DELETE FROM product_barcodes WHERE sku = $1', [product.sku]);
  for (const code of product.barcodes) {
    const claimed = await tx.execute(
      'INSERT INTO product_barcodes (gtin, sku) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [gtin14(code), product.sku],
    );
    if (claimed > 0) continue;
    const [holder] = await tx.query<{ sku: string }>('SELECT sku FROM product_barcodes WHERE gtin = $1', [
      gtin14(code),
    ]);
    throw conflict('barcode_in_use', `${code} is the barcode of ${holder?.sku ?? 'another product'}`, {
      barcode: code,
      sku: holder?.sku ?? null,
    });
  }
}

const locationUpserted = (location: Location) => ({
  contract: LocationUpsertedV1,
  subject: `location/${location.locationId}`,
  sequence: location.version,
  data: location,
});

/**
 * A product as `erp.product.upserted` publishes it: a kit with its composition, which the storefront's
 * availability of the kit is computed from.
 */
function productUpserted(product: Product) {
  const { components, ...published } = product;
  return {
    contract: ProductUpsertedV1,
    subject: `product/${product.sku}`,
    sequence: product.version,
    data: product.kind === 'kit' ? { ...published, components } : published,
  };
}

/**
 * Makes writers of one catalog key (a product's SKU, a location's id) take turns until the transaction ends,
 * even before its row exists. A row lock holds only a row that is there: two creates of one new product would
 * both find none, both publish version 1, each with its own content, and projections keep whichever came first
 * while ERP keeps the last. PostgreSQL only; SQLite's single writer serialises them already.
 */
async function lockCatalogKey(tx: Tx, key: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || current_schema())) AS locked`, [
    `tillstream_catalog_${key}_`,
  ]);
}

export function createCatalogStore(deps: { outbox: Outbox }) {
  return {
    async findLocation(reader: Reader, locationId: string): Promise<Location | null> {
      const rows = await reader.query<LocationRow>('SELECT * FROM locations WHERE location_id = $1', [
        locationId,
      ]);
      return rows[0] ? toLocation(rows[0]) : null;
    },
    /** The location, its row locked to the end of the transaction (see `lockProduct`). */
    async lockLocation(tx: Tx, locationId: string): Promise<Location | null> {
      await lockCatalogKey(tx, `location/${locationId}`);
      const rows = await tx.query<LocationRow>(
        `SELECT * FROM locations WHERE location_id = $1${rowLock(tx)}`,
        [locationId],
      );
      return rows[0] ? toLocation(rows[0]) : null;
    },
    /** Every location published again, one version up with its content as it is (see `republishProducts`). */
    async republishLocations(tx: Tx, at: string): Promise<Location[]> {
      const rows = await tx.query<LocationRow>(
        'UPDATE locations SET version = version + 1, updated_at = $1 RETURNING *',
        [at],
      );
      const locations = rows.map(toLocation).sort((a, b) => (a.locationId < b.locationId ? -1 : 1));
      await deps.outbox.append(tx, locations.map(locationUpserted));
      return locations;
    },
    async listLocations(reader: Reader): Promise<Location[]> {
      return (await reader.query<LocationRow>('SELECT * FROM locations ORDER BY location_id')).map(
        toLocation,
      );
    },
    async saveLocation(tx: Tx, location: Location, at: string): Promise<void> {
      await tx.execute(
        `INSERT INTO locations (location_id, name, kind, time_zone, cash_rounding_increment, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (location_id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
           cash_rounding_increment = excluded.cash_rounding_increment, version = excluded.version,
           updated_at = excluded.updated_at`,
        [
          location.locationId,
          location.name,
          location.kind,
          location.timeZone ?? null,
          location.cashRoundingIncrement ?? null,
          location.version,
          at,
        ],
      );
      await deps.outbox.append(tx, [locationUpserted(location)]);
    },
    async findProduct(reader: Reader, sku: string): Promise<Product | null> {
      const rows = await reader.query<ProductRow>('SELECT * FROM products WHERE sku = $1', [sku]);
      return rows[0] ? toProduct(rows[0]) : null;
    },
    /**
     * The product, its row locked to the end of the transaction: a change decided from it and a concurrent
     * one (another PUT, a republish) take turns instead of both writing the same next version. A product not
     * created yet is locked by its SKU (`lockCatalogKey`), so concurrent creates take turns too.
     */
    async lockProduct(tx: Tx, sku: string): Promise<Product | null> {
      await lockCatalogKey(tx, `product/${sku}`);
      const rows = await tx.query<ProductRow>(`SELECT * FROM products WHERE sku = $1${rowLock(tx)}`, [sku]);
      return rows[0] ? toProduct(rows[0]) : null;
    },
    async findProducts(reader: Reader, skus: readonly string[]): Promise<Product[]> {
      if (skus.length === 0) return [];
      const skuList = placeholders(skus.length);
      return (await reader.query<ProductRow>(`SELECT * FROM products WHERE sku IN (${skuList})`, skus)).map(
        toProduct,
      );
    },
    /** A page in SKU order, narrowed to a status or to the product a barcode (any GTIN form) belongs to. */
    async listProducts(
      reader: Reader,
      page: { after: string; limit: number; status?: Product['status']; barcode?: string },
    ): Promise<Product[]> {
      const params: SqlValue[] = [page.after, page.limit];
      const where = ['p.sku > $1'];
      if (page.status !== undefined) where.push(`p.status = $${params.push(page.status)}`);
      if (page.barcode !== undefined)
        where.push(
          `p.sku IN (SELECT b.sku FROM product_barcodes b WHERE b.gtin = $${params.push(gtin14(page.barcode))})`,
        );
      const rows = await reader.query<ProductRow>(
        `SELECT p.* FROM products p WHERE ${where.join(' AND ')} ORDER BY p.sku LIMIT $2`,
        params,
      );
      return rows.map(toProduct);
    },
    /** The kits that list `sku` as a component (the LIKE narrows, the exact check decides). */
    async kitsContaining(reader: Reader, sku: string): Promise<string[]> {
      const rows = await reader.query<ProductRow>(
        `SELECT * FROM products WHERE kind = 'kit' AND components LIKE $1 ESCAPE '!'`,
        [`%${JSON.stringify(sku).replace(/[!%_]/g, (char) => `!${char}`)}%`],
      );
      return rows
        .map(toProduct)
        .filter((kit) => kit.components.some((component) => component.sku === sku))
        .map((kit) => kit.sku);
    },
    /**
     * Serialises changes of the catalog's structure with the documents that put stock on a SKU, until the
     * transaction ends. The kit rules are checked by reading other rows (the components, the kits containing
     * the SKU, its balances), which two PostgreSQL transactions could each read before the other commits: a
     * kit PUT takes the lock exclusively, stock documents take it shared so they never wait for each other.
     * Store sales never take it (a sale is never held up or refused). SQLite's single writer already
     * serialises both, so there it is a no-op. Keyed by schema: one ERP's catalog does not block another's.
     */
    async lockStructure(tx: Pick<Tx, 'query' | 'dialect'>, mode: 'shared' | 'exclusive'): Promise<void> {
      if (tx.dialect !== 'postgres') return;
      const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
      await tx.query(
        `SELECT ${lock}(hashtext('tillstream_catalog_structure_' || current_schema())) AS locked`,
      );
    },
    /** Whether any location holds, reserves, expects or keeps damaged units of `sku`. */
    async hasStock(reader: Reader, sku: string): Promise<boolean> {
      const rows = await reader.query(
        `SELECT 1 AS found FROM stock_balances WHERE sku = $1
         AND (on_hand <> 0 OR reserved <> 0 OR in_transit <> 0 OR damaged <> 0) LIMIT 1`,
        [sku],
      );
      return rows.length > 0;
    },
    async saveProduct(tx: Tx, product: Product, at: string): Promise<void> {
      await tx.execute(
        `INSERT INTO products (sku, name, price_amount, currency, kind, components, backorderable, version,
           updated_at, status, barcodes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
           currency = excluded.currency, kind = excluded.kind, components = excluded.components,
           backorderable = excluded.backorderable, version = excluded.version, updated_at = excluded.updated_at,
           status = excluded.status, barcodes = excluded.barcodes`,
        [
          product.sku,
          product.name,
          product.price.amount,
          product.price.currency,
          product.kind,
          JSON.stringify(product.components),
          product.backorderable ? 1 : 0,
          product.version,
          at,
          product.status,
          JSON.stringify(product.barcodes),
        ],
      );
      await claimBarcodes(tx, product);
      await deps.outbox.append(tx, [productUpserted(product)]);
    },
    /**
     * Publishes a page of products again, in SKU order after `after`, each one version more with its content
     * as it is: projections apply only newer versions, so the same version would change nothing. The version
     * is raised in the UPDATE itself, so a PUT that locked the row first is counted, and one that comes after
     * waits and reads the raised version.
     */
    async republishProducts(tx: Tx, after: string, limit: number, at: string): Promise<Product[]> {
      const rows = await tx.query<ProductRow>(
        `UPDATE products SET version = version + 1, updated_at = $3
         WHERE sku IN (SELECT sku FROM products WHERE sku > $1 ORDER BY sku LIMIT $2)
         RETURNING *`,
        [after, limit, at],
      );
      const products = rows.map(toProduct).sort((a, b) => (a.sku < b.sku ? -1 : 1));
      await deps.outbox.append(tx, products.map(productUpserted));
      return products;
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
