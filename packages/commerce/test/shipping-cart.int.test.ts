import { beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { HOME, pgUrl, shippingRig } from './shipping.rig.js';

describe.each(harnessDialects(pgUrl))('delivery chosen in carts on %s', (dialect) => {
  const { call, cartWith, choose, checkout, deliveredCart } = shippingRig(dialect);

  it('lists the methods that deliver to a country, priced for the goods, cheapest first', async () => {
    const cartId = await cartWith(2);
    const nl = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`);
    expect(nl.status).toBe(200);
    expect(nl.body).toMatchObject({ country: 'NL', currency: 'EUR' });
    expect(
      nl.body.options.map((option: { methodId: string; total: number }) => [option.methodId, option.total]),
    ).toEqual([
      ['standard', 599],
      ['express', 1567],
    ]);
    const be = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=BE`);
    expect(be.body.options.map((option: { methodId: string }) => option.methodId)).toEqual(['standard']);
    expect(
      (await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=DE`)).body.options,
    ).toEqual([]);

    const enough = await cartWith(5);
    const free = await call('GET', `/commerce/v1/carts/${enough}/shipping-options?country=NL`);
    expect(free.body.options[0]).toMatchObject({
      methodId: 'standard',
      amount: 495,
      discountAmount: 495,
      total: 0,
    });
  });

  it('prices the chosen delivery into the cart, replaces it, and clears it', async () => {
    const cartId = await cartWith(2);
    const chosen = await choose(cartId, 'standard');
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({
      shipping: { methodId: 'standard', address: HOME },
      shippingRefused: null,
    });
    expect(chosen.body.quote.shipping).toMatchObject({
      methodId: 'standard',
      country: 'NL',
      netAmount: 495,
      total: 599,
    });
    expect(chosen.body.quote.totals).toMatchObject({ net: 2000, shipping: 495, tax: 104, total: 2599 });

    const express = await choose(cartId, 'express');
    expect(express.body.quote.totals.total).toBe(2000 + 1567);
    expect(express.body.version).toBe(chosen.body.version + 1);

    const cleared = await call('DELETE', `/commerce/v1/carts/${cartId}/shipping`);
    expect(cleared.body.shipping).toBeNull();
    expect(cleared.body.quote.shipping).toBeUndefined();
    expect(cleared.body.quote.totals.total).toBe(2000);
  });

  it("refuses what the engine refuses and keeps the cart's choice as it was", async () => {
    const cartId = await deliveredCart(1);
    const abroad = await choose(cartId, 'express', { ...HOME, country: 'BE' });
    expect([abroad.status, abroad.body.code]).toEqual([422, 'shipping_not_available']);
    const unknown = await choose(cartId, 'pigeon');
    expect([unknown.status, unknown.body.code]).toEqual([422, 'shipping_method_unknown']);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.shipping.methodId).toBe('standard');
  });

  it('keeps the choice when the cart empties and prices it again once goods are back', async () => {
    const cartId = await deliveredCart(1);
    const emptied = await call('DELETE', `/commerce/v1/carts/${cartId}/lines/A`);
    expect(emptied.body).toMatchObject({ lines: [], quote: null, shipping: { methodId: 'standard' } });
    const refilled = await call('POST', `/commerce/v1/carts/${cartId}/lines`, { sku: 'A', quantity: 1 });
    expect(refilled.body.quote.totals.total).toBe(1000 + 599);
    const empty = (await call('POST', '/commerce/v1/carts', {})).body.id as string;
    expect((await choose(empty, 'standard')).body.code).toBe('cart_empty');
  });

  describe('bad input', () => {
    let cartId: string;
    beforeAll(async () => {
      cartId = await cartWith(1);
    });

    it.each([
      ['an unknown field', { methodId: 'standard', address: HOME, gift: true }],
      ['an unknown address field', { methodId: 'standard', address: { ...HOME, floor: 3 } }],
      ['no method', { address: HOME }],
      ['an address without a city', { methodId: 'standard', address: { ...HOME, city: undefined } }],
      ['an address without a postal code', { methodId: 'standard', address: { ...HOME, postalCode: '' } }],
      ['a lower-case country', { methodId: 'standard', address: { ...HOME, country: 'nl' } }],
      ['a three-letter country', { methodId: 'standard', address: { ...HOME, country: 'NLD' } }],
      ['a method id that is no id', { methodId: 'no such method!', address: HOME }],
      ['no body', undefined],
    ])('refuses %s with 400 validation_failed and changes nothing', async (_name, body) => {
      const before = (await call('GET', `/commerce/v1/carts/${cartId}`)).body;
      const refused = await call('PUT', `/commerce/v1/carts/${cartId}/shipping`, body);
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.version).toBe(before.version);
    });

    it.each([
      ['a lower-case country', '?country=nl'],
      ['a country name', '?country=Netherlands'],
      ['no country', ''],
      ['an unknown parameter', '?country=NL&currency=USD'],
    ])('refuses options for %s with 400 validation_failed', async (_name, query) => {
      const refused = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options${query}`);
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    });

    it('answers 404 cart_not_found for an unknown cart and 409 for a cart no longer open', async () => {
      for (const [method, path, body] of [
        ['PUT', 'shipping', { methodId: 'standard', address: HOME }],
        ['DELETE', 'shipping', undefined],
        ['GET', 'shipping-options?country=NL', undefined],
      ] as const) {
        const missing = await call(method, `/commerce/v1/carts/no-such-cart/${path}`, body);
        expect([missing.status, missing.body.code]).toEqual([404, 'cart_not_found']);
      }
      const ordered = await deliveredCart(1);
      expect((await checkout(ordered)).status).toBe(201);
      const closed = await choose(ordered, 'express');
      expect([closed.status, closed.body.code]).toEqual([409, 'cart_closed']);
      const cleared = await call('DELETE', `/commerce/v1/carts/${ordered}/shipping`);
      expect([cleared.status, cleared.body.code]).toEqual([409, 'cart_closed']);
    });
  });
});
