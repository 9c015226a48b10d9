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

/** ERP's product event at a version; `barcodes` left out when not given, as events from before barcodes. */
const product = (
  sku: string,
  version: number,
  fields: { barcodes?: string[]; status?: string; name?: string } = {},
) =>
  foreignEvent('erp', 'erp.product.upserted', `product/${sku}`, version, {
    sku,
    name: fields.name ?? sku,
    price: { amount: 500, currency: 'EUR' },
    kind: 'standard',
    backorderable: false,
    version,
    ...fields,
  });

/** The storefront shows each product's GTINs and finds a product by the one a shopper scans. */
describe.each(harnessDialects(pgUrl))('product GTINs in the storefront on %s', (dialect) => {
  let commerce: ContextHarness;
  const get = (url: string, headers: Record<string, string> = {}) =>
    commerce.app.inject({ method: 'GET', url: `/commerce/v1${url}`, headers });
  const found = async (gtin: string) => {
    const response = await get(`/products?gtin=${gtin}`);
    expect(response.statusCode).toBe(200);
    return (response.json().products as Array<{ sku: string }>).map((each) => each.sku);
  };

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: fakeErp({}).port }),
      { dialect, pgUrl, name: 'commerce' },
    );
  });
  afterAll(async () => commerce?.close());

  it('shows no GTINs for a product ERP sent none (or sent before barcodes existed)', async () => {
    await commerce.deliver('erp', product('PLAIN', 1));
    await commerce.deliver('erp', product('CLEARED', 1, { barcodes: [] }));
    for (const sku of ['PLAIN', 'CLEARED']) expect((await get(`/products/${sku}`)).json().gtins).toEqual([]);
  });

  it('shows the GTINs as ERP sends them, on the product and in the list', async () => {
    await commerce.deliver('erp', product('MUG', 1, { barcodes: ['036000291452', '4006381333931'] }));
    expect((await get('/products/MUG')).json().gtins).toEqual(['036000291452', '4006381333931']);
    const listed = (await get('/products?q=mug')).json().products as Array<{ sku: string; gtins: string[] }>;
    expect(listed).toEqual([
      expect.objectContaining({ sku: 'MUG', gtins: ['036000291452', '4006381333931'] }),
    ]);
  });

  it('changes the ETags of the product and of its pages when only its GTINs change', async () => {
    await commerce.deliver('erp', product('TAG', 1, { barcodes: ['96385074'] }));
    const before = await get('/products/TAG');
    const page = await get('/products?q=tag');
    const etag = before.headers.etag as string;
    expect((await get('/products/TAG', { 'if-none-match': etag })).statusCode).toBe(304);

    await commerce.deliver('erp', product('TAG', 2, { barcodes: ['96385074', '10036000291459'] }));
    const after = await get('/products/TAG', { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.json().gtins).toEqual(['96385074', '10036000291459']);
    expect(after.headers.etag).not.toBe(etag);
    const pageAfter = await get('/products?q=tag', { 'if-none-match': page.headers.etag as string });
    expect(pageAfter.statusCode).toBe(200);
    expect(pageAfter.json().products[0].gtins).toEqual(['96385074', '10036000291459']);
  });

  it('applies only newer versions: a late older event does not bring old GTINs back', async () => {
    await commerce.deliver('erp', product('LATE', 2, { barcodes: ['5901234123457'] }));
    await commerce.deliver('erp', product('LATE', 1, { barcodes: ['4006381333931'] }));
    expect((await get('/products/LATE')).json().gtins).toEqual(['5901234123457']);
    expect(await found('5901234123457')).toEqual(['LATE']);
  });

  it('finds a product by its GTIN in whichever form it is scanned', async () => {
    // ERP holds UPC-A for one product and the zero-padded EAN-13 / GTIN-14 forms for others.
    await commerce.deliver('erp', product('UPC', 1, { barcodes: ['012345678905'] }));
    await commerce.deliver('erp', product('EAN', 1, { barcodes: ['0614141000036'] }));
    await commerce.deliver('erp', product('G14', 1, { barcodes: ['00073796201142'] }));
    expect(await found('012345678905')).toEqual(['UPC']);
    expect(await found('0012345678905')).toEqual(['UPC']);
    expect(await found('00012345678905')).toEqual(['UPC']);
    expect(await found('614141000036')).toEqual(['EAN']);
    expect(await found('073796201142')).toEqual(['G14']);
    expect(await found('0073796201142')).toEqual(['G14']);
    expect(await found('4012345000009')).toEqual([]);
  });

  it('finds a GTIN a product gains after the same search came up empty, and not one it loses', async () => {
    expect(await found('4012345000009')).toEqual([]);
    await commerce.deliver('erp', product('NEW', 1, { barcodes: ['4012345000009'] }));
    expect(await found('4012345000009')).toEqual(['NEW']);
    await commerce.deliver('erp', product('NEW', 2, { barcodes: [] }));
    expect(await found('4012345000009')).toEqual([]);
  });

  it('finds only products the storefront shows: not a draft or archived one', async () => {
    await commerce.deliver('erp', product('OLD', 1, { barcodes: ['4000417025005'], status: 'active' }));
    expect(await found('4000417025005')).toEqual(['OLD']);
    await commerce.deliver('erp', product('OLD', 2, { barcodes: ['4000417025005'], status: 'archived' }));
    expect(await found('4000417025005')).toEqual([]);
    await commerce.deliver('erp', product('DRAFT', 1, { barcodes: ['40123455'], status: 'draft' }));
    expect(await found('40123455')).toEqual([]);
  });

  it.each([
    ['of no GTIN length', '12345'],
    ['with a letter', '03600029145X'],
    ['with a wrong check digit', '036000291453'],
  ])('answers 400 invalid_barcode problem+json for a gtin %s', async (_name, gtin) => {
    const response = await get(`/products?gtin=${gtin}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'invalid_barcode', status: 400, barcodes: [gtin] });
  });
});
