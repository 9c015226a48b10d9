import type { PricingSnapshot, ShippingMethod, TaxRate } from '@tillstream/contracts';
import { unavailable } from '@tillstream/kernel';
import type { ErpPort, RedeemRequest, RedeemResult } from '../src/index.js';

/**
 * An in-memory ERP: stock per SKU, all-or-nothing holds, and a switch to make it unreachable. `pricing`: the
 * delivery methods and tax rates its snapshot carries besides the products (none by default: a chain that
 * does not ship online). As ERP's does, the snapshot holds `shippingMethods` only when there is one.
 */
export function fakeErp(
  stock: Record<string, number>,
  price = 500,
  pricingRules: { shippingMethods?: ShippingMethod[]; taxRates?: TaxRate[] } = {},
) {
  /** The locations ERP knows (returns may name only these). */
  const locations = new Set(['wh', 'store-1']);
  const holds = new Map<string, { lines: Array<{ sku: string; quantity: number }>; status: string }>();
  /** `now`: the clock holds expire by (tests point it at the harness clock). */
  /**
   * `redeem`: ERP's answer to a redemption (a test of limited promotions sets it; by default nothing is
   * limited, so nothing is counted).
   */
  const state = {
    down: false,
    now: () => new Date('2026-11-01T09:00:00.000Z'),
    redeem: (_request: RedeemRequest): RedeemResult => ({ redeemed: true, promotionIds: [] }),
  };
  const check = () => {
    if (state.down) throw unavailable('service_unavailable', 'ERP unreachable', { retryAfterSeconds: 1 });
  };
  /** What ERP serves as its pricing snapshot; a test replaces it to publish a new version. */
  const pricing: { snapshot: PricingSnapshot } = {
    snapshot: {
      version: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      products: Object.keys(stock).map((sku) => ({
        sku,
        price: { amount: price, currency: 'EUR' },
        taxCategory: 'standard',
        categories: [],
      })),
      priceLists: [],
      promotions: [],
      taxRates: pricingRules.taxRates ?? [],
      ...(pricingRules.shippingMethods?.length ? { shippingMethods: pricingRules.shippingMethods } : {}),
    },
  };
  /** How ERP answered snapshot reads: with the body, or `unchanged` (its 304) to the version it serves. */
  const snapshotReads = { sent: 0, unchanged: 0 };
  const port: ErpPort = {
    async pricingSnapshot(held) {
      check();
      if (held?.version === pricing.snapshot.version) {
        snapshotReads.unchanged += 1;
        return 'unchanged';
      }
      snapshotReads.sent += 1;
      return pricing.snapshot;
    },
    async hold(request) {
      check();
      const short = request.lines.filter((line) => (stock[line.sku] ?? 0) < line.quantity);
      if (short.length > 0) return { held: false, lines: short.map((line) => ({ sku: line.sku })) };
      for (const line of request.lines) stock[line.sku]! -= line.quantity;
      holds.set(request.id, { lines: request.lines, status: 'held' });
      const expiresAt = new Date(state.now().getTime() + request.expiresInSeconds * 1000).toISOString();
      return { held: true, expiresAt };
    },
    async commit(id) {
      check();
      holds.get(id)!.status = 'committed';
    },
    async release(id) {
      check();
      const hold = holds.get(id);
      if (!hold || hold.status !== 'held') return;
      hold.status = 'released';
      for (const line of hold.lines) stock[line.sku]! += line.quantity;
    },
    async redeem(request) {
      check();
      return state.redeem(request);
    },
    async releaseRedemption() {
      check();
    },
    async locationExists(locationId) {
      check();
      return locations.has(locationId);
    },
  };
  /** What ERP's hold sweeper does to a hold past its expiry: the units go back to stock. */
  const expire = (id: string) => {
    const hold = holds.get(id);
    if (!hold || hold.status !== 'held') return;
    hold.status = 'expired';
    for (const line of hold.lines) stock[line.sku]! += line.quantity;
  };
  return { port, stock, holds, state, expire, locations, pricing, snapshotReads };
}
