import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** What the shopper's receipt needs of an order: per line, the discount taken off and the tax inside. */
describe.each(harnessDialects(pgUrl))('an order as its shopper reads it on %s', (dialect) => {
  let commerce: ContextHarness;
  const erp = fakeErp({ A: 5 }, 1000, {
    taxRates: [
      { id: 'nl-std', version: 1, name: 'VAT', taxCategory: 'standard', ratePpm: 210_000, inclusive: true },
    ],
  });
  erp.pricing.snapshot.promotions = [
    {
      id: 'tenth-off',
      version: 1,
      name: '10% off',
      priority: 0,
      stacking: 'stackable',
      effect: { type: 'percent_off_lines', basisPoints: 1000 },
    },
  ];
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await commerce.app.inject({ method, url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: erp.port }),
      { dialect, pgUrl, name: 'commerce' },
    );
  });
  afterAll(async () => commerce?.close());

  it('shows each line’s promotions and tax, as the order and its event keep them', async () => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku: 'A', quantity: 2 });
    const placed = await call('POST', `/commerce/v1/carts/${cart.body.id}/checkout`, {
      email: 'a@example.com',
      payment: { method: 'test' },
    });
    // 2 × €10.00 less 10 %: €18.00, of which 21 % VAT inside is €3.12.
    const line = {
      sku: 'A',
      quantity: 2,
      unitPrice: 1000,
      lineTotal: 1800,
      promotions: [expect.objectContaining({ promotionId: 'tenth-off', amount: 200 })],
      tax: { ratePpm: 210_000, inclusive: true, amount: 312 },
    };
    expect(placed).toMatchObject({ status: 201, body: { total: 1800, lines: [line] } });
    expect((await call('GET', `/commerce/v1/orders/${placed.body.id}`)).body.lines).toEqual([
      expect.objectContaining(line),
    ]);
  });
});
