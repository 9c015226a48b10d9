import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** ERP's product event at a version, with the status it names (none: an event from before statuses). */
const product = (version: number, status?: string) =>
  foreignEvent('erp', 'erp.product.upserted', 'product/TEE', version, {
    sku: 'TEE',
    name: 'Tee',
    price: { amount: 500, currency: 'EUR' },
    kind: 'standard',
    backorderable: false,
    version,
    ...(status ? { status } : {}),
  });

/**
 * The storefront sells only what ERP says is for sale: a draft or archived product leaves the catalog, and a
 * cart can take no more of it (but can always take it out).
 */
describe.each(harnessDialects(pgUrl))('product status in the storefront on %s', (dialect) => {
  let commerce: ContextHarness;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await commerce.app.inject({ method, url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() };
  };
  const listed = async () =>
    ((await call('GET', '/commerce/v1/products')).body.products as Array<{ sku: string }>).map(
      (entry) => entry.sku,
    );

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: fakeErp({ TEE: 10 }).port }),
      { dialect, pgUrl, name: 'commerce' },
    );
  });
  afterAll(async () => commerce?.close());

  it('shows an active product (and one from before statuses), hides it once archived, shows it again', async () => {
    await commerce.deliver('erp', product(1));
    expect((await call('GET', '/commerce/v1/products/TEE')).status).toBe(200);
    const cart = (await call('POST', '/commerce/v1/carts', {})).body.id as string;
    expect((await call('POST', `/commerce/v1/carts/${cart}/lines`, { sku: 'TEE', quantity: 2 })).status).toBe(
      200,
    );

    await commerce.deliver('erp', product(2, 'archived'));
    expect(await call('GET', '/commerce/v1/products/TEE')).toMatchObject({
      status: 404,
      body: { code: 'product_not_found' },
    });
    expect(await listed()).toEqual([]);
    // More of it is refused; less of it, or none, is always allowed.
    for (const [method, url, body] of [
      ['POST', `/commerce/v1/carts/${cart}/lines`, { sku: 'TEE', quantity: 1 }],
      ['PUT', `/commerce/v1/carts/${cart}/lines/TEE`, { quantity: 3 }],
    ] as const)
      expect(await call(method, url, body)).toMatchObject({
        status: 422,
        body: { code: 'product_not_for_sale', skus: ['TEE'] },
      });
    expect((await call('PUT', `/commerce/v1/carts/${cart}/lines/TEE`, { quantity: 1 })).body.lines).toEqual([
      { sku: 'TEE', quantity: 1 },
    ]);
    expect((await call('DELETE', `/commerce/v1/carts/${cart}/lines/TEE`)).body.lines).toEqual([]);

    // An older event delivered late changes nothing; a newer one bringing it back to sale shows it again.
    await commerce.deliver('erp', product(1));
    expect((await call('GET', '/commerce/v1/products/TEE')).status).toBe(404);
    await commerce.deliver('erp', product(3, 'active'));
    expect(await listed()).toEqual(['TEE']);
    expect((await call('POST', `/commerce/v1/carts/${cart}/lines`, { sku: 'TEE', quantity: 1 })).status).toBe(
      200,
    );
  });

  it('keeps a draft out of the storefront until it is made active', async () => {
    await commerce.deliver('erp', product(4, 'draft'));
    expect((await call('GET', '/commerce/v1/products/TEE')).status).toBe(404);
    await commerce.deliver('erp', product(5, 'active'));
    expect((await call('GET', '/commerce/v1/products/TEE')).status).toBe(200);
  });
});
