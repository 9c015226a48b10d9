import {
  ChannelUpdatedV1,
  LocationUpsertedV1,
  PriceListChangedV1,
  ProductUpsertedV1,
  StockChangedV1,
  type ChannelUpdatedV1Data,
  type CloudEvent,
  type LocationUpsertedV1Data,
  type ProductUpsertedV1Data,
  type StockChangedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db, Tx } from '@tillstream/kernel';

/** Change-feed keys that are not SKUs (a SKU never starts with `#`). */
export const CHANNELS_CHANGED = '#channels';
export const PRICING_CHANGED = '#pricing';
/**
 * A SKU's stock changed but not the product: readers re-read its levels only. Most changes are these (every
 * sale and hold), and re-reading the product row with them cost about as much as re-reading the levels.
 */
export const STOCK_CHANGED = '#stock:';

/**
 * How much of the change feed is kept. One revision is one projection transaction (a batch of events), so
 * at a few hundred batches a second 20,000 is over a minute: a reader further behind (an instance that
 * stalled that long) reloads the whole catalog instead. Pruning drops a block of old rows at a time.
 */
export interface FeedRetention {
  keepRevisions: number;
  pruneEvery: number;
}
const FEED_RETENTION: FeedRetention = { keepRevisions: 20_000, pruneEvery: 1_000 };

/** What one projection transaction has written to the change feed so far. */
interface FeedEntry {
  revision: number;
  keys: Set<string>;
}
const feedOf = new WeakMap<Tx, FeedEntry>();

/**
 * Records that `key` changed in this transaction. The single revision row is bumped first, under its row
 * lock, so two projection transactions get their revisions in commit order: a reader asking for changes
 * after revision N can never miss one that commits later with a smaller number. One transaction takes one
 * revision for all its keys (they become visible together anyway), so a batch of events bumps the row once
 * and appends each key once, not once per event.
 */
async function recordChange(tx: Tx, key: string, retention: FeedRetention): Promise<void> {
  let feed = feedOf.get(tx);
  if (!feed) {
    const [row] = await tx.query<{ revision: number | string }>(
      'UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision',
    );
    feed = { revision: Number(row!.revision), keys: new Set() };
    feedOf.set(tx, feed);
    if (feed.revision % retention.pruneEvery === 0) {
      await pruneFeed(tx, feed.revision - retention.keepRevisions);
    }
  }
  if (feed.keys.has(key)) return;
  feed.keys.add(key);
  await tx.execute('INSERT INTO catalog_changes (revision, key) VALUES ($1, $2)', [feed.revision, key]);
}

/** Drops the feed's rows up to `through` and says so, for readers that were further behind. */
async function pruneFeed(tx: Tx, through: number): Promise<void> {
  if (through <= 0) return;
  await tx.execute('DELETE FROM catalog_changes WHERE revision <= $1', [through]);
  await tx.execute('UPDATE catalog_revision SET pruned_through = $1 WHERE id = 1', [through]);
}

async function applyEvent(event: CloudEvent, tx: Tx): Promise<string | null> {
  switch (event.type) {
    case ProductUpsertedV1.type: {
      const product = event.data as ProductUpsertedV1Data;
      const changed = await tx.execute(
        `INSERT INTO catalog_products (sku, name, price_amount, currency, kind, backorderable, components, version,
           status, gtins)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
           currency = excluded.currency, kind = excluded.kind, backorderable = excluded.backorderable,
           components = excluded.components, version = excluded.version, status = excluded.status,
           gtins = excluded.gtins
         WHERE catalog_products.version < excluded.version`,
        [
          product.sku,
          product.name,
          product.price.amount,
          product.price.currency,
          product.kind,
          product.backorderable ? 1 : 0,
          product.components ? JSON.stringify(product.components) : null,
          product.version,
          // Events from before products had a status: every product was for sale.
          product.status ?? 'active',
          // Events from before barcodes, or of a product without any: none.
          JSON.stringify(product.barcodes ?? []),
        ],
      );
      return changed > 0 ? product.sku : null;
    }
    case StockChangedV1.type: {
      const stock = event.data as StockChangedV1Data;
      const changed = await tx.execute(
        `INSERT INTO stock_levels (sku, location_id, available, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sku, location_id) DO UPDATE SET available = excluded.available, version = excluded.version
         WHERE stock_levels.version < excluded.version`,
        [stock.sku, stock.locationId, stock.available, stock.version],
      );
      return changed > 0 ? `${STOCK_CHANGED}${stock.sku}` : null;
    }
    case LocationUpsertedV1.type: {
      const location = event.data as LocationUpsertedV1Data;
      const changed = await tx.execute(
        `INSERT INTO catalog_locations (location_id, kind, version) VALUES ($1, $2, $3)
         ON CONFLICT (location_id) DO UPDATE SET kind = excluded.kind, version = excluded.version
         WHERE catalog_locations.version < excluded.version`,
        [location.locationId, location.kind, location.version],
      );
      return changed > 0 ? CHANNELS_CHANGED : null;
    }
    case ChannelUpdatedV1.type: {
      const channel = event.data as ChannelUpdatedV1Data;
      const changed = await tx.execute(
        `INSERT INTO catalog_channels (channel, locations, safety_stock, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel) DO UPDATE SET locations = excluded.locations,
           safety_stock = excluded.safety_stock, version = excluded.version
         WHERE catalog_channels.version < excluded.version`,
        [channel.channel, JSON.stringify(channel.locations), channel.safetyStock, channel.version],
      );
      return changed > 0 ? CHANNELS_CHANGED : null;
    }
    case PriceListChangedV1.type:
      // Price lists live in ERP's pricing snapshot, not here: the change only tells every instance to re-read it.
      return PRICING_CHANGED;
    default:
      return null;
  }
}

/**
 * The storefront's read model, fed by ERP events. Each upsert applies only when the event's per-key version
 * is newer than the row's, so redelivered or reordered events can never move availability backwards. Every
 * effective change is written to the change feed in the same transaction; the catalog cache follows it.
 *
 * @param db the database whose commits the cache hears about (see `notifyingDb`).
 */
export function catalogProjection(db: Db, retention = FEED_RETENTION): ConsumerSpec {
  /**
   * The newest stock version of each (SKU, location) in the batch: an older one is skipped, as its upsert
   * would be overwritten before the transaction commits. A batch taken under load holds several changes of
   * the same busy SKUs (every sale of one is an event), and each was a statement.
   */
  const newestStockIn = new WeakMap<Tx, Map<string, number>>();
  const stockKey = (stock: StockChangedV1Data) => `${stock.sku}@${stock.locationId}`;
  return {
    name: 'commerce.catalog',
    db,
    sources: ['erp'],
    types: [
      ProductUpsertedV1.type,
      StockChangedV1.type,
      LocationUpsertedV1.type,
      ChannelUpdatedV1.type,
      PriceListChangedV1.type,
    ],
    // Every upsert is guarded by the event's per-key version (and a pricing change only marks the feed).
    redeliverySafe: true,
    async prepare(events, tx) {
      const newest = new Map<string, number>();
      for (const event of events) {
        if (event.type !== StockChangedV1.type) continue;
        const stock = event.data as StockChangedV1Data;
        const key = stockKey(stock);
        newest.set(key, Math.max(newest.get(key) ?? 0, stock.version));
      }
      newestStockIn.set(tx, newest);
    },
    async handle(event, tx) {
      if (event.type === StockChangedV1.type) {
        const stock = event.data as StockChangedV1Data;
        if (stock.version < (newestStockIn.get(tx)?.get(stockKey(stock)) ?? 0)) return;
      }
      const key = await applyEvent(event, tx);
      if (key !== null) await recordChange(tx, key, retention);
    },
  };
}
