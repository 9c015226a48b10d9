/**
 * A free-shipping coupon on the whole platform: ERP defines it (limited to one use), the storefront's quote
 * waives the delivery with it, checkout takes its one use in ERP, the next shopper is told it is used up and
 * pays for delivery, and analytics counts the use and what it waived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import { ok, startPricingPlatform, usageOf } from '../support/pricing.js';
import { cartWithDelivery, seedWebShop, type WebShop } from '../support/delivery.js';

describe.each(ENGINES)('a free-shipping coupon (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: WebShop;
  const promotionId = uniqueName('freeship');
  const code = uniqueName('FREESHIP');
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  /** A cart of one 12.10 tee to the address by the method, with the coupon entered; its answer once priced. */
  const cartWithCoupon = async () => {
    const cartId = await cartWithDelivery(platform, shop);
    return ok(await platform.request('POST', `/commerce/v1/carts/${cartId}/coupons`, { code }), 'coupon');
  };
  const checkout = async (cartId: string) =>
    platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'sanne@example.com',
      payment: { method: 'test' },
    });

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    shop = await seedWebShop(platform);
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
        name: 'Free delivery, once',
        priority: 0,
        stacking: 'stackable',
        channels: ['web'],
        couponCodes: [code],
        limits: { totalUses: 1 },
        effect: { type: 'free_shipping', methodIds: [shop.methodId] },
      }),
      'promotion',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it(
    'waives the delivery once, counted in ERP, and charges the next shopper',
    { timeout: 120_000 },
    async () => {
      const first = await eventually(
        async () => {
          const cart = await cartWithCoupon();
          return cart.quote?.shipping?.total === 0 ? cart : null;
        },
        30_000,
        'the storefront prices with the coupon',
      );
      expect(first.quote.shipping).toMatchObject({ amount: 495, discountAmount: 495, total: 0, promotionId });
      expect(first.quote.totals.total).toBe(1210);
      // The options the shopper chooses from say so too.
      const { options } = ok(
        await platform.request('GET', `/commerce/v1/carts/${first.id}/shipping-options?country=NL`),
        'options',
      );
      expect(options).toEqual([expect.objectContaining({ methodId: shop.methodId, total: 0, promotionId })]);

      const order = ok(await checkout(first.id), 'checkout');
      expect(order).toMatchObject({
        total: 1210,
        shipping: { amount: 0, promotions: [{ promotionId, amount: 495 }] },
      });
      expect(await usageOf(platform, promotionId)).toBe(1);

      // The one use is taken: the next cart is told so, and pays for its delivery.
      const second = await eventually(
        async () => {
          const cart = await cartWithCoupon();
          return cart.quote?.coupons?.[0]?.status === 'exhausted' ? cart : null;
        },
        30_000,
        'the storefront learns the coupon is used up',
      );
      expect(second.quote.shipping).toMatchObject({ total: 495 });
      expect(ok(await checkout(second.id), 'second checkout')).toMatchObject({
        total: 1705,
        shipping: { amount: 495 },
      });
      expect(await usageOf(platform, promotionId)).toBe(1);
    },
  );

  it('is counted by analytics with what it waived, and no units', { timeout: 60_000 }, async () => {
    const usage = await eventually(
      async () => {
        const { status, body } = await platform.request(
          'GET',
          `/analytics/v1/promotions?from=${day(-1)}&to=${day(1)}`,
        );
        return status === 200 && body.promotions.length > 0 ? body.promotions : null;
      },
      30_000,
      'analytics counts the promotion',
    );
    expect(usage).toEqual([{ promotionId, currency: 'EUR', uses: 1, units: 0, discount: 495 }]);
  });

  it('is published in erp.promotion.changed v2 only: v1 cannot state it', async () => {
    const events = await eventually(
      async () => {
        const found = (await hubEvents(platform, 'erp.promotion.changed')).filter(
          (event) => event.data.promotionId === promotionId,
        );
        return found.length > 0 ? found : null;
      },
      20_000,
      'the hub lists the promotion',
    );
    expect(events.map((event) => [event.dataschema, event.data.promotion.effect.type])).toEqual([
      ['urn:tillstream:event:erp.promotion.changed:v2', 'free_shipping'],
    ]);
  });

  it('refuses a free-shipping promotion that names no method, or an unknown effect field', async () => {
    const answer = await platform.request('PUT', `/erp/v1/promotions/${uniqueName('bad')}`, {
      name: 'Bad',
      priority: 0,
      stacking: 'stackable',
      effect: { type: 'free_shipping', methodIds: [] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    const extra = await platform.request('PUT', `/erp/v1/promotions/${uniqueName('bad')}`, {
      name: 'Bad',
      priority: 0,
      stacking: 'stackable',
      effect: { type: 'free_shipping', amount: 100 },
    });
    expect(extra.status).toBe(400);
  });
});
