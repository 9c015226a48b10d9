import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleOutConfigured } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { ok } from '../support/pricing.js';

/**
 * Commerce restarted while ERP does not answer. Scale-out only: there commerce is its own process and reads
 * ERP's snapshot over HTTP. The embedded engine runs ERP in the same process, so it cannot be unreachable
 * there; the keeping itself is tested on SQLite and PostgreSQL in commerce's pricing-snapshot.int.test.ts.
 */
describe.skipIf(!scaleOutConfigured)('storefront prices across a commerce restart (scale-out)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform('scale-out');
  });
  afterAll(async () => platform?.stop());

  const quoteOf = async (sku: string) => {
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    const answer = await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, {
      sku,
      quantity: 2,
    });
    return { status: answer.status, total: answer.body.quote?.totals.total, code: answer.body.code };
  };

  it('restarted while ERP is unreachable, the storefront and a cart quote show the price ERP set', async () => {
    const sku = uniqueName('SALE');
    ok(
      await platform.request('PUT', `/erp/v1/products/${sku}`, {
        name: 'On sale online',
        price: { amount: 1000, currency: 'EUR' },
      }),
      'product',
    );
    ok(
      await platform.request('PUT', `/erp/v1/price-lists/${uniqueName('web-sale')}`, {
        name: 'Web sale',
        currency: 'EUR',
        priority: 10,
        channels: ['web'],
        prices: [{ sku, amount: 800 }],
      }),
      'price list',
    );
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${sku}`)).body.price?.amount === 800,
      20_000,
      'the storefront shows the web price',
    );
    expect(await quoteOf(sku)).toMatchObject({ status: 200, total: 1600 });

    await platform.kill('erp');
    await platform.kill('commerce');
    await platform.restart('commerce');

    const shown = await platform.request('GET', `/commerce/v1/products/${sku}`);
    expect([shown.status, shown.body.price, shown.body.compareAtPrice]).toEqual([
      200,
      { amount: 800, currency: 'EUR' },
      { amount: 1000, currency: 'EUR' },
    ]);
    expect(await quoteOf(sku)).toMatchObject({ status: 200, total: 1600 });
    // ERP really is gone: checkout, which must hold stock there, fails closed.
    const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    ok(await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 1 }), 'line');
    const checkout = await platform.request('POST', `/commerce/v1/carts/${cart.id}/checkout`, {
      email: 'shopper@example.com',
      payment: { method: 'test' },
    });
    expect([checkout.status, checkout.body.code]).toEqual([503, 'service_unavailable']);
  });
});
