import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ShippingMethodChangedV1,
  type PricingSnapshot,
  type PricingSnapshotDelta,
} from '@tillstream/contracts';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { applySnapshotDelta } from '@tillstream/pricing';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const validChange = addFormats(new Ajv({ strict: false })).compile(ShippingMethodChangedV1.dataSchema);

const standard = {
  name: 'Standard delivery, 2–3 working days',
  channels: ['web'],
  countries: ['NL', 'BE'],
  rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
  taxCategory: 'standard',
};

describe.each(harnessDialects(pgUrl))('shipping methods in ERP pricing (%s)', (dialect) => {
  let erp: ContextHarness;
  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    for (const [sku, amount] of [
      ['MUG', 2500],
      ['COAT', 6000],
    ] as const)
      expect(
        (await erp.api('PUT', `/products/${sku}`, { name: sku, price: { amount, currency: 'EUR' } })).status,
      ).toBe(201);
    expect(
      (
        await erp.api('PUT', '/tax-rates/vat', {
          name: 'VAT 21 %',
          taxCategory: 'standard',
          ratePpm: 210_000,
          inclusive: true,
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => erp?.close());

  const snapshot = async () => {
    const answer = await erp.api('GET', '/pricing/snapshot');
    expect(answer.status).toBe(200);
    return answer.body as PricingSnapshot;
  };
  const quote = (lines: Array<{ sku: string; quantity: number }>, shipping: object) =>
    erp.api('POST', '/quotes', { channel: 'web', currency: 'EUR', lines, shipping });
  const changes = async (id: string) =>
    (await erp.published())
      .filter(
        (event) => event.type === 'erp.shipping_method.changed' && event.subject === `shipping-method/${id}`,
      )
      .map((event) => ({ sequence: event.sequence, data: event.data as any }));

  it('leaves shipping methods out of the snapshot of a chain that has none', async () => {
    const held = await snapshot();
    expect(held).not.toHaveProperty('shippingMethods');
    expect((await erp.api('GET', '/shipping-methods')).body).toEqual({ items: [] });
  });

  it('versions every change, keeps the history and publishes each change', async () => {
    const created = await erp.api('PUT', '/shipping-methods/standard', standard);
    expect(created).toEqual({
      status: 201,
      body: {
        id: 'standard',
        version: 1,
        name: standard.name,
        enabled: true,
        channels: ['web'],
        countries: ['BE', 'NL'],
        rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
        taxCategory: 'standard',
      },
    });
    const same = await erp.api('PUT', '/shipping-methods/standard', { ...standard, countries: ['BE', 'NL'] });
    expect([same.status, same.body.version]).toEqual([200, 1]);
    const dearer = { ...standard, rates: [{ currency: 'EUR', amount: 595, freeFrom: 5000 }] };
    const changed = await erp.api('PUT', '/shipping-methods/standard', dearer);
    expect([changed.status, changed.body.version, changed.body.rates[0].amount]).toEqual([200, 2, 595]);
    expect((await erp.api('GET', '/shipping-methods/standard')).body).toEqual(changed.body);

    expect((await erp.api('PUT', '/shipping-methods/doomed', standard)).status).toBe(201);
    expect((await erp.api('DELETE', '/shipping-methods/doomed')).body).toEqual({
      id: 'doomed',
      version: 2,
      deleted: true,
    });
    const gone = await erp.api('GET', '/shipping-methods/doomed');
    expect([gone.status, gone.body.code]).toEqual([404, 'shipping_method_not_found']);
    const again = await erp.api('DELETE', '/shipping-methods/doomed');
    expect([again.status, again.body.code]).toEqual([404, 'shipping_method_not_found']);
    const history = await erp.api('GET', '/shipping-methods/doomed/versions');
    expect(
      history.body.versions.map((entry: any) => [entry.version, entry.change, entry.definition?.id ?? null]),
    ).toEqual([
      [1, 'created', 'doomed'],
      [2, 'deleted', null],
    ]);
    const revived = await erp.api('PUT', '/shipping-methods/doomed', standard);
    expect([revived.status, revived.body.version]).toEqual([201, 3]);
    expect((await erp.api('DELETE', '/shipping-methods/doomed')).status).toBe(200);

    expect((await erp.api('GET', '/shipping-methods')).body.items.map((item: any) => item.id)).toEqual([
      'standard',
    ]);
    const published = await changes('standard');
    expect(
      published.map(({ sequence, data }) => [sequence, data.change, data.shippingMethod?.version]),
    ).toEqual([
      [1, 'created', 1],
      [2, 'updated', 2],
    ]);
    expect((await changes('doomed')).map(({ data }) => [data.change, data.shippingMethod])).toEqual([
      ['created', expect.objectContaining({ id: 'doomed' })],
      ['deleted', null],
      ['created', expect.objectContaining({ id: 'doomed', version: 3 })],
      ['deleted', null],
    ]);
    for (const { data } of [...published, ...(await changes('doomed'))])
      expect(validChange(data), JSON.stringify(validChange.errors)).toBe(true);
  });

  it('refuses a second rate in one currency with 422, writing nothing', async () => {
    const before = await changes('twice');
    const refused = await erp.api('PUT', '/shipping-methods/twice', {
      ...standard,
      rates: [
        { currency: 'EUR', amount: 495 },
        { currency: 'EUR', amount: 395 },
      ],
    });
    expect(refused).toMatchObject({
      status: 422,
      body: { code: 'shipping_rate_duplicate', currency: 'EUR' },
    });
    expect((await erp.api('GET', '/shipping-methods/twice')).status).toBe(404);
    expect(await changes('twice')).toEqual(before);
  });

  it('mints a new snapshot with every method, disabled ones too, and a delta that applied gives it', async () => {
    const held = await snapshot();
    expect(held.shippingMethods?.map((method) => method.id)).toEqual(['standard']);
    const paused = { ...standard, name: 'Paused courier', enabled: false };
    expect((await erp.api('PUT', '/shipping-methods/courier', paused)).status).toBe(201);

    const next = await snapshot();
    expect(next.version).toBeGreaterThan(held.version);
    expect(next.shippingMethods?.map((method) => [method.id, method.enabled])).toEqual([
      ['courier', false],
      ['standard', true],
    ]);
    const answer = await erp.api('GET', `/pricing/snapshot/delta?since=${held.version}`);
    expect(answer.status).toBe(200);
    const delta = answer.body as PricingSnapshotDelta;
    expect(delta.shippingMethods).toEqual({ upserted: [next.shippingMethods![0]], removed: [] });
    expect(delta.products.upserted).toEqual([]);
    expect(applySnapshotDelta(held, delta)).toEqual(next);

    const refused = await quote([{ sku: 'MUG', quantity: 1 }], { methodId: 'courier', country: 'NL' });
    expect([refused.status, refused.body.code]).toEqual([422, 'shipping_method_unknown']);
    expect((await erp.api('DELETE', '/shipping-methods/courier')).status).toBe(200);
    const after = await erp.api('GET', `/pricing/snapshot/delta?since=${next.version}`);
    expect((after.body as PricingSnapshotDelta).shippingMethods).toEqual({
      upserted: [],
      removed: ['courier'],
    });
  });

  it('prices delivery in a live quote: the rate under free-from, nothing from it, taxed like a line', async () => {
    const under = await quote([{ sku: 'MUG', quantity: 1 }], { methodId: 'standard', country: 'BE' });
    expect(under.status).toBe(200);
    expect(under.body.shipping).toMatchObject({
      methodId: 'standard',
      methodVersion: 2,
      country: 'BE',
      amount: 595,
      freeFrom: 5000,
      discountAmount: 0,
      netAmount: 595,
      tax: { ratePpm: 210_000, inclusive: true, amount: 103 },
      total: 595,
    });
    expect(under.body.totals).toEqual({
      subtotal: 2500,
      discount: 0,
      net: 2500,
      shipping: 595,
      tax: 434 + 103,
      total: 2500 + 595,
    });

    const over = await quote([{ sku: 'COAT', quantity: 1 }], { methodId: 'standard', country: 'NL' });
    expect(over.body.shipping).toMatchObject({ amount: 595, discountAmount: 595, netAmount: 0, total: 0 });
    expect(over.body.totals.total).toBe(6000);
  });

  it.each([
    [
      'a country it does not deliver to',
      { methodId: 'standard', country: 'DE' },
      422,
      'shipping_not_available',
    ],
    ['an unknown method', { methodId: 'teleport', country: 'NL' }, 422, 'shipping_method_unknown'],
    ['a country code in lower case', { methodId: 'standard', country: 'nl' }, 400, 'validation_failed'],
    ['an unknown field', { methodId: 'standard', country: 'NL', speed: 'fast' }, 400, 'validation_failed'],
  ])('refuses a quote with %s', async (_name, shipping, status, code) => {
    const refused = await quote([{ sku: 'MUG', quantity: 1 }], shipping);
    expect([refused.status, refused.body.code]).toEqual([status, code]);
  });

  it('refuses a quote in a currency the method has no rate in', async () => {
    expect(
      (await erp.api('PUT', '/products/MUG-GBP', { name: 'Mug', price: { amount: 2000, currency: 'GBP' } }))
        .status,
    ).toBe(201);
    const refused = await erp.api('POST', '/quotes', {
      channel: 'web',
      currency: 'GBP',
      lines: [{ sku: 'MUG-GBP', quantity: 1 }],
      shipping: { methodId: 'standard', country: 'NL' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'shipping_not_available', currency: 'GBP', country: 'NL' });
  });

  it('stores a rate that splits heavy goods into parcels, and refuses one without a parcel size', async () => {
    const rate = { currency: 'EUR', amount: 1495, splitParcels: true };
    const refused = await erp.api('PUT', '/shipping-methods/freight', { ...standard, rates: [rate] });
    expect(refused).toMatchObject({
      status: 422,
      body: { code: 'shipping_parcel_split_invalid', currency: 'EUR' },
    });
    expect((await erp.api('GET', '/shipping-methods/freight')).status).toBe(404);

    const split = { ...standard, rates: [{ ...rate, maxGrams: 23_000 }] };
    expect(await erp.api('PUT', '/shipping-methods/freight', split)).toMatchObject({
      status: 201,
      body: { id: 'freight', version: 1, rates: [{ ...rate, maxGrams: 23_000 }] },
    });
    const unsplit = { ...standard, rates: [{ ...rate, maxGrams: 23_000, splitParcels: false }] };
    expect(await erp.api('PUT', '/shipping-methods/freight', unsplit)).toMatchObject({
      status: 200,
      body: { version: 2, rates: [{ currency: 'EUR', amount: 1495, maxGrams: 23_000 }] },
    });
    expect((await erp.api('GET', '/shipping-methods/freight')).body.rates[0]).not.toHaveProperty(
      'splitParcels',
    );
  });

  it('keeps a collection at a location ERP knows, and refuses one at a location it does not', async () => {
    const collect = (locationId: string) => ({
      name: 'Collect in store',
      channels: ['web'],
      pickup: {
        locationId,
        address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
      },
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    });
    const unknown = await erp.api('PUT', '/shipping-methods/collect-nowhere', collect('store-nowhere'));
    expect([unknown.status, (unknown.body as { code: string }).code]).toEqual([422, 'unknown_location']);
    expect((await erp.api('GET', '/shipping-methods/collect-nowhere')).status).toBe(404);

    expect(
      (await erp.api('PUT', '/locations/store-kalverstraat', { name: 'Kalverstraat', kind: 'store' })).status,
    ).toBe(201);
    const kept = await erp.api(
      'PUT',
      '/shipping-methods/collect-kalverstraat',
      collect('store-kalverstraat'),
    );
    expect(kept.status).toBe(201);
    expect((kept.body as { pickup: unknown }).pickup).toEqual(collect('store-kalverstraat').pickup);
  });
});
