/**
 * Delivery by postcode on the whole platform: ERP defines a mainland service that does not reach the Wadden
 * islands and an island service that reaches only them; the storefront offers each address the one that
 * reaches it, refuses the other with the postcode named, and charges the order what the island service costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { cartWithDelivery, checkOut, DUTCH_ADDRESS, seedWebShop, type WebShop } from '../support/delivery.js';
import { ok, startPricingPlatform } from '../support/pricing.js';

const ISLANDS = ['1791', '1792', '1793', '1794', '1795', '1796', '1797', '8881', '8882', '8899'];
const TEXEL = { ...DUTCH_ADDRESS, line1: 'Parkweg 3', postalCode: '1791 ab', city: 'Den Burg' };

describe.each(ENGINES)('delivery by postcode (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: WebShop;
  const islandsId = uniqueName('islands');

  const options = async (cartId: string, postalCode?: string) => {
    const query = postalCode === undefined ? '' : `&postalCode=${encodeURIComponent(postalCode)}`;
    const { status, body } = await platform.request(
      'GET',
      `/commerce/v1/carts/${cartId}/shipping-options?country=NL${query}`,
    );
    expect(status).toBe(200);
    return (body.options as Array<{ methodId: string; amount: number }>).map((each) => [
      each.methodId,
      each.amount,
    ]);
  };

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    shop = await seedWebShop(platform, {
      method: { rates: [{ currency: 'EUR', amount: 495 }], postcodes: [{ country: 'NL', exclude: ISLANDS }] },
    });
    ok(
      await platform.request('PUT', `/erp/v1/shipping-methods/${islandsId}`, {
        name: 'Wadden islands, by ferry',
        channels: ['web'],
        countries: ['NL'],
        postcodes: [{ country: 'NL', include: ISLANDS }],
        rates: [{ currency: 'EUR', amount: 1295 }],
        taxCategory: 'standard',
      }),
      'island service',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('stores the rule as the engine compares it, and refuses a second rule for one country', async () => {
    const stored = await platform.request('GET', `/erp/v1/shipping-methods/${shop.methodId}`);
    expect(stored.body.postcodes).toEqual([{ country: 'NL', exclude: ISLANDS }]);
    const twice = await platform.request('PUT', `/erp/v1/shipping-methods/${islandsId}`, {
      name: 'Twice',
      postcodes: [
        { country: 'NL', include: ['1791'] },
        { country: 'NL', exclude: ['1792'] },
      ],
      rates: [{ currency: 'EUR', amount: 1295 }],
      taxCategory: 'standard',
    });
    expect([twice.status, twice.body.code, twice.body.country]).toEqual([
      422,
      'shipping_postcode_rule_duplicate',
      'NL',
    ]);
    for (const prefix of ['', ' 1791', '17*']) {
      const bad = await platform.request('PUT', `/erp/v1/shipping-methods/${islandsId}`, {
        name: 'Bad prefix',
        postcodes: [{ country: 'NL', include: [prefix] }],
        rates: [{ currency: 'EUR', amount: 1295 }],
        taxCategory: 'standard',
      });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }
  });

  it(
    'offers each address the service that reaches it, and charges the island order the ferry',
    {
      timeout: 90_000,
    },
    async () => {
      const cartId = await cartWithDelivery(platform, shop);
      // The storefront learns the island service from ERP's snapshot after the shop's own method.
      await eventually(
        async () => ((await options(cartId)).length === 2 ? true : null),
        30_000,
        'the storefront knows both services',
      );
      expect(await options(cartId, '3511 AN')).toEqual([[shop.methodId, 495]]);
      expect(await options(cartId, '1791AB')).toEqual([[islandsId, 1295]]);

      const refused = await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, {
        methodId: shop.methodId,
        address: TEXEL,
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'shipping_not_available',
        country: 'NL',
        postalCode: '1791 ab',
      });
      ok(
        await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, {
          methodId: islandsId,
          address: TEXEL,
        }),
        'the ferry',
      );
      const order = await checkOut(platform, cartId, 'texel@example.com');
      expect(order).toMatchObject({ shipping: { methodId: islandsId, amount: 1295 } });
    },
  );
});
