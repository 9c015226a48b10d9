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

const stock = (locationId: string, version: number, available: number) =>
  foreignEvent('erp', 'erp.stock.changed', `stock/A@${locationId}`, version, {
    sku: 'A',
    locationId,
    version,
    onHand: available,
    reserved: 0,
    available,
    movement: { id: `m-${version}`, kind: 'adjusted', quantity: 1, occurredAt: '2026-11-01T09:00:00.000Z' },
  });

describe.each(harnessDialects(pgUrl))('commerce projection on a real %s database', (dialect) => {
  let commerce: ContextHarness;
  const get = (url: string, headers: Record<string, string> = {}) =>
    commerce.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: fakeErp({}).port }),
      {
        dialect,
        pgUrl,
        name: 'commerce',
      },
    );
    await commerce.deliver(
      'erp',
      foreignEvent('erp', 'erp.product.upserted', 'product/A', 1, {
        sku: 'A',
        name: 'Apple',
        price: { amount: 150, currency: 'EUR' },
        kind: 'standard',
        backorderable: false,
        version: 1,
      }),
    );
  });
  afterAll(async () => commerce?.close());

  it('applies only newer per-key versions, so reordering and redelivery cannot move availability back', async () => {
    await commerce.deliver('erp', stock('S1', 3, 7));
    await commerce.deliver('erp', stock('S1', 2, 9));
    await commerce.deliver('erp', stock('W1', 1, 5));
    await commerce.deliver('erp', stock('W1', 1, 5));
    expect((await get('/commerce/v1/products/A')).json()).toMatchObject({ available: 12, inStock: true });
  });

  it('does not let one location’s negative stock hide another’s', async () => {
    await commerce.deliver('erp', stock('S1', 4, -3));
    expect((await get('/commerce/v1/products/A')).json().available).toBe(5);
  });

  it('serves a 304 for a current ETag and a new ETag after a change', async () => {
    const first = await get('/commerce/v1/products/A');
    const etag = first.headers.etag as string;
    expect(first.headers['cache-control']).toBe('public, max-age=5');
    expect((await get('/commerce/v1/products/A', { 'if-none-match': etag })).statusCode).toBe(304);
    await commerce.deliver('erp', stock('W1', 2, 4));
    const changed = await get('/commerce/v1/products/A', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('answers 404 problem+json for an unknown product, without a key', async () => {
    const missing = await get('/commerce/v1/products/NOPE');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('product_not_found');
  });
});
