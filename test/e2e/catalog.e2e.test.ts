import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { uniqueGtin } from '../support/fixtures.js';
import { putLocation, receive } from '../support/inventory.js';
import { catalogProbe, ok, startCatalogPlatform, type View } from '../support/catalog.js';

describe.each(ENGINES)('the storefront catalog (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startCatalogPlatform(engine);
  }, 120_000);
  afterAll(async () => platform?.stop());
  const { commerceUrls, getFrom, putProduct, converge } = catalogProbe(() => platform);

  it('shows stock changes, with an ETag that changes with them and 304 while it does not', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const store = await putLocation(platform, 'store');
    const sku = await putProduct({ name: 'Linen shirt' });
    await receive(platform, sku, warehouse, 10);
    // The web channel sells from warehouses: a store's shelf is not promised online.
    await receive(platform, sku, store, 40);
    const first = await converge(sku, 10);
    expect(first).toMatchObject({
      sku,
      name: 'Linen shirt',
      kind: 'standard',
      price: { amount: 500, currency: 'EUR' },
      compareAtPrice: null,
      inStock: true,
    });

    for (const baseUrl of commerceUrls()) {
      const fresh = await getFrom(baseUrl, `/commerce/v1/products/${sku}`);
      expect(fresh.headers.get('etag')).toBe(`"${first.version}"`);
      expect(fresh.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const notModified = await getFrom(baseUrl, `/commerce/v1/products/${sku}`, {
        'if-none-match': `"${first.version}"`,
      });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(`"${first.version}"`);
    }

    await receive(platform, sku, warehouse, 5);
    const second = await converge(sku, 15);
    expect(second.version).not.toBe(first.version);
    const stale = await platform.request('GET', `/commerce/v1/products/${sku}`, undefined, {
      'if-none-match': `"${first.version}"`,
    });
    expect(stale.status).toBe(200);
    expect(stale.body.available).toBe(15);

    // Holds count too: a reservation takes units out of what the storefront promises.
    ok(
      await platform.request('POST', '/erp/v1/reservations', {
        id: uniqueName('res'),
        channel: 'web',
        lines: [{ sku, quantity: 6 }],
        expiresInSeconds: 600,
      }),
      'reserve',
    );
    await converge(sku, 9);
  });

  it('shows a kit as available as its scarcest component allows, following component stock', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const other = await putLocation(platform, 'warehouse');
    const strap = await putProduct({ name: 'Strap' });
    const buckle = await putProduct({ name: 'Buckle' });
    const kit = await putProduct({
      name: 'Belt kit',
      kind: 'kit',
      components: [
        { sku: strap, quantity: 2 },
        { sku: buckle, quantity: 1 },
      ],
    });
    const empty = await converge(kit, 0);
    expect(empty).toMatchObject({
      kind: 'kit',
      inStock: false,
      components: [
        { sku: strap, quantity: 2 },
        { sku: buckle, quantity: 1 },
      ],
    });
    await receive(platform, strap, warehouse, 7);
    await receive(platform, buckle, other, 5);
    // floor(7 / 2) = 3 straps' worth; buckles may come from another warehouse.
    await converge(kit, 3);
    await receive(platform, strap, other, 5);
    await converge(kit, 5);
    ok(
      await platform.request('POST', '/erp/v1/inventory/adjustments', {
        id: uniqueName('damage'),
        sku: buckle,
        locationId: other,
        delta: -4,
        reason: 'damaged',
        occurredAt: '2026-11-02T08:00:00Z',
      }),
      'write off buckles',
    );
    await converge(kit, 1);
    await converge(buckle, 1);
  });

  it('shows the web price from the price lists, with the base price to compare', async () => {
    const sku = await putProduct({ name: 'Wool scarf', price: { amount: 4000, currency: 'EUR' } });
    await converge(sku, 0);
    const list = uniqueName('web-sale');
    ok(
      await platform.request('PUT', `/erp/v1/price-lists/${list}`, {
        name: 'Web sale',
        currency: 'EUR',
        priority: 10,
        channels: ['web'],
        prices: [{ sku, amount: 2900 }],
      }),
      'price list',
    );
    for (const baseUrl of commerceUrls()) {
      await eventually(
        async () => {
          const { body } = await getFrom(baseUrl, `/commerce/v1/products/${sku}`);
          return body.price.amount === 2900 && body.compareAtPrice?.amount === 4000;
        },
        20_000,
        `the web price on ${baseUrl}`,
      );
    }
    ok(
      await platform.request('PUT', `/erp/v1/price-lists/${uniqueName('pos-only')}`, {
        name: 'Till only',
        currency: 'EUR',
        priority: 20,
        channels: ['pos'],
        prices: [{ sku, amount: 1000 }],
      }),
      'pos price list',
    );
    await new Promise((done) => setTimeout(done, 1_000));
    const { body } = await platform.request('GET', `/commerce/v1/products/${sku}`);
    expect(body.price).toEqual({ amount: 2900, currency: 'EUR' });
  });

  it('searches, filters, sorts and pages with a stable cursor and list ETags', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const tag = uniqueName('srch').toLowerCase();
    const made: Array<{ sku: string; price: number; stock: number }> = [];
    for (const [index, price] of [1200, 800, 2500, 800, 3100].entries()) {
      const sku = await putProduct(
        { name: `${tag.toUpperCase()} item ${index}`, price: { amount: price, currency: 'EUR' } },
        uniqueName('LST'),
      );
      const stock = index % 2 === 0 ? 3 : 0;
      if (stock > 0) await receive(platform, sku, warehouse, stock);
      made.push({ sku, price, stock });
    }
    for (const product of made) await converge(product.sku, product.stock);

    const list = async (query: string) => {
      const response = await platform.request('GET', `/commerce/v1/products?q=${tag}&${query}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response;
    };
    const skusOf = (response: { body: { products: View[] } }) =>
      response.body.products.map((view) => view.sku);

    const all = await list('');
    expect(skusOf(all)).toEqual(made.map((product) => product.sku).sort());
    expect(skusOf(await list('inStock=true'))).toEqual(
      made
        .filter((product) => product.stock > 0)
        .map((product) => product.sku)
        .sort(),
    );
    expect(skusOf(await list('minPrice=800&maxPrice=1200')).length).toBe(3);
    expect(skusOf(await list('kind=kit'))).toEqual([]);
    const byPrice = await list('sort=-price');
    expect(byPrice.body.products.map((view: View) => view.price.amount)).toEqual([
      3100, 2500, 1200, 800, 800,
    ]);
    const upper = await platform.request('GET', `/commerce/v1/products?q=${tag.toUpperCase()}`);
    expect(skusOf(upper)).toEqual(skusOf(all));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`sort=price&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.products.length).toBeLessThanOrEqual(2);
      paged.push(...skusOf(page));
      cursor = page.body.next;
    } while (cursor);
    const byAscendingPrice = [...made].sort((a, b) => a.price - b.price || (a.sku < b.sku ? -1 : 1));
    expect(paged).toEqual(byAscendingPrice.map((product) => product.sku));

    const etag = all.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(all.headers.get('cache-control')).toMatch(/^public/);
    for (const baseUrl of commerceUrls()) {
      const again = await getFrom(baseUrl, `/commerce/v1/products?q=${tag}`, { 'if-none-match': etag });
      expect(again.status).toBe(304);
    }
    await receive(platform, made[1]!.sku, warehouse, 4);
    await converge(made[1]!.sku, 4);
    const changed = await platform.request('GET', `/commerce/v1/products?q=${tag}`, undefined, {
      'if-none-match': etag,
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('shows what GTINs ERP gives a product, and finds the product by any form of one', async () => {
    const upcA = uniqueGtin();
    const padded = uniqueGtin();
    // ERP keeps barcodes as given: one product as UPC-A, the other as the EAN-13 form of its number.
    const scarf = await putProduct({ name: 'Silk scarf', barcodes: [upcA] });
    const gloves = await putProduct({ name: 'Gloves', barcodes: [`0${padded}`] });
    const plain = await putProduct({ name: 'Plain socks' });
    for (const baseUrl of commerceUrls()) {
      const gtinsOf = async (sku: string) =>
        (
          await eventually(
            async () => {
              const response = await getFrom(baseUrl, `/commerce/v1/products/${sku}`);
              return response.status === 200 ? (response.body as View) : null;
            },
            20_000,
            `${sku} on ${baseUrl}`,
          )
        ).gtins;
      expect(await gtinsOf(scarf)).toEqual([upcA]);
      expect(await gtinsOf(gloves)).toEqual([`0${padded}`]);
      expect(await gtinsOf(plain)).toEqual([]);
      for (const [scanned, sku] of [
        [`0${upcA}`, scarf],
        [`00${upcA}`, scarf],
        [padded, gloves],
      ] as const) {
        const found = await getFrom(baseUrl, `/commerce/v1/products?gtin=${scanned}`);
        expect(found.body.products.map((each: View) => each.sku)).toEqual([sku]);
      }
    }
  });

  it.each([
    ['limit=0', 'validation_failed'],
    ['limit=201', 'validation_failed'],
    ['limit=ten', 'validation_failed'],
    ['sort=colour', 'validation_failed'],
    ['kind=bundle', 'validation_failed'],
    ['inStock=maybe', 'validation_failed'],
    ['minPrice=-1', 'validation_failed'],
    ['maxPrice=1.5', 'validation_failed'],
    [`q=${'x'.repeat(101)}`, 'validation_failed'],
    ['colour=red', 'validation_failed'],
    ['cursor=%24%24%24', 'validation_failed'],
    ['minPrice=900&maxPrice=100', 'invalid_price_range'],
    ['gtin=12345', 'invalid_barcode'],
    ['gtin=03600029145X', 'invalid_barcode'],
    ['gtin=036000291453', 'invalid_barcode'],
    ['cursor=bm90LWEtY3Vyc29y', 'invalid_cursor'],
    [`sort=name&cursor=${Buffer.from('["price",100,"A"]').toString('base64url')}`, 'invalid_cursor'],
  ])('refuses ?%s with 400 %s', async (query, code) => {
    const response = await platform.request('GET', `/commerce/v1/products?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe(code);
  });

  it('answers 404 for an unknown product and 400 for a malformed SKU', async () => {
    expect((await platform.request('GET', '/commerce/v1/products/NO-SUCH-SKU')).body.code).toBe(
      'product_not_found',
    );
    const malformed = await platform.request('GET', '/commerce/v1/products/%24bad');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'validation_failed']);
    const erp = await platform.request('GET', '/erp/v1/availability?channel=web&skus=a,,b');
    expect([erp.status, erp.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await platform.request('GET', '/erp/v1/availability?channel=web&skus=NO-SUCH-SKU');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'product_not_found']);
  });
});
