import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import { putLocation, putProduct, receive, stockAt } from '../support/inventory.js';

/**
 * Short clocks so abandonment happens within a test: a checkout holds stock for 1 s, ERP sweeps expired holds
 * every 100 ms, and a cart untouched for 4 s expires.
 */
const ENV = {
  TILLSTREAM_CHECKOUT_HOLD_SECONDS: '1',
  TILLSTREAM_HOLD_SWEEP_INTERVAL_MS: '100',
  TILLSTREAM_CART_EXPIRY_SECONDS: '4',
  TILLSTREAM_CART_SWEEP_INTERVAL_MS: '100',
};

describe.each(ENGINES)('abandoned carts and checkouts give everything back (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine, { env: ENV });
  });
  afterAll(async () => platform?.stop());

  /** A product with `units` in a warehouse of its own, known to the storefront. */
  const seed = async (units: number) => {
    const sku = await putProduct(platform);
    const warehouse = await putLocation(platform, 'warehouse');
    await receive(platform, sku, warehouse, units);
    return { sku, warehouse };
  };
  const cartWith = async (sku: string, quantity = 1) => {
    const cart = await platform.request('POST', '/commerce/v1/carts', {});
    const line = await platform.request('POST', `/commerce/v1/carts/${cart.body.id}/lines`, {
      sku,
      quantity,
    });
    expect(line.status).toBe(200);
    return cart.body.id as string;
  };
  const checkout = (cartId: string, payment: Record<string, unknown> = { method: 'test' }) =>
    platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, { email: 'late@example.com', payment });
  const ordersOf = async (cartId: string) =>
    (await hubEvents(platform, 'commerce.order.placed')).filter((event) => event.data.cartId === cartId);

  // The first three wait on clocks (cart expiry, hold expiry, a slow payment) with products of their own, so they
  // wait at once: about 4 s per engine instead of 11. The last kills the platform, so it runs alone after them.
  it.concurrent('an abandoned cart expires and refuses changes and checkout', async () => {
    const { sku } = await seed(5);
    const cartId = await cartWith(sku);
    const expired = await eventually(
      async () => {
        const cart = await platform.request('GET', `/commerce/v1/carts/${cartId}`);
        return cart.body.status === 'expired' ? cart.body : null;
      },
      20_000,
      'the cart expires',
    );
    expect(expired.quote).toBeNull();
    const change = await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku, quantity: 1 });
    expect([change.status, change.body.code]).toEqual([409, 'cart_expired']);
    const late = await checkout(cartId);
    expect([late.status, late.body.code]).toEqual([409, 'cart_expired']);
  });

  it.concurrent(
    'a checkout stuck in payment loses its hold to the sweeper; the late approval is refunded, not oversold',
    async () => {
      const { sku, warehouse } = await seed(1);
      const slowCart = await cartWith(sku);
      const slow = checkout(slowCart, { method: 'test', delayMs: 3000 });
      await eventually(async () => (await stockAt(platform, sku, warehouse)).reserved === 1, 10_000, 'held');
      // The provider has not answered; ERP's sweeper expires the 1 s hold and the unit is for sale again.
      await eventually(
        async () => (await stockAt(platform, sku, warehouse)).available === 1,
        10_000,
        'the expired hold gives the unit back',
      );
      const quick = await checkout(await cartWith(sku));
      expect([quick.status, quick.body.status]).toEqual([201, 'placed']);

      const late = await slow;
      expect([late.status, late.body.code, late.body.paymentRefunded]).toEqual([
        409,
        'insufficient_stock',
        true,
      ]);
      expect(await ordersOf(slowCart)).toEqual([]);
      expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
      expect((await platform.request('GET', `/commerce/v1/carts/${slowCart}`)).body.status).toBe('open');
    },
  );

  it.concurrent(
    'a late approval with the stock still there is placed on a fresh hold that ERP keeps for the order',
    async () => {
      const { sku, warehouse } = await seed(2);
      const placed = await checkout(await cartWith(sku), { method: 'test', delayMs: 2000 });
      expect([placed.status, placed.body.status]).toEqual([201, 'placed']);
      const reservation = await eventually(
        async () => {
          const found = await platform.request('GET', `/erp/v1/reservations/${placed.body.reservationId}`);
          return Date.parse(found.body.expiresAt) > Date.now() + 3_600_000 ? found.body : null;
        },
        20_000,
        'ERP keeps the fresh hold for the order',
      );
      expect(reservation.status).toBe('held');
      // Long past the checkout hold's second: the order's unit stays reserved.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await stockAt(platform, sku, warehouse)).toMatchObject({ reserved: 1, available: 1 });
    },
  );

  it('a process killed between hold and order leaves a hold that expires', async () => {
    const { sku, warehouse } = await seed(3);
    const cartId = await cartWith(sku, 2);
    const pending = checkout(cartId, { method: 'test', delayMs: 5000 }).catch(() => null);
    await eventually(async () => (await stockAt(platform, sku, warehouse)).reserved === 2, 10_000, 'held');
    // Embedded: the one process dies, ERP with it; scale-out: only commerce, ERP's sweeper runs on.
    const target = engine === 'embedded' ? undefined : 'commerce';
    await platform.kill(target);
    expect(await pending).toBeNull();
    await platform.restart(target);
    await eventually(
      async () => (await stockAt(platform, sku, warehouse)).available === 3,
      20_000,
      'the orphaned hold expires',
    );
    expect(await ordersOf(cartId)).toEqual([]);
  });
});
