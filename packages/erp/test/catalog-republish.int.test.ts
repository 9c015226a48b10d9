import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** Republishing the catalog: every product once more, one version up, content as it is, a page at a time. */
describe.each(harnessDialects(pgUrl))('ERP republishes its products on a real %s database', (dialect) => {
  let erp: ContextHarness;
  const call = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
    const response = await erp.app.inject({
      method,
      url: `/erp/v1${url}`,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${erp.adminKey}` },
    });
    return { status: response.statusCode, body: response.json() };
  };
  const skus = ['RP-A', 'RP-B', 'RP-C', 'RP-D', 'RP-E'];
  const upserts = async () =>
    (await erp.published())
      .filter((event) => event.type === 'erp.product.upserted')
      .map((event) => event.data as { sku: string; version: number; name: string; barcodes: string[] });

  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    for (const sku of skus)
      await call('PUT', `/products/${sku}`, {
        name: `Product ${sku}`,
        price: { amount: 100, currency: 'EUR' },
      });
    await call('PUT', '/products/RP-B', {
      name: 'Product RP-B, renamed',
      price: { amount: 100, currency: 'EUR' },
      barcodes: ['4006381333931'],
    });
  });
  afterAll(async () => erp?.close());

  it('publishes every product again one version up, with its content as it is, page by page', async () => {
    const before = await upserts();
    const pages = [];
    let after: string | undefined;
    do {
      const { status, body } = await call('POST', '/products/republish', {
        limit: 2,
        ...(after ? { after } : {}),
      });
      expect(status).toBe(200);
      pages.push(body);
      after = body.next ?? undefined;
    } while (after);

    expect(pages).toEqual([
      { republished: 2, next: 'RP-B' },
      { republished: 2, next: 'RP-D' },
      { republished: 1, next: null },
    ]);
    const again = (await upserts()).slice(before.length);
    expect(again.map((product) => [product.sku, product.version])).toEqual([
      ['RP-A', 2],
      ['RP-B', 3],
      ['RP-C', 2],
      ['RP-D', 2],
      ['RP-E', 2],
    ]);
    const renamed = again.find((product) => product.sku === 'RP-B')!;
    expect(renamed).toMatchObject({ name: 'Product RP-B, renamed', barcodes: ['4006381333931'] });
    expect((await call('GET', '/products/RP-B')).body).toMatchObject({ version: 3, name: renamed.name });

    // A PUT afterwards goes on from the raised version; the same content again changes nothing.
    const edited = await call('PUT', '/products/RP-A', {
      name: 'Product RP-A',
      price: { amount: 120, currency: 'EUR' },
    });
    expect(edited).toMatchObject({ status: 200, body: { version: 3 } });
  });

  it('takes turns with PUTs of the same product: no version published twice, the last one as stored', async () => {
    await call('PUT', '/products/RP-Z', { name: 'Z 0', price: { amount: 100, currency: 'EUR' } });
    for (let round = 1; round <= 10; round++)
      await Promise.all([
        call('PUT', '/products/RP-Z', { name: `Z ${round}`, price: { amount: 100, currency: 'EUR' } }),
        call('POST', '/products/republish', { after: 'RP-Y', limit: 1 }),
      ]);
    const published = (await upserts()).filter((product) => product.sku === 'RP-Z');
    const versions = published.map((product) => product.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.at(-1)).toBe(21);
    const stored = (await call('GET', '/products/RP-Z')).body;
    expect(published.at(-1)).toMatchObject({ name: stored.name, version: stored.version });
    expect(stored.name).toBe('Z 10');
  });

  it('publishes every location again one version up, with its content as it is', async () => {
    await call('PUT', '/locations/RP-S1', { name: 'Store 1', kind: 'store', timeZone: 'Europe/Amsterdam' });
    await call('PUT', '/locations/RP-W1', { name: 'Warehouse 1', kind: 'warehouse' });
    const locations = async () =>
      (await erp.published())
        .filter((event) => event.type === 'erp.location.upserted')
        .map((event) => event.data as { locationId: string; version: number; timeZone?: string });
    const before = (await locations()).length;

    expect(await call('POST', '/locations/republish')).toEqual({ status: 200, body: { republished: 2 } });
    expect((await locations()).slice(before)).toEqual([
      { locationId: 'RP-S1', name: 'Store 1', kind: 'store', timeZone: 'Europe/Amsterdam', version: 2 },
      { locationId: 'RP-W1', name: 'Warehouse 1', kind: 'warehouse', version: 2 },
    ]);
    expect(await call('PUT', '/locations/RP-W1', { name: 'Warehouse 1', kind: 'warehouse' })).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
  });

  it('refuses a malformed page with a problem, never a 500', async () => {
    for (const body of [
      { limit: 0 },
      { limit: 1001 },
      { limit: '5' },
      { after: 'no spaces' },
      { other: 1 },
    ]) {
      const { status, body: problem } = await call('POST', '/products/republish', body);
      expect(status).toBe(400);
      expect(problem.code).toBe('validation_failed');
    }
  });

  it('numbers concurrent creates of one new product or location in turn: no version 1 twice', async () => {
    const names = Array.from({ length: 8 }, (_, index) => `New ${index}`);
    const answers = await Promise.all(
      names.map((name) => call('PUT', '/products/RP-NEW', { name, price: { amount: 100, currency: 'EUR' } })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const published = (await upserts()).filter((product) => product.sku === 'RP-NEW');
    expect(published.map((product) => product.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const stored = (await call('GET', '/products/RP-NEW')).body;
    expect(published.at(-1)).toMatchObject({ name: stored.name, version: 8 });

    await Promise.all(
      names.map((name) =>
        call('PUT', '/locations/RP-NEW-S', { name, kind: 'store', timeZone: 'Europe/Amsterdam' }),
      ),
    );
    const locations = (await erp.published())
      .filter((event) => event.subject === 'location/RP-NEW-S')
      .map((event) => event.data as { name: string; version: number });
    expect(locations.map((location) => location.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(locations.at(-1)!.name).toBe((await call('GET', '/locations/RP-NEW-S')).body.name);
  });
});
