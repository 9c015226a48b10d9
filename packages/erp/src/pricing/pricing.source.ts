import type {
  PriceList,
  PricingSnapshot,
  PricingSnapshotDelta,
  Promotion,
  ShippingMethod,
  SnapshotProduct,
  TaxRate,
} from '@tillstream/contracts';
import {
  asNumber,
  canonicalJson,
  placeholders,
  sha256Hex,
  type Clock,
  type Db,
  type Tx,
} from '@tillstream/kernel';
import {
  compileRules,
  compileSnapshot,
  diffSnapshots,
  inSnapshotOrder,
  type CompiledPricing,
  type CompiledRules,
} from '@tillstream/pricing';
import type { PricingStores } from './pricing.stores.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

interface Rules {
  revision: number;
  compiled: CompiledRules;
  priceLists: PriceList[];
  promotions: Promotion[];
  taxRates: TaxRate[];
  /** Disabled ones included, as the engine expects: it refuses a quote naming one itself. */
  shippingMethods: ShippingMethod[];
}

/** A snapshot as served: its version and the exact bytes every terminal that asked for it got. */
export interface ServedSnapshot {
  version: number;
  body: string;
}

interface ProductRow {
  sku: string;
  price_amount: number | string;
  currency: string;
  tax_category: string | null;
  categories: string | null;
  weight_grams: number | string | null;
}

const PRODUCT_COLUMNS = `SELECT p.sku, p.price_amount, p.currency, pp.tax_category, pp.categories, pp.weight_grams
  FROM products p LEFT JOIN product_pricing pp ON pp.sku = p.sku`;

/** A product as the snapshot lists it; its weight only when it has one, so products without stay as they were. */
const toSnapshotProduct = (row: ProductRow): SnapshotProduct => ({
  sku: row.sku,
  price: { amount: asNumber(row.price_amount), currency: row.currency },
  taxCategory: row.tax_category ?? 'standard',
  categories: row.categories ? (JSON.parse(row.categories) as string[]) : [],
  ...(row.weight_grams === null || row.weight_grams === undefined
    ? {}
    : { weightGrams: asNumber(row.weight_grams) }),
});

/**
 * What two snapshots are compared by. Products are built by `toSnapshotProduct` in one key order, so their plain
 * JSON is already canonical; only the rules, whose stored definitions may order keys differently, go through
 * `canonicalJson`, which costs about seven times as much as plain JSON and was over half of a 20,000-SKU mint.
 */
function contentHash({ products, ...rules }: Omit<PricingSnapshot, 'version' | 'createdAt'>): string {
  return sha256Hex(`${canonicalJson(rules)}\n${JSON.stringify(products)}`);
}

const BODY_OF_VERSION = 'SELECT body FROM pricing_snapshots WHERE version = $1';

/** How many compiled past snapshots are kept for pricing arriving sales again. */
const SNAPSHOT_CACHE_SIZE = 16;

/**
 * How many deltas to the current version are kept: terminals and storefronts hold one of the last few versions,
 * so a handful serves a whole chain's polls.
 */
const DELTA_CACHE_SIZE = 8;

/**
 * A delta read: what changed since the version held, `'unchanged'` when nothing newer exists, `'gone'` when that
 * version is no longer kept (the whole snapshot must be fetched).
 */
export type DeltaRead = PricingSnapshotDelta | 'unchanged' | 'gone';

/**
 * Where ERP's pricing reads come from. Rules (price lists, promotions, tax rates, shipping methods) are compiled
 * once per pricing revision, which every change bumps, so a quote costs one revision read plus its products.
 * Snapshots are content-addressed against the latest one: the first request after anything changed (a rule or a catalog
 * price, even back to what an older version had) mints the next version, and a version, once minted, never
 * changes. Versions only grow.
 */
export function createPricingSource(deps: { db: Db; clock: Clock; stores: PricingStores }) {
  const { db, stores } = deps;
  let rules: Rules | null = null;
  let latest: (ServedSnapshot & { key: string }) | null = null;
  const compiledSnapshots = new Map<number, CompiledPricing>();
  const deltas = new Map<string, PricingSnapshotDelta>();
  // The last two versions deltas led to, parsed: the one before the current is what most holders have.
  const recentTargets = new Map<number, PricingSnapshot>();

  async function revision(reader: Reader): Promise<number> {
    const [row] = await reader.query<{ revision: number | string }>(
      'SELECT revision FROM pricing_revision WHERE id = 1',
    );
    return asNumber(row!.revision);
  }

  async function currentRules(reader: Reader, known?: number): Promise<Rules> {
    const now = known ?? (await revision(reader));
    if (rules?.revision === now) return rules;
    // Read after the revision: the definitions are at least that new, so the cache is never older than its label.
    const priceLists = await stores.priceLists.list(reader);
    const promotions = await stores.promotions.list(reader);
    const taxRates = await stores.taxRates.list(reader);
    const shippingMethods = await stores.shippingMethods.list(reader);
    const loaded = {
      revision: now,
      compiled: compileRules({ priceLists, promotions, taxRates, shippingMethods }),
      priceLists,
      promotions,
      taxRates,
      shippingMethods,
    };
    if (!rules || rules.revision <= now) rules = loaded;
    return loaded;
  }

  async function products(reader: Reader, skus: readonly string[]): Promise<SnapshotProduct[]> {
    const unique = [...new Set(skus)];
    const skuList = placeholders(unique.length);
    return (await reader.query<ProductRow>(`${PRODUCT_COLUMNS} WHERE p.sku IN (${skuList})`, unique)).map(
      toSnapshotProduct,
    );
  }

  /** Limited promotions with no use left in total, in id order (a snapshot's content is compared by hash). */
  async function exhaustedInTotal(reader: Reader): Promise<string[]> {
    const rows = await reader.query<{ promotion_id: string }>(
      `SELECT promotion_id FROM promotion_usage
       WHERE usage_limit IS NOT NULL AND used >= usage_limit`,
    );
    // Sorted here, not by the database, whose collation may differ between engines.
    return rows.map((row) => row.promotion_id).sort();
  }

  /** Promotions this customer has used up. */
  async function exhaustedBy(reader: Reader, customerId: string): Promise<string[]> {
    const rows = await reader.query<{ promotion_id: string }>(
      `SELECT c.promotion_id FROM promotion_customer_usage c
       JOIN promotion_usage u ON u.promotion_id = c.promotion_id
       WHERE c.customer_id = $1 AND u.per_customer_limit IS NOT NULL AND c.used >= u.per_customer_limit`,
      [customerId],
    );
    return rows.map((row) => row.promotion_id);
  }

  /**
   * Serves the latest version if it has this content, else mints the next one. Only the latest is reused: a
   * change that is reverted mints a new version rather than serving an old number again, because
   * `versionAt` takes the highest version minted by an instant as the one in effect then.
   */
  async function mint(content: Omit<PricingSnapshot, 'version' | 'createdAt'>): Promise<ServedSnapshot> {
    const hash = contentHash(content);
    // Two instances minting at once: the loser's insert conflicts on the version; it looks again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const served = await db.transaction(async (tx) => {
        const [newest] = await tx.query<{ version: number | string; content_hash: string; body: string }>(
          'SELECT version, content_hash, body FROM pricing_snapshots ORDER BY version DESC LIMIT 1',
        );
        if (newest?.content_hash === hash) return { version: asNumber(newest.version), body: newest.body };
        const version = (newest ? asNumber(newest.version) : 0) + 1;
        const createdAt = deps.clock.now().toISOString();
        const body = JSON.stringify({ version, createdAt, ...content } satisfies PricingSnapshot);
        const inserted = await tx.execute(
          `INSERT INTO pricing_snapshots (version, content_hash, body, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [version, hash, body, createdAt],
        );
        return inserted === 1 ? { version, body } : null;
      });
      if (served) return served;
    }
    throw new Error('could not mint a pricing snapshot after 5 attempts');
  }

  /** A minted version's body, exactly as it was served; null if that version was never minted or is gone. */
  async function bodyOf(reader: Reader, version: number): Promise<string | null> {
    const [row] = await reader.query<{ body: string }>(BODY_OF_VERSION, [version]);
    return row?.body ?? null;
  }

  /**
   * The snapshot of what is live now, minting a new version if anything changed since the last one: a rule,
   * a product, or which limited promotions are used up in total (a use taking the last one, a release giving
   * one back, a limit changed), so a terminal or storefront on the snapshot leaves them out as quotes do.
   */
  async function latestSnapshot(): Promise<ServedSnapshot> {
    const [catalog] = await db.query<{ n: number | string; v: number | string }>(
      'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM products',
    );
    const usedUp = await exhaustedInTotal(db);
    const key = `${await revision(db)}/${catalog!.n}/${catalog!.v}/${usedUp.join(',')}`;
    if (latest?.key === key) return latest;
    const current = await currentRules(db);
    const all = (await db.query<ProductRow>(PRODUCT_COLUMNS)).map(toSnapshotProduct);
    const listed = new Set(current.promotions.map((promotion) => promotion.id));
    // In key order, as a delta applied gives it: a version built from deltas is this very snapshot.
    const served = await mint(
      inSnapshotOrder({
        products: all,
        priceLists: current.priceLists,
        promotions: current.promotions,
        taxRates: current.taxRates,
        // Only when there is one: a chain without shipping keeps the very snapshots (and hashes) it had.
        ...(current.shippingMethods.length > 0 ? { shippingMethods: current.shippingMethods } : {}),
        exhaustedPromotionIds: usedUp.filter((id) => listed.has(id)),
      }),
    );
    latest = { ...served, key };
    return served;
  }

  return {
    currentRules,
    products,

    /**
     * What a live quote needs besides its products, in one round trip when there is no customer: the rules of
     * the current revision, and the promotions used up (globally, or by that customer), which quotes leave out.
     */
    async live(
      reader: Reader,
      customerId: string | undefined,
    ): Promise<{ rules: Rules; exhausted: string[] }> {
      const rows = await reader.query<{ kind: string; value: string }>(
        `SELECT 'revision' AS kind, CAST(revision AS TEXT) AS value FROM pricing_revision WHERE id = 1
         UNION ALL
         SELECT 'exhausted' AS kind, promotion_id AS value FROM promotion_usage
         WHERE usage_limit IS NOT NULL AND used >= usage_limit`,
      );
      const exhausted = rows.filter((row) => row.kind === 'exhausted').map((row) => row.value);
      const current = await currentRules(reader, Number(rows.find((row) => row.kind === 'revision')!.value));
      if (customerId !== undefined) exhausted.push(...(await exhaustedBy(reader, customerId)));
      return { rules: current, exhausted };
    },

    latestSnapshot,
    bodyOf,

    /**
     * What changed from the version `since` to the current one (minting it if anything changed). Computed once
     * per pair of versions: every till on the same version asks for the same delta.
     */
    async delta(since: number): Promise<DeltaRead> {
      const served = await latestSnapshot();
      if (since >= served.version) return 'unchanged';
      const cacheKey = `${since}>${served.version}`;
      const cached = deltas.get(cacheKey);
      const parsedBase = recentTargets.get(since);
      // Whether `since` is still kept is asked every time, so every instance answers alike whatever it has
      // cached; the body only when it is not at hand already.
      const [row] = await db.query<{ body: string | null }>(
        cached || parsedBase
          ? 'SELECT NULL AS body FROM pricing_snapshots WHERE version = $1'
          : BODY_OF_VERSION,
        [since],
      );
      if (!row) return 'gone';
      if (cached) return cached;
      const base = parsedBase ?? (JSON.parse(row.body!) as PricingSnapshot);
      let target = recentTargets.get(served.version);
      if (!target) {
        target = JSON.parse(served.body) as PricingSnapshot;
        recentTargets.set(served.version, target);
        if (recentTargets.size > 2) recentTargets.delete(Math.min(...recentTargets.keys()));
      }
      const delta = diffSnapshots(base, target);
      if (deltas.size >= DELTA_CACHE_SIZE) deltas.delete(deltas.keys().next().value!);
      deltas.set(cacheKey, delta);
      return delta;
    },

    /** A minted snapshot, compiled; null if that version was never minted. */
    async snapshot(reader: Reader, version: number): Promise<CompiledPricing | null> {
      const cached = compiledSnapshots.get(version);
      if (cached) return cached;
      const body = await bodyOf(reader, version);
      if (body === null) return null;
      const compiled = compileSnapshot(JSON.parse(body) as PricingSnapshot);
      if (compiledSnapshots.size >= SNAPSHOT_CACHE_SIZE)
        compiledSnapshots.delete(compiledSnapshots.keys().next().value!);
      compiledSnapshots.set(version, compiled);
      return compiled;
    },

    /** The newest version minted at or before an instant: what a terminal that kept polling would have had. */
    async versionAt(reader: Reader, at: string): Promise<number | null> {
      const [row] = await reader.query<{ version: number | string | null }>(
        'SELECT MAX(version) AS version FROM pricing_snapshots WHERE created_at <= $1',
        [at],
      );
      return row?.version === null || row?.version === undefined ? null : asNumber(row.version);
    },
  };
}

export type PricingSource = ReturnType<typeof createPricingSource>;
