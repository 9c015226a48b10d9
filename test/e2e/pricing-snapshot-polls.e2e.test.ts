import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { ok } from '../support/pricing.js';
import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';
import { applySnapshotDelta } from '@tillstream/pricing';

/** The storefront and POS re-read the snapshot this often here (1 s by default), so the test need not wait long. */
const REFRESH_MS = 250;
/** Longer than that, with room for a slow machine. */
const PAST_REFRESH_MS = REFRESH_MS + 300;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The snapshot is the whole catalog's prices: commerce and POS re-read it every TILLSTREAM_PRICING_REFRESH_MS, so they ask for
 * what changed since the version they hold. ERP answers 204 while nothing did, and then only the change; the
 * whole snapshot is never sent again. Counted from ERP's request metrics: on the embedded engine the calls are
 * in-process, on scale-out over HTTP; both pass through ERP's routes and are counted there.
 */
describe.each(ENGINES)('pricing snapshot re-reads send only what changed (%s)', (engine) => {
  let platform: TestPlatform;
  let sku: string;
  beforeAll(async () => {
    platform = await startPlatform(engine, { env: { TILLSTREAM_PRICING_REFRESH_MS: String(REFRESH_MS) } });
    sku = uniqueName('POLL');
    await setPrice(1000);
    // A product that does not change, so a delta is seen to leave it out.
    ok(
      await platform.request('PUT', `/erp/v1/products/${uniqueName('STILL')}`, {
        name: 'Unchanged tee',
        price: { amount: 500, currency: 'EUR' },
      }),
      'product',
    );
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${sku}`)).status === 200,
      20_000,
      'the storefront knows the product',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  const setPrice = async (amount: number) =>
    ok(
      await platform.request('PUT', `/erp/v1/products/${sku}`, {
        name: 'Polled tee',
        price: { amount, currency: 'EUR' },
      }),
      'product',
    );

  /** ERP's answers so far to the whole snapshot and to the delta reads, by status, from `http_requests_total`. */
  const snapshotAnswers = async () => {
    const metrics = (await platform.request('GET', '/metrics')).body as string;
    const count = (route: string, status: number) =>
      metrics
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('http_requests_total{') &&
            line.includes('method="GET"') &&
            line.includes(`route="${route}"`) &&
            line.includes(`status_code="${status}"`),
        )
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    return {
      whole: count('/erp/v1/pricing/snapshot', 200),
      deltas: count('/erp/v1/pricing/snapshot/delta', 200),
      nothingNewer: count('/erp/v1/pricing/snapshot/delta', 204),
    };
  };
  type Answers = Awaited<ReturnType<typeof snapshotAnswers>>;
  const since = async (before: Answers): Promise<Answers> => {
    const now = await snapshotAnswers();
    return {
      whole: now.whole - before.whole,
      deltas: now.deltas - before.deltas,
      nothingNewer: now.nothingNewer - before.nothingNewer,
    };
  };

  /** A cart quote, which re-reads ERP's snapshot once more than REFRESH_MS has passed since the last read. */
  const cartTotal = async (cartId: string) =>
    ok(await platform.request('GET', `/commerce/v1/carts/${cartId}`), 'cart').quote.totals.total as number;

  it("commerce's repeated reads get 204s while nothing changes, and only the change once a price does", async () => {
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    ok(await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 2 }), 'line');
    expect(await cartTotal(cart.id)).toBe(2000);

    const quiet = await snapshotAnswers();
    for (let read = 0; read < 3; read += 1) {
      await pause(PAST_REFRESH_MS);
      expect(await cartTotal(cart.id)).toBe(2000);
    }
    const unchanged = await since(quiet);
    expect(unchanged).toMatchObject({ whole: 0, deltas: 0 });
    expect(unchanged.nothingNewer).toBeGreaterThanOrEqual(3);

    const beforeChange = await snapshotAnswers();
    await setPrice(1200);
    await eventually(async () => (await cartTotal(cart.id)) === 2400, 20_000, 'the cart priced anew');
    const changed = await since(beforeChange);
    expect(changed.whole).toBe(0);
    expect(changed.deltas).toBeGreaterThanOrEqual(1);

    // The new version is the one now held: reads ask from it and get 204s again.
    const settled = await snapshotAnswers();
    for (let read = 0; read < 2; read += 1) {
      await pause(PAST_REFRESH_MS);
      expect(await cartTotal(cart.id)).toBe(2400);
    }
    const afterwards = await since(settled);
    expect(afterwards).toMatchObject({ whole: 0, deltas: 0 });
    expect(afterwards.nothingNewer).toBeGreaterThanOrEqual(2);
  });

  it('POS re-reads for its terminals get 204s while nothing changes, and hands its terminals only the change', async () => {
    const served = async () => {
      const answer = await platform.request('GET', '/pos/v1/pricing/snapshot');
      return ok(answer, 'POS snapshot') as { version: number; products: Array<{ sku: string }> };
    };
    const first = await served();
    expect(first.products.map((product) => product.sku)).toContain(sku);

    const quiet = await snapshotAnswers();
    for (let read = 0; read < 2; read += 1) {
      await pause(PAST_REFRESH_MS);
      // A terminal without the snapshot still gets all of it: POS kept what ERP did not send again.
      expect(await served()).toEqual(first);
    }
    const reads = await since(quiet);
    expect(reads).toMatchObject({ whole: 0, deltas: 0 });
    expect(reads.nothingNewer).toBeGreaterThanOrEqual(2);

    const catalog = ok(await platform.request('GET', '/pos/v1/catalog'), 'catalog') as { revision: number };
    const beforeChange = await snapshotAnswers();
    await setPrice(1300);
    const changed = await eventually(
      async () => {
        const snapshot = await served();
        return snapshot.version > first.version ? snapshot : null;
      },
      20_000,
      'POS serves the new version',
    );
    expect(changed.products.find((product) => product.sku === sku)).toMatchObject({
      price: { amount: 1300, currency: 'EUR' },
    });
    expect((await since(beforeChange)).whole).toBe(0);

    // A terminal on the first version gets only the change, which gives it the version POS serves.
    const delta = ok(
      await platform.request('GET', `/pos/v1/pricing/snapshot/delta?since=${first.version}`),
      'delta',
    ) as PricingSnapshotDelta;
    expect(delta.products.upserted.map((product) => product.sku)).toContain(sku);
    expect(delta.products.upserted.length).toBeLessThan(first.products.length);
    expect(applySnapshotDelta(first as unknown as PricingSnapshot, delta)).toEqual(await served());

    // Its catalog, likewise: the product whose price changed, not the catalog again.
    const catalogChanges = await eventually(
      async () => {
        const answer = ok(
          await platform.request('GET', `/pos/v1/catalog/changes?since=${catalog.revision}`),
          'catalog changes',
        ) as { products: Array<{ sku: string; price: { amount: number } }>; revision: number };
        return answer.products.some((product) => product.sku === sku) ? answer : null;
      },
      20_000,
      'POS lists the changed product',
    );
    expect(catalogChanges.products).toContainEqual({
      sku,
      name: 'Polled tee',
      price: { amount: 1300, currency: 'EUR' },
      barcodes: [],
      status: 'active',
    });
    // Not the whole catalog again (the test's platform may hold other files' products too).
    const wholeCatalog = ok(await platform.request('GET', '/pos/v1/catalog'), 'catalog') as {
      products: unknown[];
    };
    expect(catalogChanges.products.length).toBeLessThan(wholeCatalog.products.length);
    expect(catalogChanges.revision).toBeGreaterThan(catalog.revision);
  });
});
