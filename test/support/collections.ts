import { uniqueName } from '@tillstream/kernel/testing';
import { seedWebShop, type WebShop } from './delivery.js';
import { eventually, type TestPlatform } from './platform.js';
import { ok } from './pricing.js';

export const COLLECTOR = { name: 'Anna de Vries', phone: '+31 20 555 0100' };
export const KALVERSTRAAT = {
  line1: 'Kalverstraat 92',
  postalCode: '1012 PH',
  city: 'Amsterdam',
  country: 'NL',
};

export interface CollectionShop {
  shop: WebShop;
  storeId: string;
  /** The shipping method that collects at the store. */
  collectId: string;
  /** The SKU's stock at a location as ERP's inventory shows it. */
  stockAt(locationId: string): Promise<{ onHand: number; reserved: number; available: number }>;
  /** Waits until commerce shows the order in `status`. */
  orderStatus(orderId: string, status: string): Promise<true>;
  /** A cart of `quantity` to collect at the store, once the storefront sells the product and knows the method. */
  collectionCart(quantity: number): Promise<string>;
}

/**
 * Click and collect set up on a started platform: the web shop's warehouse holds 5 for home delivery, a store
 * (Kalverstraat) holds 3 on its shelves and is a collection point, and the storefront sells the product.
 */
export async function seedCollectionShop(platform: TestPlatform): Promise<CollectionShop> {
  const shop = await seedWebShop(platform, { price: 1500, stock: 5 });
  const storeId = uniqueName('store');
  const collectId = uniqueName('collect');
  ok(
    await platform.request('PUT', `/erp/v1/locations/${storeId}`, { name: 'Kalverstraat', kind: 'store' }),
    'store',
  );
  ok(
    await platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('receipt'),
      sku: shop.sku,
      locationId: storeId,
      delta: 3,
      reason: 'received',
      occurredAt: new Date().toISOString(),
    }),
    'store receipt',
  );
  ok(
    await platform.request('PUT', `/erp/v1/shipping-methods/${collectId}`, {
      name: 'Collect at Kalverstraat',
      channels: ['web'],
      pickup: { locationId: storeId, address: KALVERSTRAAT },
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    }),
    'collection method',
  );
  await eventually(
    async () =>
      (await platform.request('GET', `/commerce/v1/products/${shop.sku}`)).status === 200 ? true : null,
    30_000,
    'the storefront sells the product',
  );
  // The store's receipt reaches commerce on its own event, later than the product on scale-out.
  await eventually(
    async () => {
      const { status, body } = await platform.request('GET', `/commerce/v1/products/${shop.sku}/pickup`);
      const points = status === 200 ? (body.points as Array<{ methodId: string; available: number }>) : [];
      return points.find((point) => point.methodId === collectId)?.available === 3 ? true : null;
    },
    30_000,
    "the storefront knows the store's 3",
  );
  return {
    shop,
    storeId,
    collectId,
    async stockAt(locationId) {
      const { body } = await platform.request('GET', `/erp/v1/inventory/${shop.sku}`);
      const row = (
        body.locations as Array<{ locationId: string; onHand: number; reserved: number; available: number }>
      ).find((location) => location.locationId === locationId);
      return { onHand: row?.onHand ?? 0, reserved: row?.reserved ?? 0, available: row?.available ?? 0 };
    },
    orderStatus: (orderId, status) =>
      eventually(
        async () =>
          (await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body.status === status
            ? true
            : null,
        30_000,
        `the order is ${status}`,
      ),
    async collectionCart(quantity) {
      const cartId = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart').id as string;
      ok(
        await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku: shop.sku, quantity }),
        'line',
      );
      await eventually(
        async () =>
          (
            await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, {
              methodId: collectId,
              collector: COLLECTOR,
            })
          ).status === 200,
        30_000,
        'the storefront knows the collection',
      );
      return cartId;
    },
  };
}
