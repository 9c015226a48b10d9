/**
 * Delivery from definition to parcel on the whole platform: ERP defines a shipping method, the storefront
 * offers it and charges it at checkout, and ERP's fulfilments of the order know where the parcel goes, and so
 * do the fulfilment events the hub serves to a warehouse system or carrier integration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { hubEvents } from '../support/fixtures.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { ok, startPricingPlatform } from '../support/pricing.js';
import { seedWebShop } from '../support/delivery.js';
import { fulfilmentsOf } from '../support/fulfilments.js';

const HOME = {
  name: 'Anna de Vries',
  line1: 'Prinsengracht 263',
  postalCode: '1016 GV',
  city: 'Amsterdam',
  country: 'NL',
  phone: '+31 20 555 0100',
};

describe.each(ENGINES)('an online order delivered to its address (%s)', (engine) => {
  let platform: TestPlatform;
  let sku: string;
  let methodId: string;

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    ({ sku, methodId } = await seedWebShop(platform, {
      price: 1500,
      method: { name: 'Next-day delivery', countries: ['NL'], rates: [{ currency: 'EUR', amount: 995 }] },
    }));
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('offers the method ERP defined, charges it, and ERP fulfils the order to the address by that method, its events saying so', async () => {
    const cartId = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart').id as string;
    await eventually(
      async () =>
        (await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku, quantity: 2 }))
          .status === 200,
      20_000,
      'the storefront sells the product',
    );
    const options = await eventually(
      async () => {
        const answer = await platform.request(
          'GET',
          `/commerce/v1/carts/${cartId}/shipping-options?country=NL`,
        );
        const offered = (answer.body?.options ?? []) as Array<{ methodId: string }>;
        return offered.some((option) => option.methodId === methodId) ? offered : null;
      },
      20_000,
      'the storefront offers the method ERP defined',
    );
    expect(options.find((option) => option.methodId === methodId)).toMatchObject({ amount: 995, total: 995 });

    ok(
      await platform.request('PUT', `/commerce/v1/carts/${cartId}/shipping`, { methodId, address: HOME }),
      'choose delivery',
    );
    const order = ok(
      await platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
        email: 'anna@example.com',
        payment: { method: 'test' },
      }),
      'checkout',
    );
    expect(order.total).toBe(2 * 1500 + 995);

    const [fulfilment] = await fulfilmentsOf(platform, order.id);
    expect(fulfilment).toMatchObject({
      status: 'allocated',
      lines: [{ sku, quantity: 2 }],
      shipTo: HOME,
      shippingMethod: { id: methodId, name: 'Next-day delivery' },
    });
    const method = { id: methodId, name: 'Next-day delivery' };
    const hubEvent = (type: string) =>
      eventually(
        async () =>
          (await hubEvents(platform, type)).find((event) => event.data.fulfilmentId === fulfilment.id) ??
          null,
        20_000,
        `the hub serves ${type} of the order`,
      );
    expect(await hubEvent('erp.fulfillment.created')).toMatchObject({
      subject: `fulfilment/${fulfilment.id}`,
      data: { orderId: order.id, status: 'allocated', shipTo: HOME, shippingMethod: method },
    });

    const shipped = ok(await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/ship`), 'ship');
    expect(shipped).toMatchObject({ status: 'shipped', shipTo: HOME });
    expect(await hubEvent('erp.fulfillment.shipped')).toMatchObject({
      data: { status: 'shipped', orderShipped: true, shipTo: HOME, shippingMethod: method },
    });
  });
});
