import { afterAll, beforeAll, expect } from 'vitest';
import { FulfillmentShippedV1, type PricingSnapshot, type ShippingMethod } from '@tillstream/contracts';
import {
  createContextHarness,
  foreignEvent,
  type ContextHarness,
  type HarnessDialect,
} from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { fakeErp } from './fake-erp.js';
import { storefrontCall } from './storefront-call.js';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** €4.95 plus 21 % VAT on top (€1.04), free from €50 of goods; delivers to NL and BE. */
export const STANDARD: ShippingMethod = {
  id: 'standard',
  version: 1,
  name: 'Standard, 2–3 days',
  countries: ['NL', 'BE'],
  rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
  taxCategory: 'shipping',
};
/** €12.95 plus VAT (€2.72), NL only, never free. */
export const EXPRESS: ShippingMethod = {
  id: 'express',
  version: 1,
  name: 'Express, next day',
  countries: ['NL'],
  rates: [{ currency: 'EUR', amount: 1295 }],
  taxCategory: 'shipping',
};
export const HOME = {
  name: 'Ann Smit',
  line1: 'Damrak 1',
  postalCode: '1012 LG',
  city: 'Amsterdam',
  country: 'NL',
};

/**
 * Commerce on a real database of the dialect, beside an in-memory ERP that offers STANDARD and EXPRESS, and
 * the calls the shipping suites make. Call inside a describe: it starts commerce before the suite and closes
 * it after. Each suite gets its own ERP, so a snapshot one publishes never reaches another.
 */
export function shippingRig(dialect: HarnessDialect) {
  let commerce: ContextHarness;
  // A costs €10.00 and carries no tax (no rate for its category), so the figures the shipping suites check
  // beyond the goods are the delivery's.
  const erp = fakeErp({ A: 100 }, 1000, {
    shippingMethods: [STANDARD, EXPRESS],
    taxRates: [
      { id: 'nl-ship', version: 1, name: 'VAT', taxCategory: 'shipping', ratePpm: 210_000, inclusive: false },
    ],
  });
  /** The snapshot as ERP first served it, so a test that publishes another can put it back. */
  let original: PricingSnapshot;
  let nextVersion = 2;
  /** ERP publishes `change` of its snapshot as a new version, and the storefront reads it at once. */
  const publish = (change: Partial<PricingSnapshot>) => {
    erp.pricing.snapshot = { ...original, ...change, version: nextVersion++ };
    commerce.clock.advance(5_000);
  };

  const call = storefrontCall(() => commerce);
  const cartWith = async (quantity: number) => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku: 'A', quantity });
    return cart.body.id as string;
  };
  const choose = (cartId: string, methodId: string, address: Record<string, unknown> = HOME) =>
    call('PUT', `/commerce/v1/carts/${cartId}/shipping`, { methodId, address });
  const checkout = (cartId: string) =>
    call('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'ann@example.com',
      payment: { method: 'test' },
    });
  const deliveredCart = async (quantity: number, methodId = 'standard') => {
    const cartId = await cartWith(quantity);
    expect((await choose(cartId, methodId)).status).toBe(200);
    return cartId;
  };
  const openHolds = () => [...erp.holds.values()].filter((hold) => hold.status === 'held').length;
  /** ERP ships the whole order from its warehouse `wh`, as its fulfilment event tells commerce. */
  const shipAll = (order: { id: string; reservationId: string }) =>
    commerce.deliver(
      'erp',
      foreignEvent('erp', FulfillmentShippedV1.type, `fulfilment/${order.id}:wh`, 2, {
        fulfilmentId: `${order.id}:wh`,
        orderId: order.id,
        reservationId: order.reservationId,
        locationId: 'wh',
        version: 2,
        lines: [],
        status: 'shipped',
        orderShipped: true,
        occurredAt: '2026-11-01T09:00:00.000Z',
      }),
    );

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: erp.port }),
      { dialect, pgUrl, name: 'commerce' },
    );
    erp.state.now = () => commerce.clock.now();
    original = erp.pricing.snapshot;
  });
  afterAll(async () => commerce?.close());

  return {
    commerce: () => commerce,
    erp,
    publish,
    call,
    cartWith,
    choose,
    checkout,
    deliveredCart,
    openHolds,
    shipAll,
  };
}
