/**
 * Delivery priced by weight on the whole platform: ERP weighs a product and bands a method's rate by weight,
 * the storefront prices its carts from the snapshot that carries both (options, the quote, the order), and
 * goods heavier than the method takes are not delivered by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { cartWithDelivery, checkOut, DUTCH_ADDRESS, seedWebShop, type WebShop } from '../support/delivery.js';
import { ok, startPricingPlatform } from '../support/pricing.js';

/** 4.95 for goods under 2 kg, 7.95 from 2 kg, nothing heavier than 10 kg. */
const BANDED = {
  rates: [{ currency: 'EUR', amount: 495, byWeight: [{ fromGrams: 2000, amount: 795 }], maxGrams: 10_000 }],
};

describe.each(ENGINES)('delivery priced by weight (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: WebShop;

  const weigh = (body: Record<string, unknown>) =>
    platform.request('PUT', `/erp/v1/product-pricing/${shop.sku}`, {
      taxCategory: 'standard',
      categories: [],
      ...body,
    });
  const options = async (cartId: string) =>
    (await platform.request('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`)).body
      .options as Array<Record<string, unknown>>;

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    shop = await seedWebShop(platform, { price: 1500, stock: 20, method: BANDED });
    ok(await weigh({ weightGrams: 1500 }), 'weight');
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('keeps a product’s weight, and refuses one that is not a whole number of grams', async () => {
    const kept = await platform.request('GET', `/erp/v1/product-pricing/${shop.sku}`);
    expect(kept.body).toMatchObject({ sku: shop.sku, weightGrams: 1500 });
    for (const weightGrams of [-1, 1.5, '1500', 2_000_000]) {
      const refused = await weigh({ weightGrams });
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    }
    expect((await platform.request('GET', `/erp/v1/product-pricing/${shop.sku}`)).body.weightGrams).toBe(
      1500,
    );
  });

  it('refuses weight bands out of order, naming the rate', async () => {
    const refused = await platform.request('PUT', `/erp/v1/shipping-methods/${shop.methodId}`, {
      name: 'Parcel',
      channels: ['web'],
      taxCategory: 'standard',
      rates: [
        {
          currency: 'EUR',
          amount: 495,
          byWeight: [
            { fromGrams: 5000, amount: 995 },
            { fromGrams: 2000, amount: 795 },
          ],
        },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'shipping_weight_bands_invalid',
      currency: 'EUR',
      fromGrams: 2000,
    });
  });

  it(
    'charges the band the cart’s goods reach, in its options, its quote and its order',
    { timeout: 90_000 },
    async () => {
      const light = await cartWithDelivery(platform, shop);
      // The storefront prices from ERP's snapshot: the weight reaches it after the method did.
      await eventually(
        async () => ((await options(light))[0]?.weightGrams === 1500 ? true : null),
        30_000,
        'the storefront knows the weight',
      );
      expect(await options(light)).toEqual([
        expect.objectContaining({ methodId: shop.methodId, amount: 495, weightGrams: 1500 }),
      ]);

      const heavy = await cartWithDelivery(platform, shop, { quantity: 2 });
      expect(await options(heavy)).toEqual([
        expect.objectContaining({ methodId: shop.methodId, amount: 795, weightGrams: 3000 }),
      ]);
      const cart = (await platform.request('GET', `/commerce/v1/carts/${heavy}`)).body;
      expect(cart.quote.shipping).toMatchObject({ amount: 795, weightGrams: 3000 });
      const order = await checkOut(platform, heavy);
      expect(order).toMatchObject({ total: 2 * 1500 + 795, shipping: { amount: 795 } });
    },
  );

  it('does not deliver goods heavier than the method takes, and says why', { timeout: 60_000 }, async () => {
    const cartId = await cartWithDelivery(platform, shop, { quantity: 6 });
    expect(await options(cartId)).toHaveLength(1);
    ok(
      await platform.request('PUT', `/commerce/v1/carts/${cartId}/lines/${shop.sku}`, { quantity: 7 }),
      'seven units: 10.5 kg',
    );
    expect(await options(cartId)).toEqual([]);
    const cart = (await platform.request('GET', `/commerce/v1/carts/${cartId}`)).body;
    expect(cart.shippingRefused).toEqual({ code: 'shipping_not_available' });
    // Choosing it again, once the shopper cleared it, is refused with what the goods weigh and what it takes.
    ok(await platform.request('DELETE', `/commerce/v1/carts/${cartId}/shipping`), 'clear the delivery');
    const refused = await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, {
      methodId: shop.methodId,
      address: DUTCH_ADDRESS,
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'shipping_not_available',
      weightGrams: 10_500,
      maxGrams: 10_000,
    });
    const checkout = await platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'heavy@example.com',
      payment: { method: 'test' },
    });
    // The chain delivers online, so checkout needs a delivery, and none takes these goods: lighter, or not at all.
    expect([checkout.status, checkout.body.code]).toEqual([422, 'shipping_required']);
  });
});
