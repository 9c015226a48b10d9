import { uniqueName } from '@tillstream/kernel/testing';
import { eventually, type TestPlatform } from './platform.js';
import { ok } from './pricing.js';

/** A Dutch address, valid for every shipping method the e2e tests define. */
export const DUTCH_ADDRESS = {
  name: 'Joost Bakker',
  line1: 'Oudegracht 12',
  postalCode: '3511 AN',
  city: 'Utrecht',
  country: 'NL',
};

export interface WebShop {
  sku: string;
  warehouseId: string;
  methodId: string;
}

/**
 * A web shop in ERP: a warehouse holding `stock` of one product at `price`, and a shipping method (by default
 * 4.95, free from 50.00, taxed as standard goods; `method` replaces any of its fields).
 */
export async function seedWebShop(
  platform: TestPlatform,
  options: { price?: number; stock?: number; method?: Record<string, unknown> } = {},
): Promise<WebShop> {
  const warehouseId = uniqueName('wh');
  const sku = uniqueName('TEE');
  const methodId = uniqueName('standard');
  ok(
    await platform.request('PUT', `/erp/v1/locations/${warehouseId}`, { name: 'Web', kind: 'warehouse' }),
    'wh',
  );
  ok(
    await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Tee',
      price: { amount: options.price ?? 1210, currency: 'EUR' },
    }),
    'product',
  );
  ok(
    await platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('receipt'),
      sku,
      locationId: warehouseId,
      delta: options.stock ?? 5,
      reason: 'received',
      occurredAt: new Date().toISOString(),
    }),
    'receipt',
  );
  ok(
    await platform.request('PUT', `/erp/v1/shipping-methods/${methodId}`, {
      name: 'Standard delivery',
      channels: ['web'],
      rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
      taxCategory: 'standard',
      ...options.method,
    }),
    'shipping method',
  );
  return { sku, warehouseId, methodId };
}

/**
 * A new cart of `quantity` of the SKU delivered by the method to `address`, once the storefront sells the
 * product and knows the method (both reach it through ERP's events and snapshot); its id.
 */
export async function cartWithDelivery(
  platform: TestPlatform,
  shop: Pick<WebShop, 'sku' | 'methodId'>,
  { quantity = 1, address = DUTCH_ADDRESS }: { quantity?: number; address?: object } = {},
): Promise<string> {
  const cartId = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart').id as string;
  await eventually(
    async () =>
      (await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku: shop.sku, quantity }))
        .status === 200,
    30_000,
    'the storefront sells the product',
  );
  await eventually(
    async () =>
      (
        await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, {
          methodId: shop.methodId,
          address,
        })
      ).status === 200,
    30_000,
    'the storefront knows the delivery method',
  );
  return cartId;
}

/** Checks the cart out, paid with the test provider; the order. */
export async function checkOut(platform: TestPlatform, cartId: string, email = 'shopper@example.com') {
  return ok(
    await platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email,
      payment: { method: 'test' },
    }),
    'checkout',
  );
}
