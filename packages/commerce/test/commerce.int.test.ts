import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { catalogProjection } from '../src/catalog/catalog.projection.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** A product event with the fields a test does not care about filled in. */
const product = (sku: string, version: number, fields: Record<string, unknown> = {}) =>
  foreignEvent('erp', 'erp.product.upserted', `product/${sku}`, version, {
    sku,
    name: sku,
    price: { amount: 100, currency: 'EUR' },
    kind: 'standard',
    backorderable: false,
    version,
    ...fields,
  });

const level = (sku: string, locationId: string, version: number, available: number) =>
  foreignEvent('erp', 'erp.stock.changed', `stock/${sku}@${locationId}`, version, {
    sku,
    locationId,
    version,
    onHand: available,
    reserved: 0,
    available,
    movement: {
      id: `m-${sku}-${version}`,
      kind: 'adjusted',
      quantity: 1,
      occurredAt: '2026-11-01T09:00:00.000Z',
    },
  });

/** Apple's stock at one location. */
const stock = (locationId: string, version: number, available: number) =>
  level('A', locationId, version, available);

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
      product('A', 1, { name: 'Apple', price: { amount: 150, currency: 'EUR' } }),
    );
    // The web channel sells from both locations below (an unconfigured one would use warehouses only).
    await commerce.deliver(
      'erp',
      foreignEvent('erp', 'erp.channel.updated', 'channel/web', 1, {
        channel: 'web',
        version: 1,
        locations: ['S1', 'W1'],
        safetyStock: 0,
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

  it('keeps the newest of several changes of one key in a batch, wherever it stands in the batch', async () => {
    await commerce.deliverAll('erp', [
      level('BUSY', 'S1', 2, 8),
      level('BUSY', 'W1', 1, 1),
      level('BUSY', 'S1', 4, 6),
      level('BUSY', 'S1', 3, 7),
      level('BUSY', 'W1', 2, 0),
    ]);
    await commerce.deliver('erp', product('BUSY', 1));
    expect((await get('/commerce/v1/products/BUSY')).json().available).toBe(6);
    await commerce.deliverAll('erp', [level('BUSY', 'S1', 5, 5), level('BUSY', 'S1', 4, 6)]);
    expect((await get('/commerce/v1/products/BUSY')).json().available).toBe(5);
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

  it('serves every SKU of a large batch its own figures, stock and product changes mixed', async () => {
    const skus = Array.from({ length: 37 }, (_, index) => `P${String(index).padStart(2, '0')}`);
    await commerce.deliverAll(
      'erp',
      skus.map((sku) => product(sku, 1)),
    );
    // 37 SKUs in one sync (a list length that is no power of two), one of them renamed in the same batch.
    await commerce.deliverAll('erp', [
      ...skus.map((sku, index) => level(sku, 'S1', 1, index + 1)),
      product('P00', 2, { name: 'P00 renamed' }),
    ]);
    for (const [index, sku] of skus.entries()) {
      expect((await get(`/commerce/v1/products/${sku}`)).json()).toMatchObject({
        sku,
        name: sku === 'P00' ? 'P00 renamed' : sku,
        available: index + 1,
      });
    }
  });

  it('follows kit components and the channel safety stock through events', async () => {
    await commerce.deliver('erp', product('B', 1));
    await commerce.deliver(
      'erp',
      product('KIT', 1, {
        kind: 'kit',
        components: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
      }),
    );
    await commerce.deliver('erp', level('B', 'W1', 1, 1));
    const kitAvailable = async () => (await get('/commerce/v1/products/KIT')).json().available as number;
    // A (from the tests above): −3 at S1 counts 0, 4 at W1 → 2 kits' worth; B: 1 → 1 kit.
    expect(await kitAvailable()).toBe(1);
    await commerce.deliver('erp', level('B', 'S1', 1, 10));
    expect(await kitAvailable()).toBe(2);
    await commerce.deliver('erp', level('A', 'S1', 5, 6));
    expect(await kitAvailable()).toBe(5);
    await commerce.deliver(
      'erp',
      foreignEvent('erp', 'erp.channel.updated', 'channel/web', 2, {
        channel: 'web',
        version: 2,
        locations: ['S1', 'W1'],
        safetyStock: 2,
      }),
    );
    // A: (6 − 2) + (4 − 2) = 6 → 3 kits; B: (10 − 2) + max(0, 1 − 2) = 8.
    expect(await kitAvailable()).toBe(3);
    expect((await get('/commerce/v1/products/A')).json().available).toBe(6);
  });

  it('shows a component’s change in a list page read first, the kit’s figure included', async () => {
    const listed = async () => {
      const page = (await get('/commerce/v1/products?q=kit&limit=5')).json() as {
        products: Array<{ sku: string; available: number }>;
      };
      return page.products.find((item) => item.sku === 'KIT')?.available;
    };
    expect(await listed()).toBe(3);
    // B: (12 − 2) + 0 = 10 → still A's 3 kits; A at W1 from 4 to 20: (6 − 2) + (20 − 2) = 22 → B's 10.
    await commerce.deliver('erp', level('B', 'S1', 2, 12));
    await commerce.deliver('erp', level('A', 'W1', 3, 20));
    // No single-product read in between: the list itself must bring the kit's entry up to date.
    expect(await listed()).toBe(10);
  });

  it('prunes the change feed from its old end and marks how far', async () => {
    const projection = catalogProjection(commerce.db, { keepRevisions: 3, pruneEvery: 2 });
    for (let version = 1; version <= 6; version += 1) {
      await commerce.db.transaction((tx) => projection.handle(level('F3', 'W1', version, version), tx));
    }
    const [feed] = await commerce.db.query<{ revision: number; pruned_through: number }>(
      'SELECT revision, pruned_through FROM catalog_revision WHERE id = 1',
    );
    const revision = Number(feed!.revision);
    const prunedThrough = revision - (revision % 2) - 3;
    expect(Number(feed!.pruned_through)).toBe(prunedThrough);
    const kept = (await commerce.db.query<{ revision: number }>('SELECT revision FROM catalog_changes')).map(
      (row) => Number(row.revision),
    );
    expect(Math.min(...kept)).toBe(prunedThrough + 1);
    expect(Math.max(...kept)).toBe(revision);
  });

  it('reloads everything when the feed was pruned past where the cache had read', async () => {
    await commerce.deliver('erp', product('F1', 1));
    await commerce.deliver('erp', level('F1', 'W1', 1, 4));
    // The channel keeps a safety stock of 2 since the test above.
    expect((await get('/commerce/v1/products/F1')).json().available).toBe(2);
    // A change the feed no longer lists, as if pruned away before this instance read it.
    await commerce.db.transaction(async (tx) => {
      await tx.execute(`UPDATE stock_levels SET available = 9 WHERE sku = 'F1' AND location_id = 'W1'`);
      await tx.execute(
        'UPDATE catalog_revision SET revision = revision + 1, pruned_through = revision + 1 WHERE id = 1',
      );
    });
    await commerce.deliver('erp', level('F2', 'W1', 1, 1));
    expect((await get('/commerce/v1/products/F1')).json().available).toBe(7);
  });

  it('answers 404 problem+json for an unknown product, without a key', async () => {
    const missing = await get('/commerce/v1/products/NOPE');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('product_not_found');
  });
});
