import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { v7 as uuidv7 } from 'uuid';
import { findEventContract, type PricingSnapshot } from '@tillstream/contracts';
import { compileSnapshot, quote } from '@tillstream/pricing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents, unique } from '../support/fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));

const ok = (response: { status: number; body: unknown }, what: string) => {
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as any;
};

/** A store, and products with their own prices and a category unique to the test. */
async function seed<Name extends string>(platform: TestPlatform, prices: Record<Name, number>) {
  const storeId = unique('store');
  ok(
    await platform.request('PUT', `/erp/v1/locations/${storeId}`, { name: 'Store', kind: 'store' }),
    'store',
  );
  const category = unique('cat');
  const skus = {} as Record<Name, string>;
  for (const [name, amount] of Object.entries(prices) as Array<[Name, number]>) {
    const sku = unique(name);
    skus[name] = sku;
    ok(
      await platform.request('PUT', `/erp/v1/products/${sku}`, {
        name,
        price: { amount, currency: 'EUR' },
      }),
      'product',
    );
  }
  return { storeId, category, skus };
}

describe.each(ENGINES)('one pricing engine for every channel (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    // Two ERP processes on scale-out: usage limits must hold across processes, not just inside one.
    platform = await startPlatform(engine, engine === 'scale-out' ? { instances: { erp: 2 } } : {});
    ok(
      await platform.request('PUT', '/erp/v1/tax-rates/vat-standard', {
        name: 'VAT 21 %',
        taxCategory: 'standard',
        ratePpm: 210_000,
        inclusive: true,
      }),
      'tax rate',
    );
  });
  afterAll(async () => platform?.stop());

  it('given price lists, promotions and a coupon, a quote explains every adjustment and adds up', async () => {
    const { storeId, category, skus } = await seed(platform, { TEE: 2000, SOCK: 500, CAP: 1500 });
    ok(
      await platform.request('PUT', `/erp/v1/product-pricing/${skus.TEE}`, {
        taxCategory: 'standard',
        categories: [category],
      }),
      'tee category',
    );
    const tag = unique('q');
    ok(
      await platform.request('PUT', `/erp/v1/price-lists/${tag}-members`, {
        name: 'Members',
        currency: 'EUR',
        priority: 10,
        customerGroups: ['members'],
        prices: [{ sku: skus.TEE, amount: 1800 }],
      }),
      'price list',
    );
    const promotions = [
      {
        id: `${tag}-socks`,
        name: 'Socks 3 for 2',
        priority: 5,
        stacking: 'stackable',
        target: { skus: [skus.SOCK] },
        effect: { type: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, basisPoints: 10_000 },
      },
      {
        id: `${tag}-tops`,
        name: 'Tops 10 %',
        priority: 5,
        stacking: 'stackable',
        target: { categories: [category] },
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
      },
      {
        id: `${tag}-spend`,
        name: 'Spend 30, save 3',
        priority: 1,
        stacking: 'stackable',
        currency: 'EUR',
        couponCodes: [`${tag}-SPEND`],
        minSubtotal: 3000,
        effect: { type: 'amount_off_order', amount: 300 },
      },
    ];
    for (const { id, ...body } of promotions)
      ok(await platform.request('PUT', `/erp/v1/promotions/${id}`, body), `promotion ${id}`);

    const response = await platform.request('POST', '/erp/v1/quotes', {
      channel: 'web',
      currency: 'EUR',
      storeId,
      customerGroups: ['members'],
      couponCodes: [`${tag}-spend`],
      at: '2026-06-10T12:00:00Z',
      lines: [
        { sku: skus.TEE, quantity: 2 },
        { sku: skus.SOCK, quantity: 3 },
        { sku: skus.CAP, quantity: 1 },
      ],
    });
    expect(response.status).toBe(200);
    const result = response.body;
    // Stacking: socks (5, id first) and tops (5) before the coupon (1); the 300 off is spread 169/52/79.
    expect(result.promotions.map((entry: any) => [entry.promotionId, entry.amount])).toEqual([
      [`${tag}-socks`, 500],
      [`${tag}-tops`, 360],
      [`${tag}-spend`, 300],
    ]);
    expect(
      result.lines.map((line: any) => [
        line.unitPrice,
        line.priceSource.kind,
        line.discountAmount,
        line.netAmount,
        line.tax.amount,
      ]),
    ).toEqual([
      [1800, 'price_list', 360 + 169, 3071, 533],
      [500, 'base', 500 + 52, 948, 165],
      [1500, 'base', 79, 1421, 247],
    ]);
    expect(result.lines[1].adjustments[0]).toMatchObject({
      promotionId: `${tag}-socks`,
      type: 'buy_x_get_y',
      amount: 500,
      reason: expect.stringContaining('cheapest first'),
    });
    expect(result.coupons).toEqual([
      { code: `${tag.toUpperCase()}-SPEND`, status: 'applied', promotionId: `${tag}-spend` },
    ]);
    expect(result.totals).toEqual({ subtotal: 6600, discount: 1160, net: 5440, tax: 945, total: 5440 });
  });

  it('versions every change of a promotion, keeps the history and publishes each change', async () => {
    const id = unique('versioned');
    const body = {
      name: 'Ten off',
      priority: 0,
      stacking: 'exclusive',
      couponCodes: [`${id}-C`],
      effect: { type: 'percent_off_lines', basisPoints: 1000 },
    };
    const created = await platform.request('PUT', `/erp/v1/promotions/${id}`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id,
      version: 1,
      enabled: true,
      couponCodes: [`${id.toUpperCase()}-C`],
    });
    const same = await platform.request('PUT', `/erp/v1/promotions/${id}`, { ...body });
    expect([same.status, same.body.version]).toEqual([200, 1]);
    const changed = await platform.request('PUT', `/erp/v1/promotions/${id}`, { ...body, priority: 3 });
    expect([changed.status, changed.body.version]).toEqual([200, 2]);
    const deleted = await platform.request('DELETE', `/erp/v1/promotions/${id}`);
    expect(deleted.body).toEqual({ id, version: 3, deleted: true });
    const gone = await platform.request('GET', `/erp/v1/promotions/${id}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'promotion_not_found']);
    const history = await platform.request('GET', `/erp/v1/promotions/${id}/versions`);
    expect(
      history.body.versions.map((entry: any) => [
        entry.version,
        entry.change,
        entry.definition?.priority ?? null,
      ]),
    ).toEqual([
      [1, 'created', 0],
      [2, 'updated', 3],
      [3, 'deleted', null],
    ]);
    // Deleting freed the code: another promotion may take it.
    const reuse = await platform.request('PUT', `/erp/v1/promotions/${id}-2`, body);
    expect(reuse.status).toBe(201);

    const events = await eventually(
      async () => {
        const found = (await hubEvents(platform, 'erp.promotion.changed')).filter(
          (event) => event.data.promotionId === id,
        );
        return found.length === 3 ? found : null;
      },
      20_000,
      'the hub lists the three changes',
    );
    expect(events.map((event) => [event.sequence, event.data.change, event.subject])).toEqual([
      [1, 'created', `promotion/${id}`],
      [2, 'updated', `promotion/${id}`],
      [3, 'deleted', `promotion/${id}`],
    ]);
    const contract = findEventContract('erp.promotion.changed')!;
    for (const event of events)
      expect(ajv.validate(contract.dataSchema, event.data), JSON.stringify(ajv.errors)).toBe(true);

    const list = `${id}-list`;
    ok(
      await platform.request('PUT', `/erp/v1/price-lists/${list}`, {
        name: 'List',
        currency: 'EUR',
        priority: 0,
        prices: [{ sku: 'ANY-1', amount: 100 }],
      }),
      'price list',
    );
    await eventually(
      async () =>
        (await hubEvents(platform, 'erp.price_list.changed')).some(
          (event) => event.data.priceListId === list && event.data.version === 1,
        ),
      20_000,
      'the hub lists the price list',
    );
  });

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
    const code = unique('TAKEN');
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

  it('serves a versioned snapshot with an ETag, and a terminal pricing offline gets the quote ERP gives', async () => {
    const { storeId, skus } = await seed(platform, { A: 1234, B: 999 });
    const tag = unique('snap');
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${tag}`, {
        name: 'B half price',
        priority: 0,
        stacking: 'stackable',
        target: { skus: [skus.B] },
        effect: { type: 'percent_off_lines', basisPoints: 5000 },
      }),
      'promotion',
    );
    const first = await platform.request('GET', '/erp/v1/pricing/snapshot');
    expect(first.status).toBe(200);
    const snapshot = first.body as PricingSnapshot;
    expect(first.headers.get('etag')).toBe(`"${snapshot.version}"`);
    expect(snapshot.promotions.some((promotion) => promotion.id === tag)).toBe(true);
    expect(snapshot.products.find((product) => product.sku === skus.A)).toEqual({
      sku: skus.A,
      price: { amount: 1234, currency: 'EUR' },
      taxCategory: 'standard',
      categories: [],
    });
    const unchanged = await platform.request('GET', '/erp/v1/pricing/snapshot', undefined, {
      'if-none-match': `"${snapshot.version}"`,
    });
    expect(unchanged.status).toBe(304);

    const cart = {
      channel: 'pos',
      currency: 'EUR',
      storeId,
      at: '2026-06-10T12:00:00.000Z',
      lines: [
        { sku: skus.A, quantity: 3 },
        { sku: skus.B, quantity: 1 },
      ],
    };
    const offline = quote(compileSnapshot(snapshot), cart);
    const online = await platform.request('POST', '/erp/v1/quotes', {
      ...cart,
      snapshotVersion: snapshot.version,
    });
    expect(online.body).toEqual(offline);
    const live = await platform.request('POST', '/erp/v1/quotes', cart);
    expect({ ...live.body, snapshotVersion: snapshot.version }).toEqual(offline);

    ok(
      await platform.request('PUT', `/erp/v1/products/${skus.A}`, {
        name: 'A',
        price: { amount: 1300, currency: 'EUR' },
      }),
      'reprice',
    );
    const next = await platform.request('GET', '/erp/v1/pricing/snapshot', undefined, {
      'if-none-match': `"${snapshot.version}"`,
    });
    expect(next.status).toBe(200);
    expect(next.body.version).toBeGreaterThan(snapshot.version);
    const old = await platform.request('GET', `/erp/v1/pricing/snapshots/${snapshot.version}`);
    expect(old.body).toEqual(snapshot);
  });

  it('100 concurrent orders redeeming a coupon limited to 10 uses: exactly 10 get it', async () => {
    const { skus } = await seed(platform, { A: 1000 });
    const code = unique('LIMITED');
    const promotionId = `${code}-promo`;
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
        name: 'First ten',
        priority: 0,
        stacking: 'stackable',
        couponCodes: [code],
        limits: { totalUses: 10 },
        effect: { type: 'percent_off_lines', basisPoints: 2000 },
      }),
      'promotion',
    );
    const order = () => ({
      id: uuidv7(),
      channel: 'web',
      currency: 'EUR',
      couponCodes: [code],
      lines: [{ sku: skus.A, quantity: 1 }],
    });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => platform.request('POST', '/erp/v1/redemptions', order())),
    );
    const redeemed = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(redeemed.length).toBe(10);
    expect(refused.length).toBe(90);
    for (const answer of refused)
      expect(answer.body).toMatchObject({ code: 'promotion_usage_exhausted', promotionIds: [promotionId] });
    for (const answer of redeemed)
      expect(answer.body).toMatchObject({
        status: 'redeemed',
        promotionIds: [promotionId],
        quote: { totals: { net: 800 } },
      });
    const usage = await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`);
    expect(usage.body).toEqual({ promotionId, used: 10, limit: 10, perCustomerLimit: null });

    const quoted = await platform.request('POST', '/erp/v1/quotes', { ...order(), id: undefined });
    expect(quoted.body.coupons).toEqual([{ code: code.toUpperCase(), status: 'exhausted', promotionId }]);

    const released = await platform.request('POST', `/erp/v1/redemptions/${redeemed[0]!.body.id}/release`);
    expect(released.body.status).toBe('released');
    const after = await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`);
    expect(after.body.used).toBe(9);
    const usageEvents = await eventually(
      async () => {
        const found = (await hubEvents(platform, 'erp.promotion_usage.changed')).filter(
          (event) => event.data.promotionId === promotionId,
        );
        return found.length === 11 ? found : null;
      },
      20_000,
      'the hub lists 10 uses and a release',
    );
    expect(usageEvents.map((event) => event.sequence).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 11 }, (_, index) => index + 1),
    );
  });

  it('prices arriving store sales again: a sale priced differently raises a mismatch, its coupon use is counted', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000, B: 400 });
    const code = unique('STORE');
    const promotionId = `${code}-promo`;
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
        name: 'A 10 % with the coupon',
        priority: 0,
        stacking: 'stackable',
        couponCodes: [code],
        limits: { totalUses: 100 },
        target: { skus: [skus.A] },
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
      }),
      'promotion',
    );
    const snapshot = ok(
      await platform.request('GET', '/erp/v1/pricing/snapshot'),
      'snapshot',
    ) as PricingSnapshot;
    const sale = (lines: Array<{ sku: string; quantity: number; unitPrice: number; discount?: number }>) => {
      const total = lines.reduce(
        (sum, line) => sum + line.quantity * line.unitPrice - (line.discount ?? 0),
        0,
      );
      return {
        id: uuidv7(),
        storeId,
        terminalId: 'till-1',
        occurredAt: new Date().toISOString(),
        currency: 'EUR',
        lines,
        payments: [{ method: 'card', amount: total }],
        pricing: { snapshotVersion: snapshot.version, couponCodes: [code] },
      };
    };
    const right = sale([
      { sku: skus.A, quantity: 2, unitPrice: 1000, discount: 200 },
      { sku: skus.B, quantity: 1, unitPrice: 400 },
    ]);
    const wrong = sale([
      { sku: skus.A, quantity: 1, unitPrice: 1000, discount: 100 },
      { sku: skus.B, quantity: 2, unitPrice: 350 },
    ]);
    for (const body of [right, wrong]) {
      const posted = await platform.request('POST', '/pos/v1/sales', body);
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    }
    expect((await platform.request('GET', `/pos/v1/sales/${right.id}`)).body).toMatchObject({
      total: 2200,
      lines: [{ discount: 200, lineTotal: 1800 }, { lineTotal: 400 }],
    });

    const mismatch = await eventually(
      async () =>
        (await platform.request('GET', `/erp/v1/price-mismatches?saleId=${wrong.id}`)).body.mismatches[0],
      20_000,
      'ERP lists the mismatch',
    );
    expect(mismatch).toMatchObject({
      saleId: wrong.id,
      storeId,
      reason: 'price_differs',
      saleSnapshotVersion: snapshot.version,
      referenceSnapshotVersion: snapshot.version,
      expectedTotal: 900 + 800,
      actualTotal: 900 + 700,
      lines: [
        {
          lineNo: 2,
          sku: skus.B,
          expectedUnitPrice: 400,
          actualUnitPrice: 350,
          expectedLineTotal: 800,
          actualLineTotal: 700,
        },
      ],
    });
    const event = await eventually(
      async () =>
        (await hubEvents(platform, 'erp.price.mismatch_detected')).find(
          (candidate) => candidate.data.saleId === wrong.id,
        ),
      20_000,
      'the hub lists the mismatch event',
    );
    expect(ajv.validate(findEventContract('erp.price.mismatch_detected')!.dataSchema, event.data)).toBe(true);
    expect(event.data.mismatchId).toBe(mismatch.mismatchId);

    // Both sales used the coupon; each use is counted once, and the sale priced right raised nothing.
    await eventually(
      async () => (await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`)).body.used === 2,
      20_000,
      'both coupon uses counted',
    );
    const clean = await platform.request('GET', `/erp/v1/price-mismatches?saleId=${right.id}`);
    expect(clean.body.mismatches).toEqual([]);
    expect((await platform.request('GET', `/erp/v1/redemptions/${right.id}`)).body).toMatchObject({
      source: 'sale',
      status: 'redeemed',
      promotionIds: [promotionId],
    });
  });
});
