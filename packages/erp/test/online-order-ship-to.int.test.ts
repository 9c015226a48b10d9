import { describe, expect, it } from 'vitest';
import {
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentShippedV1,
  type ShippingAddress,
} from '@tillstream/contracts';
import { harnessDialects } from '@tillstream/kernel/testing';
import { onlineOrderRig } from './online-orders.rig.js';
import { pgUrl, startedErp, W1, W2 } from './started-erp.js';

const ADDRESS: ShippingAddress = {
  name: 'Anna de Vries',
  line1: 'Prinsengracht 263',
  line2: '2nd floor',
  postalCode: '1016 GV',
  city: 'Amsterdam',
  country: 'NL',
  phone: '+31 20 555 0100',
};

describe.each(harnessDialects(pgUrl))(
  'ERP keeps an online order’s ship-to for its fulfilments and their events on %s',
  (dialect) => {
    const { erp, ok, receive } = startedErp(dialect, { holdSweepIntervalMs: 1000, locations: [W1, W2] });
    const { product, placeOrder, fulfilmentsOf, eventsOf } = onlineOrderRig({ erp, ok });

    const express = {
      methodId: 'express',
      name: 'Next-day delivery',
      amount: 995,
      tax: { ratePpm: 210_000, inclusive: true, amount: 173 },
      address: ADDRESS,
    };

    it('shows the address and the method on every fulfilment of a split order and its created and shipped events', async () => {
      const sku = await product('SPLIT');
      await receive(sku, 'W1', 1);
      await receive(sku, 'W2', 1);
      const { orderId } = await placeOrder(sku, 2, { shipping: express });

      const fulfilments = await fulfilmentsOf(orderId);
      expect(fulfilments.map((fulfilment) => fulfilment.locationId)).toEqual(['W1', 'W2']);
      for (const fulfilment of fulfilments)
        expect(fulfilment).toMatchObject({
          shipTo: ADDRESS,
          shippingMethod: { id: 'express', name: 'Next-day delivery' },
        });

      const method = { id: 'express', name: 'Next-day delivery' };
      expect(await eventsOf(FulfillmentCreatedV1, orderId)).toEqual([
        expect.objectContaining({ fulfilmentId: `${orderId}:W1`, shipTo: ADDRESS, shippingMethod: method }),
        expect.objectContaining({ fulfilmentId: `${orderId}:W2`, shipTo: ADDRESS, shippingMethod: method }),
      ]);

      const shipped = await ok('POST', `/fulfillments/${orderId}:W1/ship`);
      expect(shipped).toMatchObject({
        status: 'shipped',
        shipTo: ADDRESS,
        shippingMethod: { id: 'express' },
      });
      expect(await eventsOf(FulfillmentShippedV1, orderId)).toEqual([
        expect.objectContaining({
          fulfilmentId: `${orderId}:W1`,
          orderShipped: false,
          shipTo: ADDRESS,
          shippingMethod: method,
        }),
      ]);
      const delivered = await ok('POST', `/fulfillments/${orderId}:W1/deliver`);
      expect(delivered).toMatchObject({ status: 'delivered', shipTo: ADDRESS });
      const [deliveredEvent] = await eventsOf(FulfillmentDeliveredV1, orderId);
      expect(deliveredEvent).toMatchObject({ fulfilmentId: `${orderId}:W1`, status: 'delivered' });
      expect(deliveredEvent).not.toHaveProperty('shipTo');
    });

    it('gives a backorder’s later fulfilment and its events the order’s ship-to too', async () => {
      const sku = await product('LATER', true);
      const standard = { ...express, methodId: 'standard', name: 'Standard delivery', amount: 0 };
      const { orderId } = await placeOrder(sku, 1, {
        shipping: { ...standard, tax: { ...standard.tax, amount: 0 } },
      });
      expect(await fulfilmentsOf(orderId)).toEqual([]);

      const held = await ok('GET', `/reservations/checkout:${orderId}`);
      const [waiting] = held.lines[0].backordered as Array<{ locationId: string }>;
      await receive(sku, waiting!.locationId, 1);
      const [later] = await fulfilmentsOf(orderId);
      expect(later).toMatchObject({
        locationId: waiting!.locationId,
        lines: [{ sku, quantity: 1 }],
        shipTo: ADDRESS,
        shippingMethod: { id: 'standard', name: 'Standard delivery' },
      });
      expect(await eventsOf(FulfillmentCreatedV1, orderId)).toEqual([
        expect.objectContaining({
          fulfilmentId: later.id,
          shipTo: ADDRESS,
          shippingMethod: { id: 'standard', name: 'Standard delivery' },
        }),
      ]);
      await ok('POST', `/fulfillments/${later.id}/ship`);
      expect(await eventsOf(FulfillmentShippedV1, orderId)).toEqual([
        expect.objectContaining({ fulfilmentId: later.id, orderShipped: true, shipTo: ADDRESS }),
      ]);
    });

    it('shows null ship-to, on the fulfilment and in its events, for an order placed without delivery', async () => {
      const sku = await product('NOSHIP');
      await receive(sku, 'W1', 1);
      const { orderId } = await placeOrder(sku, 1);
      const [only] = await fulfilmentsOf(orderId);
      expect(only).toMatchObject({ status: 'allocated', shipTo: null, shippingMethod: null });
      expect(await ok('POST', `/fulfillments/${only.id}/ship`)).toMatchObject({
        status: 'shipped',
        shipTo: null,
        shippingMethod: null,
      });
      for (const contract of [FulfillmentCreatedV1, FulfillmentShippedV1])
        expect(await eventsOf(contract, orderId)).toEqual([
          expect.objectContaining({ fulfilmentId: only.id, shipTo: null, shippingMethod: null }),
        ]);
    });
  },
);
