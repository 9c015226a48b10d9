/**
 * Shipping methods over HTTP on every engine: defined, changed and deleted in ERP like any pricing definition,
 * published to the hub, carried in the snapshot and its deltas (to POS's terminals too), priced by ERP's live
 * quote, and every bad input refused with a problem document and a stable code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventContract, type PricingSnapshot, type PricingSnapshotDelta } from '@tillstream/contracts';
import { applySnapshotDelta } from '@tillstream/pricing';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { hubEvents } from '../support/fixtures.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { ok, seedPriced, startPricingPlatform } from '../support/pricing.js';
import { schemaAjv as ajv } from '../support/schemas.js';

const standard = {
  name: 'Standard delivery, 2–3 working days',
  channels: ['web'],
  countries: ['NL', 'BE'],
  rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
  taxCategory: 'standard',
};

describe.each(ENGINES)('shipping methods (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  const snapshot = async () =>
    ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot') as PricingSnapshot;
  const put = (id: string, body: object) => platform.request('PUT', `/erp/v1/shipping-methods/${id}`, body);

  it('defines, changes and deletes a method, with its versions and an event in the hub for each change', async () => {
    // No method yet: the snapshot is as it was before shipping existed.
    expect(await snapshot()).not.toHaveProperty('shippingMethods');
    const id = uniqueName('standard');
    const created = await put(id, standard);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ...standard,
      id,
      version: 1,
      enabled: true,
      countries: ['BE', 'NL'],
    });
    expect((await put(id, standard)).body.version).toBe(1);
    const changed = await put(id, { ...standard, countries: ['NL'], name: 'Standard, NL only' });
    expect([changed.status, changed.body.version, changed.body.countries]).toEqual([200, 2, ['NL']]);
    expect(ok(await platform.request('GET', `/erp/v1/shipping-methods/${id}`), 'get')).toEqual(changed.body);
    const listed = ok(await platform.request('GET', '/erp/v1/shipping-methods'), 'list').items as any[];
    expect(listed.find((method) => method.id === id)).toEqual(changed.body);

    expect(ok(await platform.request('DELETE', `/erp/v1/shipping-methods/${id}`), 'delete')).toEqual({
      id,
      version: 3,
      deleted: true,
    });
    const gone = await platform.request('GET', `/erp/v1/shipping-methods/${id}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'shipping_method_not_found']);
    const versions = ok(await platform.request('GET', `/erp/v1/shipping-methods/${id}/versions`), 'versions');
    expect(
      versions.versions.map((entry: any) => [entry.version, entry.change, entry.definition?.name ?? null]),
    ).toEqual([
      [1, 'created', standard.name],
      [2, 'updated', 'Standard, NL only'],
      [3, 'deleted', null],
    ]);

    const events = await eventually(
      async () => {
        const found = (await hubEvents(platform, 'erp.shipping_method.changed')).filter(
          (event) => event.data.shippingMethodId === id,
        );
        return found.length === 3 ? found : null;
      },
      20_000,
      'the hub lists the three changes',
    );
    expect(events.map((event) => [event.sequence, event.data.change, event.subject])).toEqual([
      [1, 'created', `shipping-method/${id}`],
      [2, 'updated', `shipping-method/${id}`],
      [3, 'deleted', `shipping-method/${id}`],
    ]);
    const contract = findEventContract('erp.shipping_method.changed')!;
    for (const event of events)
      expect(ajv.validate(contract.dataSchema, event.data), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('carries the methods in the snapshot, and a delta from an older version, from ERP and from POS, adds them', async () => {
    const before = await snapshot();
    const id = uniqueName('express');
    ok(
      await put(id, {
        name: 'Next-day delivery',
        channels: ['web'],
        countries: ['NL'],
        rates: [{ currency: 'EUR', amount: 995 }],
        taxCategory: 'standard',
      }),
      'express',
    );
    const after = await snapshot();
    expect(after.version).toBeGreaterThan(before.version);
    const method = after.shippingMethods?.find((each) => each.id === id);
    expect(method).toMatchObject({ id, version: 1, rates: [{ currency: 'EUR', amount: 995 }] });

    const delta = ok(
      await platform.request('GET', `/erp/v1/pricing/snapshot/delta?since=${before.version}`),
      'delta',
    ) as PricingSnapshotDelta;
    expect(delta.shippingMethods?.upserted).toEqual([method]);
    expect(applySnapshotDelta(before, delta)).toEqual(after);

    // A terminal holding the older version learns of the method through POS, which reads ERP once a second.
    const throughPos = await eventually(
      async () => {
        const answer = await platform.request(
          'GET',
          `/pos/v1/pricing/snapshot/delta?since=${before.version}`,
        );
        const body = answer.body as PricingSnapshotDelta | null;
        return answer.status === 200 && body?.shippingMethods?.upserted.some((each) => each.id === id)
          ? body
          : null;
      },
      20_000,
      'POS hands its terminals the method',
    );
    expect(throughPos.shippingMethods?.upserted).toContainEqual(method);
  });

  it('prices delivery in ERP’s live quote, free from the goods’ net after promotions, and refuses what it cannot ship', async () => {
    const { skus } = await seedPriced(platform, { MUG: 1500, COAT: 5400 });
    const id = uniqueName('std');
    ok(await put(id, standard), 'standard');
    const promotion = uniqueName('coat-off');
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotion}`, {
        name: 'Coats 10 % off',
        priority: 0,
        stacking: 'stackable',
        target: { skus: [skus.COAT] },
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
      }),
      'promotion',
    );
    const quote = (lines: Array<{ sku: string; quantity: number }>, shipping: object, currency = 'EUR') =>
      platform.request('POST', '/erp/v1/quotes', { channel: 'web', currency, lines, shipping });

    const charged = await quote([{ sku: skus.MUG, quantity: 1 }], { methodId: id, country: 'BE' });
    expect(charged.status).toBe(200);
    expect(charged.body.shipping).toMatchObject({
      methodId: id,
      methodVersion: 1,
      amount: 495,
      freeFrom: 5000,
      netAmount: 495,
      tax: { ratePpm: 210_000, inclusive: true, amount: 86 },
      total: 495,
    });
    expect(charged.body.totals).toMatchObject({ net: 1500, shipping: 495, total: 1995 });

    // 5400 before the promotion, 4860 after: under the 5000, so delivery is charged.
    const discounted = await quote([{ sku: skus.COAT, quantity: 1 }], { methodId: id, country: 'NL' });
    expect(discounted.body.totals).toMatchObject({ subtotal: 5400, net: 4860, shipping: 495 });
    expect(discounted.body.shipping).toMatchObject({ discountAmount: 0, netAmount: 495 });
    const free = await quote(
      [
        { sku: skus.COAT, quantity: 1 },
        { sku: skus.MUG, quantity: 1 },
      ],
      { methodId: id, country: 'NL' },
    );
    expect(free.body.totals.net).toBe(4860 + 1500);
    expect(free.body.shipping).toMatchObject({ amount: 495, discountAmount: 495, netAmount: 0, total: 0 });

    for (const [shipping, code] of [
      [{ methodId: id, country: 'DE' }, 'shipping_not_available'],
      [{ methodId: uniqueName('nope'), country: 'NL' }, 'shipping_method_unknown'],
    ] as const) {
      const refused = await quote([{ sku: skus.MUG, quantity: 1 }], shipping);
      expect([refused.status, refused.body.code]).toEqual([422, code]);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const pos = await platform.request('POST', '/erp/v1/quotes', {
      channel: 'pos',
      currency: 'EUR',
      lines: [{ sku: skus.MUG, quantity: 1 }],
      shipping: { methodId: id, country: 'NL' },
    });
    expect([pos.status, pos.body.code]).toEqual([422, 'shipping_method_unknown']);
  });

  it('lets a key that may only read see the methods but not change them', async () => {
    const reader = JSON.parse(
      await platform.cli(['keys', 'create', '--name', uniqueName('reader'), '--scopes', 'erp:read']),
    ) as { secret: string };
    const asReader = { authorization: `Bearer ${reader.secret}` };
    expect((await platform.request('GET', '/erp/v1/shipping-methods', undefined, asReader)).status).toBe(200);
    const refused = await platform.request(
      'PUT',
      `/erp/v1/shipping-methods/${uniqueName('x')}`,
      standard,
      asReader,
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'insufficient_scope', requiredScope: 'erp:write' });
  });

  const rate = standard.rates[0]!;
  it.each([
    {
      name: 'an unknown field',
      body: { ...standard, speed: 'fast' },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'an unknown field in a rate',
      body: { ...standard, rates: [{ ...rate, tax: 1 }] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a country code in lower case',
      body: { ...standard, countries: ['nl'] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a three-letter country code',
      body: { ...standard, countries: ['NLD'] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a country listed twice',
      body: { ...standard, countries: ['NL', 'NL'] },
      status: 400,
      code: 'validation_failed',
    },
    { name: 'no rates', body: { ...standard, rates: [] }, status: 400, code: 'validation_failed' },
    {
      name: 'a negative amount',
      body: { ...standard, rates: [{ currency: 'EUR', amount: -1 }] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a fractional amount',
      body: { ...standard, rates: [{ currency: 'EUR', amount: 4.95 }] },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'a negative free-from',
      body: { ...standard, rates: [{ ...rate, freeFrom: -5 }] },
      status: 400,
      code: 'validation_failed',
    },
    { name: 'no name', body: { ...standard, name: '' }, status: 400, code: 'validation_failed' },
    {
      name: 'no tax category',
      body: { ...standard, taxCategory: undefined },
      status: 400,
      code: 'validation_failed',
    },
    {
      name: 'two rates in one currency',
      body: { ...standard, rates: [rate, { currency: 'EUR', amount: 395 }] },
      status: 422,
      code: 'shipping_rate_duplicate',
    },
  ])('refuses a method with $name: $status $code, and stores nothing', async ({ body, status, code }) => {
    const id = uniqueName('bad');
    const refused = await put(id, body);
    expect([refused.status, refused.body.code]).toEqual([status, code]);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await platform.request('GET', `/erp/v1/shipping-methods/${id}`)).status).toBe(404);
  });

  it.each([
    ['GET', 'an unknown id', `/erp/v1/shipping-methods/no-such-method`, 404, 'shipping_method_not_found'],
    ['DELETE', 'an unknown id', `/erp/v1/shipping-methods/no-such-method`, 404, 'shipping_method_not_found'],
    [
      'GET',
      'the versions of an unknown id',
      `/erp/v1/shipping-methods/no-such-method/versions`,
      404,
      'shipping_method_not_found',
    ],
    ['GET', 'a malformed id', `/erp/v1/shipping-methods/-bad`, 400, 'validation_failed'],
  ] as const)('answers %s of %s with %i %s', async (method, _what, path, status, code) => {
    const answer = await platform.request(method, path);
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
