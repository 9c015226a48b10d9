/**
 * Pricing refuses what it cannot honour, on every engine, with a problem document and the code that says
 * why: malformed promotions, price lists and quotes, unknown SKUs, snapshots and price lists, a second tax
 * rate for a category, a currency nothing is priced in, and a coupon code another promotion owns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import type { TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { ok, seedPriced as seed, startPricingPlatform } from '../support/pricing.js';

describe.each(ENGINES)('pricing refuses bad input with a problem document (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  it.each([
    {
      name: 'an unknown field in a promotion',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-1',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        effect: { type: 'percent_off_lines', basisPoints: 10 },
        colour: 'red',
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'an amount off without a currency',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-2',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        effect: { type: 'amount_off_order', amount: 100 },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'an unknown time zone',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-3',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        schedule: { timeZone: 'Mars/Olympus', slots: [{ days: [1], from: '10:00', to: '11:00' }] },
        effect: { type: 'percent_off_lines', basisPoints: 10 },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a schedule slot starting at 24:00',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-3b',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        schedule: { timeZone: 'Europe/Amsterdam', slots: [{ days: [1], from: '24:00', to: '01:00' }] },
        effect: { type: 'percent_off_lines', basisPoints: 10 },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a target naming nothing',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-3c',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        target: {},
        effect: { type: 'percent_off_lines', basisPoints: 10 },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a buy X get Y whose get target names nothing',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-3d',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        effect: { type: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, basisPoints: 10_000, getTarget: {} },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a get target on an effect that gives nothing',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-3e',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        effect: { type: 'percent_off_lines', basisPoints: 10, getTarget: { skus: ['A'] } },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a window that ends before it starts',
      method: 'PUT',
      path: '/erp/v1/price-lists/bad-4',
      body: {
        name: 'x',
        currency: 'EUR',
        priority: 0,
        startsAt: '2026-06-02T00:00:00Z',
        endsAt: '2026-06-01T00:00:00Z',
        prices: [{ sku: 'A', amount: 1 }],
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a percentage above 100 %',
      method: 'PUT',
      path: '/erp/v1/promotions/bad-5',
      body: {
        name: 'x',
        priority: 0,
        stacking: 'stackable',
        effect: { type: 'percent_off_lines', basisPoints: 10_001 },
      },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a fractional quantity in a quote',
      method: 'POST',
      path: '/erp/v1/quotes',
      body: { channel: 'web', currency: 'EUR', lines: [{ sku: 'A', quantity: 1.5 }] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'an unknown SKU in a quote',
      method: 'POST',
      path: '/erp/v1/quotes',
      body: { channel: 'web', currency: 'EUR', lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
      status: 422,
      code: 'unknown_sku',
    },
    {
      name: 'a snapshot version never minted',
      method: 'POST',
      path: '/erp/v1/quotes',
      body: { channel: 'web', currency: 'EUR', snapshotVersion: 999_999, lines: [{ sku: 'A', quantity: 1 }] },
      status: 404,
      code: 'snapshot_not_found',
    },
    {
      name: 'an unknown price list',
      method: 'GET',
      path: '/erp/v1/price-lists/nope',
      status: 404,
      code: 'price_list_not_found',
    },
    {
      name: 'a second tax rate for the same category everywhere',
      method: 'PUT',
      path: '/erp/v1/tax-rates/vat-duplicate',
      body: { name: 'dup', taxCategory: 'standard', ratePpm: 90_000, inclusive: true },
      status: 409,
      code: 'tax_rate_conflict',
    },
  ])('refuses $name with $status $code', async ({ method, path, body, status, code }) => {
    const response = await platform.request(method, path, body);
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a quote in a currency nothing is priced in, and a coupon code another promotion owns', async () => {
    const { skus } = await seed(platform, { A: 100 });
    const usd = await platform.request('POST', '/erp/v1/quotes', {
      channel: 'web',
      currency: 'USD',
      lines: [{ sku: skus.A, quantity: 1 }],
    });
    expect([usd.status, usd.body.code, usd.body.skus]).toEqual([422, 'price_not_found', [skus.A]]);
    const code = uniqueName('TAKEN');
    const promotion = {
      name: 'x',
      priority: 0,
      stacking: 'stackable',
      couponCodes: [code],
      effect: { type: 'percent_off_lines', basisPoints: 10 },
    };
    ok(await platform.request('PUT', `/erp/v1/promotions/${code}-a`, promotion), 'first');
    const taken = await platform.request('PUT', `/erp/v1/promotions/${code}-b`, {
      ...promotion,
      couponCodes: [code.toLowerCase()],
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'coupon_code_taken', couponCode: code.toUpperCase() });
  });
});
