import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { OrderPlacedV1 } from '@tillstream/contracts';
import { harnessDialects } from '@tillstream/kernel/testing';
import { EXPRESS, HOME, STANDARD, pgUrl, shippingRig } from './shipping.rig.js';

describe.each(harnessDialects(pgUrl))('delivery at checkout and on orders on %s', (dialect) => {
  const { commerce, erp, publish, call, cartWith, choose, checkout, deliveredCart, openHolds } =
    shippingRig(dialect);

  it('checks out with delivery: the payment, the order and its event carry it', async () => {
    const cartId = await deliveredCart(2);
    const placed = await checkout(cartId);
    expect(placed.status).toBe(201);
    const shipping = {
      methodId: 'standard',
      name: 'Standard, 2–3 days',
      amount: 599,
      tax: { ratePpm: 210_000, inclusive: false, amount: 104 },
      address: HOME,
    };
    expect(placed.body).toMatchObject({ total: 2599, shipping });
    const lineTotals = placed.body.lines.reduce(
      (sum: number, line: { lineTotal: number }) => sum + line.lineTotal,
      0,
    );
    expect(placed.body.total).toBe(lineTotals + placed.body.shipping.amount);
    expect((await call('GET', `/commerce/v1/orders/${placed.body.id}`)).body).toMatchObject({
      total: 2599,
      shipping,
    });

    const event = (await commerce().published()).find(
      (each) =>
        each.type === 'commerce.order.placed' &&
        (each.data as { orderId: string }).orderId === placed.body.id,
    )!;
    expect(Value.Check(OrderPlacedV1.dataSchema, event.data)).toBe(true);
    expect(event.data).toMatchObject({ total: 2599, shipping });

    const listed = await call('GET', '/commerce/v1/orders?limit=200', undefined, true);
    expect(listed.body.orders.find((order: { id: string }) => order.id === placed.body.id)).toMatchObject({
      total: 2599,
      shipping: { methodId: 'standard', name: 'Standard, 2–3 days', amount: 599 },
    });
  });

  it('delivers free from the threshold: the order is charged nothing for it', async () => {
    const placed = await checkout(await deliveredCart(5));
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      total: 5000,
      shipping: { methodId: 'standard', amount: 0, tax: { ratePpm: 210_000, inclusive: false, amount: 0 } },
    });
  });

  it('refuses a checkout without delivery while the chain ships, before anything is held or charged', async () => {
    const cartId = await cartWith(1);
    const stock = erp.stock.A;
    const holds = openHolds();
    const refused = await checkout(cartId);
    expect([refused.status, refused.body.code]).toEqual([422, 'shipping_required']);
    expect([erp.stock.A, openHolds()]).toEqual([stock, holds]);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
    expect((await choose(cartId, 'standard')).status).toBe(200);
    expect((await checkout(cartId)).status).toBe(201);
  });

  it('refuses a method ERP withdrew after it was chosen, at checkout, with nothing held or charged', async () => {
    const cartId = await deliveredCart(1);
    const otherCart = await deliveredCart(1, 'express');
    publish({ shippingMethods: [{ ...STANDARD, version: 2, enabled: false }, EXPRESS] });
    try {
      const view = await call('GET', `/commerce/v1/carts/${cartId}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ shippingRefused: { code: 'shipping_method_unknown' } });
      expect(view.body.quote.totals.total).toBe(1000);
      const stock = erp.stock.A;
      const holds = openHolds();
      const refused = await checkout(cartId);
      expect([refused.status, refused.body.code]).toEqual([422, 'shipping_method_unknown']);
      expect([erp.stock.A, openHolds()]).toEqual([stock, holds]);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
      // Another method still works, and so does the cart that chose it.
      expect((await choose(cartId, 'express')).body.shippingRefused).toBeNull();
      expect((await checkout(cartId)).status).toBe(201);
      expect((await checkout(otherCart)).body.shipping.methodId).toBe('express');
    } finally {
      publish({});
    }
  });

  it('refuses a destination the method stopped delivering to since the choice', async () => {
    const cartId = await deliveredCart(1);
    publish({ shippingMethods: [{ ...STANDARD, version: 2, countries: ['BE'] }, EXPRESS] });
    try {
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.shippingRefused).toEqual({
        code: 'shipping_not_available',
      });
      expect((await checkout(cartId)).body.code).toBe('shipping_not_available');
    } finally {
      publish({});
    }
  });

  it('checks out without delivery when no method is offered in the cart’s channel or currency', async () => {
    publish({
      shippingMethods: [
        { ...STANDARD, channels: ['app'] },
        { ...EXPRESS, rates: [{ currency: 'GBP', amount: 995 }] },
      ],
    });
    try {
      const placed = await checkout(await cartWith(1));
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ total: 1000, shipping: null });
    } finally {
      publish({});
    }
  });
});
