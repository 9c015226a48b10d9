import { gtin14 } from '@tillstream/contracts';
import type { Clock, Db, Logger } from '@tillstream/kernel';
import type { PricingSnapshotKeeper } from '../pricing/pricing-snapshot.keeper.js';
import {
  availableAt,
  kitAvailable,
  resolveChannel,
  stockAvailable,
  type ChannelConfig,
} from './availability.decide.js';
import {
  comparePositions,
  selectPage,
  sortListed,
  sortValue,
  type ListQuery,
  type Listed,
  type Sort,
} from './catalog-query.decide.js';
import { CHANNELS_CHANGED, PRICING_CHANGED, STOCK_CHANGED } from './catalog.projection.js';
import { createCatalogStore, type StockLevel } from './catalog.store.js';
import { buildView, hashOf, type CachedView, type ProjectedProduct } from './catalog.view.js';
import { priceFor, type Money, type ShownPrice } from './web-prices.js';
import { followWebPricing } from './web-pricing.follower.js';

/** A product with the figures lists filter and sort on, and what its view is made of. */
interface Entry extends Listed {
  /** The projected product the view is made from (replaced, never changed, when the product changes). */
  product: ProjectedProduct;
  available: number;
  shown: ShownPrice;
  /**
   * The serialized view with its ETag, made on first use: under load most SKUs change again (every hold and
   * sale) before anyone asks for them, and making a view (two serializations and a hash) for each change
   * was a sixth of what following the stock cost.
   */
  view: CachedView | null;
}

const cachedOf = (entry: Entry): CachedView =>
  (entry.view ??= buildView(entry.product, entry.available, entry.shown));

const sameMoney = (a: Money | null, b: Money | null) =>
  a === b || (a !== null && b !== null && a.amount === b.amount && a.currency === b.currency);

export interface Page {
  json: string;
  etag: string;
}

export interface CatalogCache {
  /** Loads the whole projection into memory, then follows its change feed. */
  start(): Promise<void>;
  stop(): void;
  /** Resolves once the cache is warm; requests arriving earlier wait for it. */
  readonly warm: Promise<void>;
  isWarm(): boolean;
  /** Applies every change the projection committed since the last sync; serialized, coalesced. */
  sync(): Promise<void>;
  get(sku: string): CachedView | undefined;
  /** One page of the list, kept by `query.key` until the catalog changes. */
  list(query: ListQuery): Page;
  /**
   * Units of a product the storefront sells that a shopper could collect at each of these locations
   * (`availableAt`); undefined for a SKU it does not sell (unknown, draft or archived).
   */
  availableAt(sku: string, locationIds: readonly string[]): Map<string, number> | undefined;
}

/** Past this many changed SKUs in one sync, reloading everything is cheaper than asking SKU by SKU. */
const FULL_RELOAD_AT = 2_000;
const MAX_PAGES = 1_000;

/**
 * The storefront's catalog, served from memory. It mirrors the projection (products, stock per location,
 * locations and the channel's configuration) and keeps every product's view serialized with its ETag.
 *
 * Freshness: the projection writes a change feed in the same transaction as its rows. After each commit the
 * consumer of this instance calls `sync`, which re-reads the changed SKUs (committed, so never older than the
 * event) before the consumer moves on; their entries, and those of the kits they belong to, are brought up to
 * date when next read (see `stale`), so a read after the sync never sees the state before it. Other
 * instances (scale-out runs several, sharing the durable consumer's work) see the same feed on their next poll.
 */
export function createCatalogCache(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** ERP's pricing snapshot, as commerce keeps it. */
  snapshots: PricingSnapshotKeeper;
  /** The sales channel whose availability and prices the storefront shows. */
  channel: string;
  /** How often to look for changes another instance's consumer committed. */
  pollMs: number;
}): CatalogCache {
  const store = createCatalogStore(deps.db);
  const products = new Map<string, ProjectedProduct>();
  const levels = new Map<string, Map<string, number>>();
  /** Component SKU → the kits made of it. */
  const kitsOf = new Map<string, Set<string>>();
  let channel: ChannelConfig = { locations: [], safetyStock: 0 };
  const entries = new Map<string, Entry>();
  const sorted = new Map<Sort, Entry[]>();
  const pages = new Map<string, Page>();
  let revision = 0;
  let warmed = false;
  let markWarm: () => void = () => {};
  const warm = new Promise<void>((resolve) => (markWarm = resolve));
  let pollTimer: NodeJS.Timeout | undefined;
  const pricing = followWebPricing({
    snapshots: deps.snapshots,
    clock: deps.clock,
    logger: deps.logger,
    onChange: async () => {
      await warm;
      refreshAll();
    },
  });

  const unitsOf = (sku: string) => stockAvailable(levels.get(sku), channel);

  /**
   * The SKU's entry as it stands now: `previous` itself when nothing it shows changed. Most stock changes
   * leave the channel's figure alone (a store's sale, when the web sells from warehouses), and that keeps
   * the view already made, pages and sorted lists included.
   */
  function entryOf(sku: string, previous: Entry | undefined): Entry | undefined {
    const product = products.get(sku);
    // A draft or archived product is not in the storefront: no view, in no list.
    if (!product || product.status !== 'active') return undefined;
    const available =
      product.kind === 'kit' ? kitAvailable(product.components ?? [], unitsOf) : unitsOf(product.sku);
    const shown = priceFor(pricing.current(), product, deps.channel, deps.clock.now().getTime());
    if (
      previous?.product === product &&
      previous.available === available &&
      sameMoney(previous.shown.price, shown.price) &&
      sameMoney(previous.shown.compareAtPrice, shown.compareAtPrice)
    )
      return previous;
    return {
      sku,
      name: product.name,
      kind: product.kind,
      price: shown.price.amount,
      inStock: available > 0,
      // Kept from the entry before while the product is the same: most new entries are stock changes.
      gtin14s: previous?.product === product ? previous.gtin14s : product.gtins.map(gtin14),
      product,
      available,
      shown,
      view: null,
    };
  }

  /** Swaps one entry in a sorted list whose sort position did not change. */
  function replaceSorted(list: Entry[], previous: Entry, next: Entry, sort: Sort): void {
    const target = { value: sortValue(previous, sort), sku: previous.sku };
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = list[middle]!;
      if (comparePositions({ value: sortValue(at, sort), sku: at.sku }, target, sort) < 0) low = middle + 1;
      else high = middle;
    }
    if (list[low]?.sku === previous.sku) list[low] = next;
    else sorted.delete(sort);
  }

  /** Brings one entry up to date; pages are dropped on any change, sorted lists only when an order may move. */
  function refresh(sku: string): void {
    const previous = entries.get(sku);
    const next = entryOf(sku, previous);
    if (previous === next) return;
    pages.clear();
    if (!next) entries.delete(sku);
    else entries.set(sku, next);
    if (!previous || !next || previous.name !== next.name || previous.price !== next.price) {
      sorted.clear();
      return;
    }
    for (const [sort, list] of sorted) replaceSorted(list, previous, next, sort);
  }

  /**
   * SKUs whose products or levels were reloaded but whose entries were not brought up to date yet. Under
   * load most SKUs change again (every hold and sale) before anyone reads them, and bringing an entry up to
   * date on every change (its price, sorted lists, pages) was a third of what following the stock cost; a
   * read of the SKU, or any list, brings the entries it needs up to date first.
   */
  const stale = new Set<string>();

  function markStaleWithKits(skus: Iterable<string>): void {
    for (const sku of skus) {
      stale.add(sku);
      for (const kit of kitsOf.get(sku) ?? []) stale.add(kit);
    }
  }

  function refreshStale(): void {
    for (const sku of stale) refresh(sku);
    stale.clear();
  }

  function refreshAll(): void {
    stale.clear();
    for (const sku of products.keys()) refresh(sku);
    pricing.scheduleNextChange();
  }

  function indexKit(product: ProjectedProduct, previous: ProjectedProduct | undefined): void {
    for (const component of previous?.components ?? []) kitsOf.get(component.sku)?.delete(previous!.sku);
    for (const component of product.kind === 'kit' ? (product.components ?? []) : []) {
      const kits = kitsOf.get(component.sku) ?? new Set<string>();
      kits.add(product.sku);
      kitsOf.set(component.sku, kits);
    }
  }

  /** Loads these SKUs' stock levels (all when null) and replaces what memory held of them. */
  async function loadLevels(skus: readonly string[] | null): Promise<void> {
    const levelRows: StockLevel[] = await store.levels(skus);
    if (skus) for (const sku of skus) levels.delete(sku);
    else levels.clear();
    for (const level of levelRows) {
      const at = levels.get(level.sku) ?? new Map<string, number>();
      at.set(level.locationId, level.available);
      levels.set(level.sku, at);
    }
  }

  /**
   * Loads these SKUs' products and levels (all when null) and replaces what memory held of them, in one
   * synchronous step after both reads.
   */
  async function load(skus: readonly string[] | null, stockOnly: readonly string[] = []): Promise<void> {
    const productRows = await store.products(skus);
    await loadLevels(skus ? [...skus, ...stockOnly] : null);
    for (const product of productRows) {
      indexKit(product, products.get(product.sku));
      products.set(product.sku, product);
    }
  }

  async function loadChannel(): Promise<void> {
    const { configured, locations } = await store.channel(deps.channel);
    channel = resolveChannel(configured, locations);
  }

  /** Reloads the whole projection, whose changes up to `from` it then reflects. */
  async function reloadEverything(from: number): Promise<void> {
    await loadChannel();
    await load(null);
    revision = from;
    refreshAll();
  }

  /** One pass over the change feed. The revision is read before the rows, so nothing is skipped. */
  async function step(): Promise<void> {
    if (!warmed) {
      await reloadEverything(await store.revision());
      warmed = true;
      markWarm();
      return;
    }
    const changes = await store.changesAfter(revision);
    if (!changes.complete) {
      // This instance fell further behind than the feed keeps (it stalled): start again from the rows.
      await reloadEverything(changes.revision);
      pricing.refresh();
      return;
    }
    if (changes.keys.length === 0) return;
    const productSkus = changes.keys.filter((key) => !key.startsWith('#'));
    const productChanged = new Set(productSkus);
    const stockSkus = changes.keys
      .filter((key) => key.startsWith(STOCK_CHANGED))
      .map((key) => key.slice(STOCK_CHANGED.length))
      .filter((sku) => !productChanged.has(sku));
    const changed = productSkus.length + stockSkus.length;
    const channelChanged = changes.keys.includes(CHANNELS_CHANGED);
    const everything = channelChanged || changed > FULL_RELOAD_AT;
    if (channelChanged) await loadChannel();
    if (changed > FULL_RELOAD_AT) await load(null);
    else if (changed > 0) await load(productSkus, stockSkus);
    revision = changes.revision;
    if (everything) refreshAll();
    else {
      markStaleWithKits(productSkus);
      markStaleWithKits(stockSkus);
    }
    if (changes.keys.includes(PRICING_CHANGED)) pricing.refresh();
  }

  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  /** Runs `step` after any running one; callers arriving before it starts share it. */
  function sync(): Promise<void> {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = null;
      return step();
    });
    queued = next;
    tail = next.catch(() => undefined);
    return next;
  }

  return {
    warm,
    isWarm: () => warmed,
    async start() {
      pricing.useKept();
      await sync();
      pricing.refresh();
      pollTimer = setInterval(() => {
        sync().catch((error: unknown) => deps.logger.warn({ err: error }, 'catalog sync failed'));
      }, deps.pollMs);
      pollTimer.unref();
    },
    stop() {
      clearInterval(pollTimer);
      pricing.stop();
    },
    sync,
    get: (sku) => {
      if (stale.delete(sku)) refresh(sku);
      const entry = entries.get(sku);
      return entry && cachedOf(entry);
    },
    availableAt(sku, locationIds) {
      const product = products.get(sku);
      if (product?.status !== 'active') return undefined;
      const levelsOf = (each: string) => levels.get(each);
      return new Map(
        locationIds.map((at) => [at, availableAt(product, levelsOf, at, channel.safetyStock)] as const),
      );
    },
    list(query) {
      if (stale.size > 0) refreshStale();
      const hit = pages.get(query.key);
      if (hit) return hit;
      let list = sorted.get(query.sort);
      if (!list) {
        list = sortListed(entries.values(), query.sort);
        sorted.set(query.sort, list);
      }
      const { items, next } = selectPage(list, query);
      const page = {
        json: `{"products":[${items.map((item) => cachedOf(item).json).join(',')}],"next":${JSON.stringify(next)}}`,
        etag: `"${hashOf(`${items.map((item) => cachedOf(item).etag).join(',')}|${next ?? ''}`)}"`,
      };
      if (pages.size >= MAX_PAGES) pages.clear();
      pages.set(query.key, page);
      return page;
    },
  };
}
