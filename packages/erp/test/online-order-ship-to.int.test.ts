import { describe, expect, it } from 'vitest';
import { OrderPlacedV1, type OrderPlacedV1Data, type ShippingAddress } from '@tillstream/contracts';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
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

/** The order event as commerce publishes it; checked against the published schema so the test sends a real one. */
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));
const validPlacedOrder = ajv.compile(OrderPlacedV1.dataSchema);

describe.each(harnessDialects(pgUrl))(
  'ERP keeps an online order’s ship-to for its fulfilments on %s',
  (dialect) => {
    const { erp, ok, receive } = startedErp(dialect, { holdSweepIntervalMs: 1000, locations: [W1, W2] });
    const fulfilmentsOf = async (orderId: string) =>
      (await ok('GET', `/fulfillments?orderId=${orderId}`)).fulfillments as any[];

    const product = async (prefix: string, backorderable = false) => {
      const sku = uniqueName(prefix);
      await ok('PUT', `/products/${sku}`, {
        name: sku,
        price: { amount: 2500, currency: 'EUR' },
        backorderable,
      });
      return sku;
    };

    /** A checkout hold and the `commerce.order.placed` that follows it, with or without delivery. */
    const placeOrder = async (sku: string, quantity: number, shipping?: OrderPlacedV1Data['shipping']) => {
      const orderId = uniqueName('order');
      const reservationId = `checkout:${orderId}`;
      await ok('POST', '/reservations', {
        id: reservationId,
        channel: 'web',
        lines: [{ sku, quantity }],
        expiresInSeconds: 900,
      });
      const goods = 2500 * quantity;
      const data: OrderPlacedV1Data = {
        orderId,
        cartId: uniqueName('cart'),
        reservationId,
        channel: 'web',
        email: 'anna@example.com',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity, unitPrice: 2500, lineTotal: goods }],
        ...(shipping ? { shipping } : {}),
        total: goods + (shipping?.amount ?? 0),
        payment: { method: 'test', reference: uniqueName('pay') },
        placedAt: erp().clock.now().toISOString(),
      };
      expect(validPlacedOrder(data), JSON.stringify(validPlacedOrder.errors)).toBe(true);
      await erp().deliver(
        'commerce',
        foreignEvent('commerce', OrderPlacedV1.type, `order/${orderId}`, 1, data),
      );
      return orderId;
    };

    const express = {
      methodId: 'express',
      name: 'Next-day delivery',
      amount: 995,
      tax: { ratePpm: 210_000, inclusive: true, amount: 173 },
      address: ADDRESS,
    };

    it('shows the address and the method on every fulfilment of a split order, before and after shipping', async () => {
      const sku = await product('SPLIT');
      await receive(sku, 'W1', 1);
      await receive(sku, 'W2', 1);
      const orderId = await placeOrder(sku, 2, express);

      const fulfilments = await fulfilmentsOf(orderId);
      expect(fulfilments.map((fulfilment) => fulfilment.locationId)).toEqual(['W1', 'W2']);
      for (const fulfilment of fulfilments)
        expect(fulfilment).toMatchObject({
          shipTo: ADDRESS,
          shippingMethod: { id: 'express', name: 'Next-day delivery' },
        });

      const shipped = await ok('POST', `/fulfillments/${orderId}:W1/ship`);
      expect(shipped).toMatchObject({
        status: 'shipped',
        shipTo: ADDRESS,
        shippingMethod: { id: 'express' },
      });
      const delivered = await ok('POST', `/fulfillments/${orderId}:W1/deliver`);
      expect(delivered).toMatchObject({ status: 'delivered', shipTo: ADDRESS });
    });

    it('gives a backorder’s later fulfilment the order’s ship-to too', async () => {
      const sku = await product('LATER', true);
      const standard = { ...express, methodId: 'standard', name: 'Standard delivery', amount: 0 };
      const orderId = await placeOrder(sku, 1, { ...standard, tax: { ...standard.tax, amount: 0 } });
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
    });

    it('shows null ship-to for an order placed without delivery', async () => {
      const sku = await product('NOSHIP');
      await receive(sku, 'W1', 1);
      const orderId = await placeOrder(sku, 1);
      const [only] = await fulfilmentsOf(orderId);
      expect(only).toMatchObject({ status: 'allocated', shipTo: null, shippingMethod: null });
      expect(await ok('POST', `/fulfillments/${only.id}/ship`)).toMatchObject({
        status: 'shipped',
        shipTo: null,
        shippingMethod: null,
      });
    });
  },
);
