import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';

const HOME = { name: 'Ann Smit', line1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' };

/**
 * The storefront's delivery routes over real HTTP on the whole platform: what they refuse and how, whatever
 * methods ERP defines (a method id made up here is never one of them). Pricing with ERP's own methods is
 * tested once ERP serves them.
 */
describe.each(ENGINES)("a cart's delivery over HTTP (%s)", (engine) => {
  let platform: TestPlatform;
  let cartId: string;
  const unknownMethod = uniqueName('pigeon');

  beforeAll(async () => {
    platform = await startPlatform(engine);
    const warehouseId = uniqueName('wh');
    const sku = uniqueName('SHIP');
    for (const [method, path, body] of [
      ['PUT', `/erp/v1/locations/${warehouseId}`, { name: 'Web warehouse', kind: 'warehouse' }],
      ['PUT', `/erp/v1/products/${sku}`, { name: 'Tee', price: { amount: 2500, currency: 'EUR' } }],
      [
        'POST',
        '/erp/v1/inventory/adjustments',
        {
          id: uniqueName('receipt'),
          sku,
          locationId: warehouseId,
          delta: 5,
          reason: 'received',
          occurredAt: '2026-11-01T08:00:00Z',
        },
      ],
    ] as const) {
      expect((await platform.request(method, path, body)).status).toBeLessThan(300);
    }
    cartId = (await platform.request('POST', '/commerce/v1/carts', {})).body.id;
    await eventually(
      async () =>
        (await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku, quantity: 1 }))
          .status === 200,
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  const put = (id: string, body: unknown) =>
    platform.request('PUT', `/commerce/v1/carts/${id}/shipping`, body);

  it("answers a method ERP does not define with the engine's 422, and leaves the cart as it was", async () => {
    const before = (await platform.request('GET', `/commerce/v1/carts/${cartId}`)).body;
    const refused = await put(cartId, { methodId: unknownMethod, address: HOME });
    expect([refused.status, refused.body.code]).toEqual([422, 'shipping_method_unknown']);
    const after = (await platform.request('GET', `/commerce/v1/carts/${cartId}`)).body;
    expect([after.version, after.shipping]).toEqual([before.version, before.shipping]);
  });

  it.each([
    ['an unknown field', { methodId: 'standard', address: HOME, note: 'ring twice' }],
    ['an address without a city', { methodId: 'standard', address: { ...HOME, city: undefined } }],
    ['a lower-case country', { methodId: 'standard', address: { ...HOME, country: 'nl' } }],
  ])('refuses %s with 400 validation_failed', async (_name, body) => {
    const refused = await put(cartId, body);
    expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
  });

  it('lists options for a country, never a method ERP does not define, and validates the country', async () => {
    const options = await platform.request('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`);
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ country: 'NL', currency: 'EUR' });
    expect(options.body.options.map((option: { methodId: string }) => option.methodId)).not.toContain(
      unknownMethod,
    );
    const bad = await platform.request('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=nl`);
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
  });

  it('answers 404 cart_not_found for a cart that does not exist', async () => {
    const missing = await put(uniqueName('no-cart'), { methodId: 'standard', address: HOME });
    expect([missing.status, missing.body.code]).toEqual([404, 'cart_not_found']);
    const cleared = await platform.request('DELETE', `/commerce/v1/carts/${uniqueName('no-cart')}/shipping`);
    expect([cleared.status, cleared.body.code]).toEqual([404, 'cart_not_found']);
  });
});
