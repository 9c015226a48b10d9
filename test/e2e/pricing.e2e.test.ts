/**
 * One pricing engine for every channel, on every engine: a quote that explains each adjustment, promotions
 * versioned with their history published as events, and the versioned snapshot (ETags) a terminal prices
 * with offline to the same result ERP gives. Refused input is in pricing-bad-input.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventContract, type PricingSnapshot } from '@tillstream/contracts';
import { compileSnapshot, quote } from '@tillstream/pricing';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents } from '../support/fixtures.js';
import { ok, seedPriced as seed, startPricingPlatform } from '../support/pricing.js';
import { schemaAjv as ajv } from '../support/schemas.js';

describe.each(ENGINES)('one pricing engine for every channel (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
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
    const tag = uniqueName('q');
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
    const id = uniqueName('versioned');
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
        return found.length === 6 ? found : null;
      },
      20_000,
      'the hub lists the three changes, each in v1 and in v2',
    );
    const versionOf = (event: { dataschema: string }) => Number(event.dataschema.split(':v').pop());
    expect(
      events.map((event) => [event.sequence, event.data.change, event.subject, versionOf(event)]),
    ).toEqual([
      [1, 'created', `promotion/${id}`, 1],
      [1, 'created', `promotion/${id}`, 2],
      [2, 'updated', `promotion/${id}`, 1],
      [2, 'updated', `promotion/${id}`, 2],
      [3, 'deleted', `promotion/${id}`, 1],
      [3, 'deleted', `promotion/${id}`, 2],
    ]);
    for (const event of events) {
      const contract = findEventContract('erp.promotion.changed', versionOf(event))!;
      expect(ajv.validate(contract.dataSchema, event.data), JSON.stringify(ajv.errors)).toBe(true);
    }

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

  it('buy one, get another product free: ERP and a terminal pricing offline give the same unit', async () => {
    const { storeId, skus } = await seed(platform, { SHIRT: 2500, SOCK: 600, TIE: 900 });
    const tag = uniqueName('gift');
    ok(
      await platform.request('PUT', `/erp/v1/promotions/${tag}`, {
        name: 'Buy a shirt, get socks or a tie free',
        priority: 0,
        stacking: 'stackable',
        target: { skus: [skus.SHIRT] },
        effect: {
          type: 'buy_x_get_y',
          buyQuantity: 1,
          getQuantity: 1,
          basisPoints: 10_000,
          getTarget: { skus: [skus.SOCK, skus.TIE] },
        },
      }),
      'promotion',
    );
    const snapshot = (await platform.request('GET', '/erp/v1/pricing/snapshot')).body as PricingSnapshot;
    expect(snapshot.promotions.find((promotion) => promotion.id === tag)?.effect).toMatchObject({
      getTarget: { skus: [skus.SOCK, skus.TIE] },
    });
    const cart = {
      channel: 'pos',
      currency: 'EUR',
      storeId,
      at: '2026-06-10T12:00:00.000Z',
      lines: [
        { sku: skus.TIE, quantity: 1 },
        { sku: skus.SHIRT, quantity: 1 },
        { sku: skus.SOCK, quantity: 2 },
      ],
    };
    const online = await platform.request('POST', '/erp/v1/quotes', {
      ...cart,
      snapshotVersion: snapshot.version,
    });
    expect(online.status).toBe(200);
    // One shirt bought, so one unit given: the cheapest of the socks and the tie.
    expect(online.body.lines.map((line: any) => line.discountAmount)).toEqual([0, 0, 600]);
    expect(online.body.lines[2].adjustments[0]).toMatchObject({ promotionId: tag, amount: 600 });
    expect(online.body).toEqual(quote(compileSnapshot(snapshot), cart));
    const noShirt = await platform.request('POST', '/erp/v1/quotes', { ...cart, lines: [cart.lines[2]] });
    expect(noShirt.body.totals.discount).toBe(0);
  });

  it('serves a versioned snapshot with an ETag, and a terminal pricing offline gets the quote ERP gives', async () => {
    const { storeId, skus } = await seed(platform, { A: 1234, B: 999 });
    const tag = uniqueName('snap');
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
    // Weak comparison over a list (RFC 9110 §13.1.2), and `*`.
    for (const ifNoneMatch of [
      `W/"${snapshot.version}"`,
      `"${snapshot.version + 1000}", "${snapshot.version}"`,
      `W/"1000000",W/"${snapshot.version}"`,
      '*',
    ]) {
      const matched = await platform.request('GET', '/erp/v1/pricing/snapshot', undefined, {
        'if-none-match': ifNoneMatch,
      });
      expect(matched.status, ifNoneMatch).toBe(304);
    }
    const versioned = await platform.request(
      'GET',
      `/erp/v1/pricing/snapshots/${snapshot.version}`,
      undefined,
      { 'if-none-match': `"0", W/"${snapshot.version}"` },
    );
    expect(versioned.status).toBe(304);
    const otherTags = await platform.request('GET', '/erp/v1/pricing/snapshot', undefined, {
      'if-none-match': `"${snapshot.version}0", W/"x${snapshot.version}"`,
    });
    expect(otherTags.status).toBe(200);

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
});
