import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { PricingSnapshot } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents } from '../support/fixtures.js';
import { limitedCoupon, ok, seedPriced as seed, startPricingPlatform, usageOf } from '../support/pricing.js';

/** Units of `sku` at a warehouse of the test's own: the `web` channel holds from every warehouse. */
async function stockForWeb(platform: TestPlatform, sku: string, units: number) {
  const warehouseId = uniqueName('wh');
  ok(
    await platform.request('PUT', `/erp/v1/locations/${warehouseId}`, { name: 'Web', kind: 'warehouse' }),
    'warehouse',
  );
  ok(
    await platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('receipt'),
      sku,
      locationId: warehouseId,
      delta: units,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    }),
    'stock',
  );
}

describe.each(ENGINES)('promotion limits online: checkout and redemptions (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  it('100 concurrent orders redeeming a coupon limited to 10 uses: exactly 10 get it', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    const code = uniqueName('LIMITED');
    const promotionId = `${code}-promo`;
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
        name: 'First ten',
        priority: 0,
        stacking: 'stackable',
        couponCodes: [code],
        limits: { totalUses: 10 },
        effect: { type: 'percent_off_lines', basisPoints: 2000 },
      }),
      'promotion',
    );
    const order = () => ({
      id: uuidv7(),
      channel: 'web',
      currency: 'EUR',
      couponCodes: [code],
      lines: [{ sku: skus.A, quantity: 1 }],
    });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => platform.request('POST', '/erp/v1/redemptions', order())),
    );
    const redeemed = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(redeemed.length).toBe(10);
    expect(refused.length).toBe(90);
    for (const answer of refused)
      expect(answer.body).toMatchObject({ code: 'promotion_usage_exhausted', promotionIds: [promotionId] });
    for (const answer of redeemed)
      expect(answer.body).toMatchObject({
        status: 'redeemed',
        promotionIds: [promotionId],
        quote: { totals: { net: 800 } },
      });
    const usage = await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`);
    expect(usage.body).toEqual({ promotionId, used: 10, limit: 10, perCustomerLimit: null });

    const quoted = await platform.request('POST', '/erp/v1/quotes', { ...order(), id: undefined });
    expect(quoted.body.coupons).toEqual([{ code: code.toUpperCase(), status: 'exhausted', promotionId }]);

    const released = await platform.request('POST', `/erp/v1/redemptions/${redeemed[0]!.body.id}/release`);
    expect(released.body.status).toBe('released');
    const after = await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`);
    expect(after.body.used).toBe(9);
    const usageEvents = await eventually(
      async () => {
        const found = (await hubEvents(platform, 'erp.promotion_usage.changed')).filter(
          (event) => event.data.promotionId === promotionId,
        );
        return found.length === 11 ? found : null;
      },
      20_000,
      'the hub lists 10 uses and a release',
    );
    expect(usageEvents.map((event) => event.sequence).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 11 }, (_, index) => index + 1),
    );
  });

  it('the same redemption sent 20 times at once, across ERP processes: one 201, the rest replay it, one use', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const { promotionId: roomy, code: roomyCode } = await limitedCoupon(platform, 100, 1000);
    const order = {
      id: uuidv7(),
      channel: 'web',
      currency: 'EUR',
      couponCodes: [code, roomyCode],
      lines: [{ sku: skus.A, quantity: 1 }],
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => platform.request('POST', '/erp/v1/redemptions', order)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    const first = answers.find((answer) => answer.status === 201)!.body;
    for (const answer of answers) expect(answer.body).toEqual(first);
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect(await usageOf(platform, roomy)).toBe(1);

    const other = await platform.request('POST', '/erp/v1/redemptions', {
      ...order,
      couponCodes: [roomyCode],
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('id_conflict');
  });

  /** A web cart with one unit of `sku` and `code`, once the storefront's snapshot knows the coupon. */
  const webCartWith = async (sku: string, code: string) => {
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    ok(await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 1 }), 'line');
    ok(await platform.request('POST', `/commerce/v1/carts/${cart.id}/coupons`, { code }), 'coupon');
    await eventually(
      async () =>
        (await platform.request('GET', `/commerce/v1/carts/${cart.id}`)).body.quote?.coupons[0]?.status ===
        'applied',
      20_000,
      'the storefront applies the coupon',
    );
    return cart.id as string;
  };
  const checkout = (cartId: string, payment: Record<string, unknown> = { method: 'test' }) =>
    platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'shopper@example.com',
      payment,
    });

  it('concurrent storefront checkouts with a coupon limited to one use: exactly one discounted order', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    await stockForWeb(platform, skus.A, 10);
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const carts: string[] = [];
    for (let index = 0; index < 5; index += 1) carts.push(await webCartWith(skus.A, code));

    const answers = await Promise.all(carts.map((cartId) => checkout(cartId)));
    const placed = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(placed[0]!.body).toMatchObject({ status: 'placed', total: 500 });
    for (const answer of refused)
      expect(answer.body).toMatchObject({
        code: 'promotion_usage_exhausted',
        promotionIds: [promotionId],
        couponCodes: [code.toUpperCase()],
      });
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect((await platform.request('GET', `/erp/v1/redemptions/${placed[0]!.body.id}`)).body).toMatchObject({
      source: 'order',
      status: 'redeemed',
      promotionIds: [promotionId],
    });

    // A refused cart is open again; without the coupon it checks out at the full price.
    const again = carts[answers.indexOf(refused[0]!)]!;
    const dropped = ok(
      await platform.request('DELETE', `/commerce/v1/carts/${again}/coupons/${code.toUpperCase()}`),
      'drop the coupon',
    );
    expect([dropped.couponCodes, dropped.quote.totals.total]).toEqual([[], 1000]);
    const order = await checkout(again);
    expect([order.status, order.body.total]).toEqual([201, 1000]);
    expect(await usageOf(platform, promotionId)).toBe(1);
  });

  /** An automatic promotion (no coupon) taking half off `sku`, limited to `totalUses` in all. */
  const limitedAutomatic = async (sku: string, totalUses: number) => {
    const promotionId = uniqueName('while-it-lasts');
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
        name: 'Half off while it lasts',
        priority: 0,
        stacking: 'stackable',
        target: { skus: [sku] },
        limits: { totalUses },
        effect: { type: 'percent_off_lines', basisPoints: 5000 },
      }),
      'promotion',
    );
    return promotionId;
  };
  /** A web cart with one unit of `sku`, once the storefront's quote applies `promotionId`. */
  const webCartApplying = async (sku: string, promotionId: string) => {
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    ok(await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 1 }), 'line');
    await eventually(
      async () =>
        (await platform.request('GET', `/commerce/v1/carts/${cart.id}`)).body.quote?.promotions.some(
          (entry: { promotionId: string }) => entry.promotionId === promotionId,
        ),
      20_000,
      'the storefront applies the promotion',
    );
    return cart.id as string;
  };
  const appliedIn = (quote: { promotions: Array<{ promotionId: string }> }) =>
    quote.promotions.map((entry) => entry.promotionId);

  it('a used-up automatic promotion leaves the storefront and the tills with the next snapshot: the next cart pays the full price', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    await stockForWeb(platform, skus.A, 10);
    const promotionId = await limitedAutomatic(skus.A, 1);
    const first = await webCartApplying(skus.A, promotionId);
    const second = await webCartApplying(skus.A, promotionId);
    const before = ok(
      await platform.request('GET', '/erp/v1/pricing/snapshot'),
      'snapshot',
    ) as PricingSnapshot;
    expect(before.exhaustedPromotionIds ?? []).not.toContain(promotionId);

    const placed = await checkout(first);
    expect([placed.status, placed.body.total]).toEqual([201, 500]);
    expect(await usageOf(platform, promotionId)).toBe(1);

    // The last use taken mints a new version that names the promotion used up, for every channel.
    const after = ok(
      await platform.request('GET', '/erp/v1/pricing/snapshot'),
      'snapshot',
    ) as PricingSnapshot;
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.exhaustedPromotionIds).toContain(promotionId);
    await eventually(
      async () =>
        (
          (await platform.request('GET', '/pos/v1/pricing/snapshot')).body as PricingSnapshot
        ).exhaustedPromotionIds?.includes(promotionId),
      20_000,
      'the tills’ snapshot names the promotion used up',
    );

    const quote = await eventually(
      async () => {
        const cart = (await platform.request('GET', `/commerce/v1/carts/${second}`)).body;
        return appliedIn(cart.quote).includes(promotionId) ? null : cart.quote;
      },
      20_000,
      'the storefront leaves the used-up promotion out',
    );
    expect(quote.totals.total).toBe(1000);
    const order = await checkout(second);
    expect([order.status, order.body.total]).toEqual([201, 1000]);
    expect(await usageOf(platform, promotionId)).toBe(1);

    // A use given back mints a version without it, and the storefront applies it again.
    ok(
      await platform.request('POST', `/commerce/v1/orders/${placed.body.id}/cancel`, {
        reason: 'changed my mind',
      }),
      'cancel',
    );
    const released = ok(
      await platform.request('GET', '/erp/v1/pricing/snapshot'),
      'snapshot',
    ) as PricingSnapshot;
    expect(released.version).toBeGreaterThan(after.version);
    expect(released.exhaustedPromotionIds ?? []).not.toContain(promotionId);
    await webCartApplying(skus.A, promotionId);
  });

  it('a checkout that lost the last use of an automatic promotion to another order: the next attempt of that cart pays the full price', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    await stockForWeb(platform, skus.A, 10);
    const promotionId = await limitedAutomatic(skus.A, 1);
    const carts: string[] = [];
    for (let index = 0; index < 4; index += 1) carts.push(await webCartApplying(skus.A, promotionId));

    const answers = await Promise.all(carts.map((cartId) => checkout(cartId)));
    const discounted = answers.filter((answer) => answer.status === 201 && answer.body.total === 500);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(discounted).toHaveLength(1);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of answers.filter(
      (candidate) => !discounted.includes(candidate) && candidate.status !== 409,
    ))
      expect([answer.status, answer.body.total]).toEqual([201, 1000]);
    for (const answer of refused)
      expect(answer.body).toMatchObject({
        code: 'promotion_usage_exhausted',
        promotionIds: [promotionId],
        couponCodes: [],
      });

    // No coupon to drop and nothing for the merchant to do: checking out again goes through without it.
    for (const answer of refused) {
      const cartId = carts[answers.indexOf(answer)]!;
      const again = await checkout(cartId);
      expect([again.status, again.body.code, again.body.total]).toEqual([201, undefined, 1000]);
    }
    expect(await usageOf(platform, promotionId)).toBe(1);
  });

  it('a checkout whose payment fails after redeeming gives the use back, and so does cancelling', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    await stockForWeb(platform, skus.A, 10);
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const cartId = await webCartWith(skus.A, code);

    const declined = await checkout(cartId, { method: 'test', outcome: 'decline' });
    expect([declined.status, declined.body.code]).toEqual([422, 'payment_declined']);
    expect(await usageOf(platform, promotionId)).toBe(0);

    const placed = await checkout(cartId);
    expect([placed.status, placed.body.total]).toEqual([201, 500]);
    expect(await usageOf(platform, promotionId)).toBe(1);

    const cancelled = await platform.request('POST', `/commerce/v1/orders/${placed.body.id}/cancel`, {
      reason: 'changed my mind',
    });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await usageOf(platform, promotionId)).toBe(0);
    expect((await platform.request('GET', `/erp/v1/redemptions/${placed.body.id}`)).body.status).toBe(
      'released',
    );
  });
});
