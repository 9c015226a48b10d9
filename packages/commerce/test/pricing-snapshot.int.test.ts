import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { createHttpApp, type ContextDeps, type ContextModule } from '@tillstream/kernel';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { createPricingSnapshotStore } from '../src/pricing/pricing-snapshot.store.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** Polls `check` until it answers truthy; the harness's clock is manual, real time only passes here. */
async function eventually<T>(check: () => Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`${what}: not within 10 s`);
}

describe.each(harnessDialects(pgUrl))(
  'the storefront’s pricing snapshot on a real %s database',
  (dialect) => {
    let commerce: ContextHarness;
    let deps: ContextDeps;
    const erp = fakeErp({ A: 50, B: 50 }, 1000);
    /** ERP's snapshot: a web price list sells A at 800, and an automatic promotion limited to one use. */
    const priced = (version: number, exhaustedPromotionIds?: string[]): PricingSnapshot => ({
      ...erp.pricing.snapshot,
      version,
      priceLists: [
        {
          id: 'web-sale',
          version: 1,
          name: 'Web sale',
          currency: 'EUR',
          priority: 10,
          channels: ['web'],
          prices: [{ sku: 'A', amount: 800 }],
        },
      ],
      promotions: [
        {
          id: 'while-it-lasts',
          version: 1,
          name: 'Half off while it lasts',
          priority: 0,
          stacking: 'stackable',
          target: { skus: ['B'] },
          limits: { totalUses: 1 },
          effect: { type: 'percent_off_lines', basisPoints: 5000 },
        },
        {
          id: 'once',
          version: 1,
          name: 'A coupon for one order',
          priority: 1,
          stacking: 'stackable',
          couponCodes: ['ONCE'],
          limits: { totalUses: 1 },
          effect: { type: 'amount_off_order', amount: 100 },
        },
      ],
      ...(exhaustedPromotionIds ? { exhaustedPromotionIds } : {}),
    });
    const build = (given: ContextDeps) => createCommerce({ ...given, cacheMaxAgeSeconds: 5, erp: erp.port });
    const inject = async (
      app: { inject: ContextHarness['app']['inject'] },
      method: 'GET' | 'POST',
      url: string,
      payload?: object,
    ) => {
      const response = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      return { status: response.statusCode, body: response.json() };
    };
    const cartQuote = async (app: { inject: ContextHarness['app']['inject'] }, sku: string) => {
      const cart = await inject(app, 'POST', '/commerce/v1/carts', {});
      return inject(app, 'POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku, quantity: 1 });
    };

    beforeAll(async () => {
      erp.pricing.snapshot = priced(1);
      commerce = await createContextHarness(
        (given) => {
          deps = given;
          return build(given);
        },
        { dialect, pgUrl, name: 'commerce' },
      );
      for (const [sku, version] of [
        ['A', 1],
        ['B', 1],
      ] as const)
        await commerce.deliver(
          'erp',
          foreignEvent('erp', 'erp.product.upserted', `product/${sku}`, version, {
            sku,
            name: sku,
            price: { amount: 1000, currency: 'EUR' },
            kind: 'standard',
            backorderable: false,
            version,
          }),
        );
    });
    afterAll(async () => commerce?.close());

    it('after a restart while ERP is unreachable, the catalog and carts show the price ERP last sent', async () => {
      const first = commerce.module;
      await first.start!();
      const shown = await eventually(async () => {
        const product = await inject(commerce.app, 'GET', '/commerce/v1/products/A');
        return product.body.price.amount === 800 ? product.body : null;
      }, 'the storefront shows ERP’s price');
      expect(shown.compareAtPrice).toEqual({ amount: 1000, currency: 'EUR' });
      expect((await cartQuote(commerce.app, 'A')).body.quote.totals.total).toBe(800);
      await first.stop!();

      erp.state.down = true;
      let restarted: ContextModule | undefined;
      const app = createHttpApp({
        logger: deps.logger,
        apiKeys: commerce.apiKeys,
        bodyLimitBytes: 1_048_576,
        maxUrlLength: 4096,
      });
      try {
        restarted = build(deps);
        await restarted.start!();
        await app.register(restarted.routes, { prefix: '/commerce/v1' });
        await app.ready();
        const product = await inject(app, 'GET', '/commerce/v1/products/A');
        expect(product.body).toMatchObject({
          price: { amount: 800, currency: 'EUR' },
          compareAtPrice: { amount: 1000, currency: 'EUR' },
        });
        const cart = await cartQuote(app, 'A');
        expect([cart.status, cart.body.quote?.totals.total]).toEqual([200, 800]);
      } finally {
        erp.state.down = false;
        await restarted?.stop?.();
        await app.close();
      }
    });

    it('keeps only a newer version than the one it holds', async () => {
      const store = createPricingSnapshotStore(commerce.db);
      const held = (await store.load())!;
      await store.keep({ ...held, version: held.version + 5 }, '2026-11-01T09:00:00.000Z');
      await store.keep({ ...held, version: held.version + 2, priceLists: [] }, '2026-11-01T09:00:01.000Z');
      const kept = (await store.load())!;
      expect([kept.version, kept.priceLists.length]).toEqual([held.version + 5, 1]);
    });

    it('a checkout refused for a used-up automatic promotion reads the snapshot again: the next attempt pays the full price', async () => {
      erp.pricing.snapshot = priced(100);
      const cart = await cartQuote(commerce.app, 'B');
      expect(cart.body.quote.totals.total).toBe(500);

      // Another order took the last use; ERP's next snapshot names the promotion used up.
      erp.state.redeem = () => ({ redeemed: false, promotionIds: ['while-it-lasts'] });
      erp.pricing.snapshot = priced(101, ['while-it-lasts']);
      const checkout = () =>
        inject(commerce.app, 'POST', `/commerce/v1/carts/${cart.body.id}/checkout`, {
          email: 'a@example.com',
          payment: { method: 'test' },
        });
      const refused = await checkout();
      expect([refused.status, refused.body.code, refused.body.couponCodes]).toEqual([
        409,
        'promotion_usage_exhausted',
        [],
      ]);

      // The manual clock stands still, so only the refusal made the storefront read the snapshot again.
      erp.state.redeem = () => ({ redeemed: true, promotionIds: [] });
      const quote = await inject(commerce.app, 'GET', `/commerce/v1/carts/${cart.body.id}`);
      expect([quote.body.quote.promotions, quote.body.quote.totals.total]).toEqual([[], 1000]);
      const placed = await checkout();
      expect([placed.status, placed.body.total]).toEqual([201, 1000]);
    });

    it('a checkout ERP refuses for a coupon the quote already showed used up names that coupon to drop', async () => {
      erp.pricing.snapshot = priced(200, ['once']);
      erp.state.redeem = () => ({ redeemed: false, promotionIds: ['once'] });
      // Past the storefront's refresh interval: the next quote reads the snapshot that names the coupon used up.
      commerce.clock.advance(5_000);
      try {
        const cart = await cartQuote(commerce.app, 'B');
        const id = cart.body.id as string;
        const withCoupon = await inject(commerce.app, 'POST', `/commerce/v1/carts/${id}/coupons`, {
          code: 'once',
        });
        expect(withCoupon.body.quote.coupons).toEqual([
          { code: 'ONCE', status: 'exhausted', promotionId: 'once' },
        ]);
        const refused = await inject(commerce.app, 'POST', `/commerce/v1/carts/${id}/checkout`, {
          email: 'a@example.com',
          payment: { method: 'test' },
        });
        expect([refused.status, refused.body.promotionIds, refused.body.couponCodes]).toEqual([
          409,
          ['once'],
          ['ONCE'],
        ]);
      } finally {
        erp.state.redeem = () => ({ redeemed: true, promotionIds: [] });
      }
    });

    it('re-reads ask with the version held: nothing comes back while ERP keeps it, a new version is adopted and kept', async () => {
      erp.pricing.snapshot = priced(300);
      commerce.clock.advance(5_000);
      const cart = await cartQuote(commerce.app, 'A');
      expect(cart.body.quote.totals.total).toBe(800);
      const total = async () =>
        (await inject(commerce.app, 'GET', `/commerce/v1/carts/${cart.body.id}`)).body.quote.totals.total;

      const before = { ...erp.snapshotReads };
      for (let read = 0; read < 2; read += 1) {
        commerce.clock.advance(5_000);
        expect(await total()).toBe(800);
      }
      expect(erp.snapshotReads).toEqual({ sent: before.sent, unchanged: before.unchanged + 2 });

      // ERP's next version drops the web sale: the storefront takes it, and keeps it for a restart.
      erp.pricing.snapshot = { ...priced(301), priceLists: [] };
      commerce.clock.advance(5_000);
      expect(await total()).toBe(1000);
      expect(erp.snapshotReads.sent).toBe(before.sent + 1);
      expect((await createPricingSnapshotStore(commerce.db).load())?.version).toBe(301);
    });
  },
);
