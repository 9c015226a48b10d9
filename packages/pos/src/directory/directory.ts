import {
  type PricingSnapshot,
  type PricingSnapshotDelta,
  LocationUpsertedV1,
  ProductUpsertedV1,
  type CloudEvent,
  type LocationUpsertedV1Data,
  type ProductUpsertedV1Data,
} from '@tillstream/contracts';
import { placeholders, type Clock, type ConsumerSpec, type Db, type Tx } from '@tillstream/kernel';

export interface KnownLocation {
  locationId: string;
  name: string;
  kind: 'store' | 'warehouse';
  /** A store's cash rounding in minor units (ERP's `cashRoundingIncrement`); absent: it does not round. */
  cashRoundingIncrement?: number;
  /** The other increments the store has had, which tills that have not learned the change may still use. */
  formerCashRoundingIncrements?: number[];
  version: number;
}

/** Where a product is in ERP's life of it: `draft`, `active` or `archived` (the published language's words). */
export type ProductStatus = NonNullable<ProductUpsertedV1Data['status']>;

export interface KnownProduct {
  sku: string;
  name: string;
  price: { amount: number; currency: string };
  /** The GTINs printed on it; absent from ERPs and events older than barcodes. */
  barcodes?: string[];
  /** Absent from ERPs and events older than product statuses, when every product was for sale: `active`. */
  status?: ProductStatus;
  version: number;
}

/**
 * The ERP as POS may ask it synchronously (REST, with a timeout), used only when the event-fed projection does
 * not know a location or SKU yet — e.g. a product created a moment before its first sale.
 */
export interface ErpLookup {
  location(locationId: string): Promise<KnownLocation | null>;
  product(sku: string): Promise<KnownProduct | null>;
  /**
   * ERP's current pricing snapshot, which POS hands on to its terminals; null when ERP has none. For a holder
   * of `held` ERP sends only what changed since that version, and nothing (`'unchanged'`) while it is current.
   */
  pricingSnapshot(held: PricingSnapshot | null): Promise<PricingSnapshot | 'unchanged' | null>;
  /**
   * What changed since version `since` (GET /erp/v1/pricing/snapshot/delta), for terminals holding it:
   * `'unchanged'` when nothing is newer, `'gone'` when ERP no longer keeps that version.
   */
  pricingSnapshotDelta(since: number): Promise<PricingSnapshotDelta | 'unchanged' | 'gone'>;
}

const UPSERT_LOCATION = `
  INSERT INTO known_locations (location_id, name, kind, version, cash_rounding_increment) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (location_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, version = excluded.version,
    cash_rounding_increment = excluded.cash_rounding_increment
  WHERE known_locations.version < excluded.version`;

/** Whatever the order events arrive in, every increment a store had is kept (the set of them). */
const KEEP_CASH_ROUNDING_INCREMENT = `
  INSERT INTO known_cash_rounding_increments (location_id, increment) VALUES ($1, $2) ON CONFLICT DO NOTHING`;

const UPSERT_PRODUCT = `
  INSERT INTO known_products (sku, name, price_amount, currency, version, changed_in, barcodes, status)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
    currency = excluded.currency, version = excluded.version, changed_in = excluded.changed_in,
    barcodes = excluded.barcodes, status = excluded.status
  WHERE known_products.version < excluded.version`;

/**
 * The catalog's next revision. The row stays locked until the transaction commits, so revisions become visible
 * in the order they were taken: a till that read revision n has seen every change numbered n or lower.
 */
const NEXT_CATALOG_REVISION =
  'UPDATE known_catalog_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision';

async function saveLocation(tx: Pick<Tx, 'execute'>, location: KnownLocation) {
  const increment = location.cashRoundingIncrement ?? null;
  await tx.execute(UPSERT_LOCATION, [
    location.locationId,
    location.name,
    location.kind,
    location.version,
    increment,
  ]);
  if (increment !== null) await tx.execute(KEEP_CASH_ROUNDING_INCREMENT, [location.locationId, increment]);
}

interface LocationRow {
  location_id: string;
  name: string;
  kind: KnownLocation['kind'];
  version: number | string;
  cash_rounding_increment: number | string | null;
  /** One of the increments the store has had; null when it has had none (one row then). */
  had_increment: number | string | null;
}

/** A location from its row, once per increment the store has had (a left join). */
function toKnownLocation(rows: readonly LocationRow[]): KnownLocation {
  const row = rows[0]!;
  const current = row.cash_rounding_increment === null ? null : Number(row.cash_rounding_increment);
  const former = rows
    .map((each) => (each.had_increment === null ? null : Number(each.had_increment)))
    .filter((increment): increment is number => increment !== null && increment !== current)
    .sort((left, right) => left - right);
  return {
    locationId: row.location_id,
    name: row.name,
    kind: row.kind,
    ...(current !== null ? { cashRoundingIncrement: current } : {}),
    ...(former.length > 0 ? { formerCashRoundingIncrements: former } : {}),
    version: Number(row.version),
  };
}

async function saveProduct(tx: Pick<Tx, 'execute' | 'query'>, product: KnownProduct) {
  // Taken even when the version is not newer (then unused): a gap in revisions costs nothing.
  const [next] = await tx.query<{ revision: number | string }>(NEXT_CATALOG_REVISION);
  await tx.execute(UPSERT_PRODUCT, [
    product.sku,
    product.name,
    product.price.amount,
    product.price.currency,
    product.version,
    next!.revision,
    JSON.stringify(product.barcodes ?? []),
    product.status ?? 'active',
  ]);
}

/** POS's copy of the stores and products it sells, kept current by ERP events (newer versions only). */
export function directoryConsumer(db: Db): ConsumerSpec {
  return {
    name: 'pos.directory',
    db,
    sources: ['erp'],
    types: [LocationUpsertedV1.type, ProductUpsertedV1.type],
    async handle(event: CloudEvent, tx) {
      if (event.type === LocationUpsertedV1.type)
        await saveLocation(tx, event.data as LocationUpsertedV1Data);
      else await saveProduct(tx, event.data as ProductUpsertedV1Data);
    },
  };
}

/**
 * SKUs remembered as known: the projection only ever adds products (upserts, never a delete), so a SKU seen
 * once stays known. Bounded: past this many the set starts over, and SKUs are read again as sales name them.
 */
const KNOWN_SKUS_MAX = 100_000;

/**
 * How long a location read from the projection is used without reading it again. A store's kind can change
 * (rarely, by an upsert from ERP, applied by one POS instance of several); the projection itself trails ERP
 * by the events' propagation, so a second more changes nothing a till relies on.
 */
const LOCATION_FRESH_MS = 1_000;

export function createDirectory(db: Db, erp: ErpLookup, clock: Clock) {
  // A sale asked the database for its store and for its SKUs, two statements on every sale (a round trip
  // each on PostgreSQL) for answers that almost never change.
  const knownSkus = new Set<string>();
  const locations = new Map<string, { location: KnownLocation; readAt: number }>();

  const remember = (sku: string) => {
    if (knownSkus.size >= KNOWN_SKUS_MAX) knownSkus.clear();
    knownSkus.add(sku);
  };

  return {
    /** Locations by id from the projection, falling back to ERP for the ones it has not seen yet. */
    async location(locationId: string): Promise<KnownLocation | null> {
      const cached = locations.get(locationId);
      if (cached && clock.now().getTime() - cached.readAt < LOCATION_FRESH_MS) return cached.location;
      // One statement for the store and the increments it has had, a round trip once a second per store.
      const rows = await db.query<LocationRow>(
        `SELECT l.location_id, l.name, l.kind, l.version, l.cash_rounding_increment, r.increment AS had_increment
         FROM known_locations l
         LEFT JOIN known_cash_rounding_increments r ON r.location_id = l.location_id
         WHERE l.location_id = $1`,
        [locationId],
      );
      if (rows.length > 0) {
        const location = toKnownLocation(rows);
        locations.set(locationId, { location, readAt: clock.now().getTime() });
        return location;
      }
      // Not cached: the ERP's answer is stored below and read from the projection next time.
      const fetched = await erp.location(locationId);
      if (fetched) await db.transaction((tx) => saveLocation(tx, fetched));
      return fetched;
    },
    /** The SKUs among `skus` that neither the projection nor ERP knows. */
    async unknownSkus(skus: readonly string[]): Promise<string[]> {
      const distinct = [...new Set(skus)].filter((sku) => !knownSkus.has(sku));
      if (distinct.length === 0) return [];
      const skuList = placeholders(distinct.length);
      const rows = await db.query<{ sku: string }>(
        `SELECT sku FROM known_products WHERE sku IN (${skuList})`,
        distinct,
      );
      for (const row of rows) remember(row.sku);
      const unknown: string[] = [];
      for (const sku of distinct.filter((candidate) => !knownSkus.has(candidate))) {
        const fetched = await erp.product(sku);
        if (fetched) await db.transaction((tx) => saveProduct(tx, fetched));
        else unknown.push(sku);
      }
      return unknown;
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
