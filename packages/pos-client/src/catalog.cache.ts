import { applySnapshotDelta, compileSnapshot, type CompiledPricing } from '@tillstream/pricing';
import { gtin14, isGtinShaped, type PricingSnapshot, type PricingSnapshotDelta } from '@tillstream/contracts';
import { priceCart, type CartLine, type PricedCart } from './cart.js';
import { NetworkError, type HttpPort } from './http.port.js';
import type { TerminalStorage } from './storage.port.js';
import { mergeCatalogChanges } from './catalog.merge.js';
import { keptSnapshot } from './snapshot.decide.js';
import type { CatalogProduct, StoreFacts } from './wire.js';

/** The products by the GTIN-14 of each of their barcodes. */
function barcodeIndex(products: readonly CatalogProduct[]): Map<string, CatalogProduct> {
  const index = new Map<string, CatalogProduct>();
  for (const product of products)
    for (const code of product.barcodes ?? []) if (isGtinShaped(code)) index.set(gtin14(code), product);
  return index;
}

/** The catalog as the till keeps it: its ETag, and the revision it is complete up to (from POS's that send one). */
interface HeldCatalog {
  etag: string | null;
  products: CatalogProduct[];
  revision?: number;
}

/**
 * What the terminal sells from, offline: the catalog, the pricing snapshot and its store's facts (cash rounding)
 * it last downloaded, kept in its storage so a restart without network still prices and rounds exactly as before.
 */
export async function openCatalogCache(deps: {
  storage: TerminalStorage;
  http: HttpPort;
  terminalId: string;
  storeId: string;
  /** Told of every contact: true after any answer, false after a request that got none. */
  reached: (online: boolean) => void;
}) {
  const { storage, http } = deps;
  let catalog = (await storage.get<HeldCatalog>('catalog')) ?? { etag: null, products: [] };
  let snapshot = (await storage.get<PricingSnapshot | null>('snapshot')) ?? null;
  let store = (await storage.get<StoreFacts | null>('store')) ?? null;
  let compiled: CompiledPricing | null = snapshot ? compileSnapshot(snapshot) : null;
  let bySku = new Map(catalog.products.map((product) => [product.sku, product]));
  let byBarcode = barcodeIndex(catalog.products);

  async function get(path: string, etag: string | null) {
    try {
      const response = await http.request('GET', path, etag ? { headers: { 'if-none-match': etag } } : {});
      deps.reached(true);
      return response;
    } catch (error) {
      if (error instanceof NetworkError) deps.reached(false);
      throw error;
    }
  }

  /**
   * The catalog again, or null when nothing changed. Holding a revision, the till asks only for the products
   * changed since it; the whole catalog (conditionally on its ETag) when it holds none, or POS does not know it
   * (410: its database was replaced) or is older and has no such route (404). `changed`: a product did.
   */
  async function fetchCatalog(): Promise<{ catalog: HeldCatalog; changed: boolean } | null> {
    let etag = catalog.etag;
    if (catalog.revision !== undefined) {
      const answer = await get(`/pos/v1/catalog/changes?since=${catalog.revision}`, null);
      if (answer.status === 200) {
        const { products, revision } = answer.body as { products: CatalogProduct[]; revision: number };
        if (products.length === 0 && revision === catalog.revision) return null;
        const merged = mergeCatalogChanges(catalog.products, products);
        // The ETag named the catalog before these changes (and a till holding a revision never sends it).
        return { catalog: { etag: null, products: merged, revision }, changed: products.length > 0 };
      }
      if (answer.status !== 410 && answer.status !== 404) return null;
      etag = null;
    }
    const whole = await get('/pos/v1/catalog', etag);
    if (whole.status !== 200) return null;
    const { products, revision } = whole.body as { products: CatalogProduct[]; revision?: number };
    return {
      catalog: { etag: whole.header('etag'), products, ...(revision !== undefined ? { revision } : {}) },
      changed: true,
    };
  }

  /**
   * A newer pricing snapshot than the one held, or null. Holding one, the till asks only for what changed since
   * its version (a price change costs its own bytes, not the whole catalog's); the whole snapshot when it holds
   * none, or POS no longer has a delta from its version (410), or is older and has no delta route (404).
   */
  async function fetchSnapshot(): Promise<PricingSnapshot | null> {
    if (snapshot) {
      const changes = await get(`/pos/v1/pricing/snapshot/delta?since=${snapshot.version}`, null);
      if (changes.status === 200) {
        const delta = changes.body as PricingSnapshotDelta;
        if (delta.baseVersion === snapshot.version) return applySnapshotDelta(snapshot, delta);
      } else if (changes.status !== 410 && changes.status !== 404) return null;
    }
    const whole = await get('/pos/v1/pricing/snapshot', snapshot ? `"${snapshot.version}"` : null);
    return whole.status === 200 ? (whole.body as PricingSnapshot) : null;
  }

  /**
   * The store's facts as POS has them now, or null to keep those held: unchanged, or a POS from before it served
   * them (404), which knew no cash rounding.
   */
  async function fetchStore(): Promise<StoreFacts | null> {
    const answer = await get(`/pos/v1/stores/${encodeURIComponent(deps.storeId)}`, null);
    const facts = answer.body as StoreFacts | null;
    if (answer.status !== 200 || typeof facts?.version !== 'number') return null;
    const same =
      store !== null &&
      store.version === facts.version &&
      store.cashRoundingIncrement === facts.cashRoundingIncrement;
    return same ? null : facts;
  }

  /**
   * The product a scan or a typed code names exactly: the one whose barcode it is, in whichever GTIN form the
   * scanner sends, else the one whose SKU it is; whatever its status. Null when no product has that code.
   */
  const lookup = (code: string): CatalogProduct | null => {
    const typed = code.trim();
    if (!typed) return null;
    return (isGtinShaped(typed) ? byBarcode.get(gtin14(typed)) : undefined) ?? bySku.get(typed) ?? null;
  };

  return {
    bySku: () => bySku,
    products: (): readonly CatalogProduct[] => catalog.products,
    snapshotVersion: () => snapshot?.version ?? null,
    /** The store's cash rounding increment as last downloaded; null: it does not round (or not known yet). */
    cashRoundingIncrement: (): number | null => store?.cashRoundingIncrement ?? null,
    /**
     * Downloads what changed (ETags) and stores it in one commit. Answers the highest shift number the server
     * has seen from this terminal, so a reinstalled one does not number receipts it already used.
     */
    async refresh(): Promise<{
      catalogChanged: boolean;
      snapshotVersion: number | null;
      serverShiftSeq: number;
    }> {
      const state: Record<string, unknown> = {};
      const products = await fetchCatalog();
      if (products) {
        catalog = products.catalog;
        bySku = new Map(catalog.products.map((product) => [product.sku, product]));
        byBarcode = barcodeIndex(catalog.products);
        state.catalog = catalog;
      }
      const received = await fetchSnapshot();
      if (received && keptSnapshot(snapshot, received) === received) {
        snapshot = received;
        compiled = compileSnapshot(snapshot);
        state.snapshot = snapshot;
      }
      const facts = await fetchStore();
      if (facts) {
        store = facts;
        state.store = store;
      }
      const self = await get(`/pos/v1/terminals/${encodeURIComponent(deps.terminalId)}`, null);
      if (Object.keys(state).length > 0) await storage.commit({ state });
      return {
        catalogChanged: products?.changed ?? false,
        snapshotVersion: snapshot?.version ?? null,
        serverShiftSeq: self.status === 200 ? (self.body as { lastShiftSeq: number }).lastShiftSeq : 0,
      };
    },
    lookup,
    /**
     * Catalog products whose SKU or name contains the query (case-insensitive), of those offered for sale; a
     * product scanned or its SKU typed first, whatever its status: a unit still on the shelf of a discontinued
     * product may be sold off, and one brought back is taken back.
     */
    search(query: string, limit = 20): CatalogProduct[] {
      const needle = query.trim().toLowerCase();
      const offered = catalog.products.filter(isOffered);
      if (!needle) return offered.slice(0, limit);
      const exact = lookup(query);
      const matches = offered.filter(
        (product) =>
          product !== exact &&
          (product.sku.toLowerCase().includes(needle) || product.name.toLowerCase().includes(needle)),
      );
      return [...(exact ? [exact] : []), ...matches].slice(0, limit);
    },
    price(input: {
      lines: readonly CartLine[];
      currency: string;
      storeId: string;
      at: string;
      couponCodes?: string[];
    }): PricedCart {
      return priceCart(compiled, bySku, input);
    },
  };
}

export type CatalogCache = Awaited<ReturnType<typeof openCatalogCache>>;

/**
 * Whether a till offers the product: ERP has it `active`. A catalog from a POS older than statuses says none,
 * which meant every product was for sale.
 */
export const isOffered = (product: CatalogProduct): boolean => (product.status ?? 'active') === 'active';
