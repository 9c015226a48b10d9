import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { saleBody } from '../support/fixtures.js';
import { putLocation, receive } from '../support/inventory.js';
import { catalogProbe, ok, startCatalogPlatform } from '../support/catalog.js';

describe.each(ENGINES)('the storefront catalog: archived products and channels (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startCatalogPlatform(engine);
  }, 120_000);
  afterAll(async () => platform?.stop());
  const { commerceUrls, getFrom, putProduct, erpAvailable, converge } = catalogProbe(() => platform);

  it('takes an archived product off every storefront; carts take no more of it, ERP holds none, stores sell it', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const store = await putLocation(platform, 'store');
    const sku = await putProduct({ name: 'Last season coat' });
    await receive(platform, sku, warehouse, 4);
    await receive(platform, sku, store, 2);
    await converge(sku, 4);
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart').body.id as string;
    await eventually(
      async () =>
        (await platform.request('POST', `/commerce/v1/carts/${cart}/lines`, { sku, quantity: 1 })).status ===
        200,
      20_000,
      'the cart takes the coat',
    );

    await putProduct({ name: 'Last season coat', status: 'archived' }, sku);
    for (const baseUrl of commerceUrls())
      await eventually(
        async () => (await getFrom(baseUrl, `/commerce/v1/products/${sku}`)).status === 404,
        20_000,
        `the coat leaves the storefront on ${baseUrl}`,
      );
    const more = await platform.request('POST', `/commerce/v1/carts/${cart}/lines`, { sku, quantity: 1 });
    expect([more.status, more.body.code]).toEqual([422, 'product_not_for_sale']);
    // The cart holding it from before cannot check out: ERP holds no stock of an archived product online.
    const checkout = await platform.request('POST', `/commerce/v1/carts/${cart}/checkout`, {
      email: 'shopper@example.com',
      payment: { method: 'test' },
    });
    expect([checkout.status, checkout.body.code, checkout.body.skus]).toEqual([
      422,
      'product_not_for_sale',
      [sku],
    ]);
    expect(await erpAvailable(sku)).toBe(4);
    // A PUT that only reprices it leaves it archived.
    const repriced = await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Last season coat',
      price: { amount: 300, currency: 'EUR' },
    });
    expect(repriced.body.status).toBe('archived');

    // The store sells off what it holds: a store sale is never refused for the product's status.
    const sale = saleBody({ storeId: store, warehouseId: warehouse, skus: [sku] }, [{ sku, quantity: 2 }], {
      terminalId: uniqueName('till'),
    });
    await eventually(
      async () => (await platform.request('POST', '/pos/v1/sales', sale)).status === 201,
      20_000,
      'the store sells the archived coat',
    );
  });

  // Last: it reconfigures the web channel for the whole platform.
  it('honours the channel: its locations and safety stock, a negative store never subtracting', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const store = await putLocation(platform, 'store');
    const sku = await putProduct({ name: 'Candle' });
    await receive(platform, sku, warehouse, 10);
    await receive(platform, sku, store, 2);
    await converge(sku, 10);

    ok(
      await platform.request('PUT', '/erp/v1/channels/web', {
        locations: [warehouse, store],
        safetyStock: 1,
      }),
      'configure web',
    );
    // (10 − 1) + (2 − 1)
    await converge(sku, 10);
    ok(
      await platform.request('PUT', '/erp/v1/channels/web', {
        locations: [warehouse, store],
        safetyStock: 3,
      }),
      'raise safety stock',
    );
    // (10 − 3) + max(0, 2 − 3)
    await converge(sku, 7);

    // A store sale is physical fact: it may drive the shelf negative, which takes nothing from the warehouse.
    const sale = saleBody({ storeId: store, warehouseId: warehouse, skus: [sku] }, [{ sku, quantity: 6 }]);
    expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(201);
    await eventually(
      async () => {
        const inventory = await platform.request('GET', `/erp/v1/inventory/${sku}`);
        return inventory.body.locations.some(
          (row: { locationId: string; onHand: number }) => row.locationId === store && row.onHand === -4,
        );
      },
      20_000,
      'the store is at -4',
    );
    await converge(sku, 7);

    ok(
      await platform.request('PUT', '/erp/v1/channels/web', { locations: [store], safetyStock: 0 }),
      'store only',
    );
    await converge(sku, 0);
  });
});
