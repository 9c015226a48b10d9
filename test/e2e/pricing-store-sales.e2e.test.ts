import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { findEventContract, type PricingSnapshot } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents } from '../support/fixtures.js';
import {
  limitedCoupon,
  mismatchesOf,
  ok,
  postSale,
  seedPriced as seed,
  startPricingPlatform,
  storeSale,
  usageOf,
} from '../support/pricing.js';
import { schemaAjv as ajv } from '../support/schemas.js';

describe.each(ENGINES)('store sales priced again on arrival: mismatches and limits (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());
  it('prices arriving store sales again: a sale priced differently raises a mismatch, its coupon use is counted', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000, B: 400 });
    const code = uniqueName('STORE');
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

  it('a store sale past a promotion limit stands, is counted as far as the limit allows and raises usage_limit_exceeded', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const snapshot = ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot');
    const pricing = { snapshotVersion: snapshot.version, couponCodes: [code] };
    const first = storeSale(storeId, [{ sku: skus.A, quantity: 1, unitPrice: 1000, discount: 500 }], pricing);
    const second = storeSale(
      storeId,
      [{ sku: skus.A, quantity: 1, unitPrice: 1000, discount: 500 }],
      pricing,
    );
    await postSale(platform, first);
    await postSale(platform, second);

    const found = await eventually(
      async () => {
        const all = [
          ...(await mismatchesOf(platform, first.id)),
          ...(await mismatchesOf(platform, second.id)),
        ];
        return all.length > 0 ? all : null;
      },
      20_000,
      'ERP lists the use past the limit',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      reason: 'usage_limit_exceeded',
      promotionIds: [promotionId],
      referenceSnapshotVersion: snapshot.version,
      expectedTotal: null,
      actualTotal: 500,
      lines: [],
    });
    await eventually(
      async () =>
        (await platform.request('GET', `/erp/v1/redemptions/${first.id}`)).status === 200 &&
        (await platform.request('GET', `/erp/v1/redemptions/${second.id}`)).status === 200,
      20_000,
      'both sales counted',
    );
    expect(await usageOf(platform, promotionId)).toBe(1);
    const event = await eventually(
      async () =>
        (await hubEvents(platform, 'erp.price.mismatch_detected')).find(
          (candidate) => candidate.data.mismatchId === found[0].mismatchId,
        ),
      20_000,
      'the hub lists the mismatch event',
    );
    expect(event.data).toMatchObject({ reason: 'usage_limit_exceeded', promotionIds: [promotionId] });
  });

  it('an online till redeems a limited coupon through POS before the sale: the last use goes to one sale, counted once', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const snapshot = ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot');
    const pricing = { snapshotVersion: snapshot.version, couponCodes: [code] };
    const sale = storeSale(storeId, [{ sku: skus.A, quantity: 1, unitPrice: 1000, discount: 500 }], pricing);
    const redeem = (saleId: string) =>
      platform.request('POST', '/pos/v1/promotion-redemptions', {
        saleId,
        storeId,
        terminalId: sale.terminalId,
        currency: 'EUR',
        lines: [{ sku: skus.A, quantity: 1 }],
        couponCodes: [code],
      });
    expect(await redeem(sale.id)).toMatchObject({
      status: 200,
      body: { saleId: sale.id, promotionIds: [promotionId] },
    });
    expect((await redeem(sale.id)).status).toBe(200);
    expect(await redeem(uuidv7())).toMatchObject({
      status: 409,
      body: { code: 'promotion_usage_exhausted', promotionIds: [promotionId] },
    });
    await postSale(platform, sale);
    // A till that could not reach POS sells with the coupon anyway: ERP counts it when it arrives, after the
    // first (one consumer, in order), and finds the limit reached.
    const offline = storeSale(
      storeId,
      [{ sku: skus.A, quantity: 1, unitPrice: 1000, discount: 500 }],
      pricing,
    );
    await postSale(platform, offline);
    const [found] = await eventually(
      async () => {
        const listed = await mismatchesOf(platform, offline.id);
        return listed.length > 0 ? listed : null;
      },
      20_000,
      'ERP counts the offline sale',
    );
    expect(found).toMatchObject({ reason: 'usage_limit_exceeded', promotionIds: [promotionId] });
    expect(await mismatchesOf(platform, sale.id)).toEqual([]);
    expect(await usageOf(platform, promotionId)).toBe(1);
  });

  it('a store sale its named snapshot cannot price (a SKU created since) raises unpriceable', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const snapshot = ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot');
    const late = uniqueName('LATE');
    ok(
      await platform.request('PUT', `/erp/v1/products/${late}`, {
        name: 'Created after the snapshot',
        price: { amount: 300, currency: 'EUR' },
      }),
      'product',
    );
    const sale = storeSale(
      storeId,
      [
        { sku: skus.A, quantity: 1, unitPrice: 1000 },
        { sku: late, quantity: 2, unitPrice: 300 },
      ],
      { snapshotVersion: snapshot.version },
    );
    await postSale(platform, sale);

    const [mismatch] = await eventually(
      async () => {
        const found = await mismatchesOf(platform, sale.id);
        return found.length > 0 ? found : null;
      },
      20_000,
      'ERP lists the unpriceable sale',
    );
    expect(mismatch).toMatchObject({
      saleId: sale.id,
      reason: 'unpriceable',
      saleSnapshotVersion: snapshot.version,
      referenceSnapshotVersion: snapshot.version,
      expectedTotal: null,
      actualTotal: 1600,
      lines: [],
      promotionIds: [],
    });
  });

  it('a price changed and changed back mints a new snapshot version: versions only grow, no false stale_snapshot', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const price = async (amount: number) => {
      ok(
        await platform.request('PUT', `/erp/v1/products/${skus.A}`, {
          name: 'A',
          price: { amount, currency: 'EUR' },
        }),
        'price',
      );
      return ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot') as PricingSnapshot;
    };
    const before = (
      ok(await platform.request('GET', '/erp/v1/pricing/snapshot'), 'snapshot') as PricingSnapshot
    ).version;
    const raised = (await price(1200)).version;
    const reverted = await price(1000);
    expect(raised).toBeGreaterThan(before);
    expect(reverted.version).toBeGreaterThan(raised);
    expect(reverted.products.find((product) => product.sku === skus.A)!.price.amount).toBe(1000);
    const served = await platform.request('GET', `/erp/v1/pricing/snapshots/${before}`);
    expect(served.body.version).toBe(before);

    // A till on the reverted prices sells right; a sale after it, priced wrong, shows the consumer got past it.
    const right = storeSale(storeId, [{ sku: skus.A, quantity: 1, unitPrice: 1000 }], {
      snapshotVersion: reverted.version,
    });
    const wrong = storeSale(storeId, [{ sku: skus.A, quantity: 1, unitPrice: 900 }], {
      snapshotVersion: reverted.version,
    });
    await postSale(platform, right);
    await postSale(platform, wrong);
    await eventually(
      async () => (await mismatchesOf(platform, wrong.id)).length > 0,
      20_000,
      'the wrong sale is raised',
    );
    expect(await mismatchesOf(platform, right.id)).toEqual([]);
  });

  it('the review list pages oldest first, narrows by store and reason, and a resolved mismatch leaves it', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const typedOver = [900, 800, 700].map((price) =>
      storeSale(storeId, [{ sku: skus.A, quantity: 1, unitPrice: price }], {}),
    );
    for (const sale of typedOver) await postSale(platform, sale);
    const list = async (query: string) => {
      const { status, body } = await platform.request('GET', `/erp/v1/price-mismatches?${query}`);
      expect(status, JSON.stringify(body)).toBe(200);
      return body as { mismatches: any[]; next: string | null };
    };
    const all = await eventually(
      async () => {
        const found = await list(`storeId=${storeId}`);
        return found.mismatches.length === 3 ? found.mismatches : null;
      },
      20_000,
      'ERP lists the three sales typed over',
    );
    expect(all.map((mismatch) => [mismatch.reason, mismatch.resolvedAt])).toEqual(
      Array(3).fill(['price_differs', null]),
    );
    const first = await list(`storeId=${storeId}&limit=2`);
    expect(first.mismatches.map((mismatch) => mismatch.mismatchId)).toEqual(
      all.slice(0, 2).map((mismatch) => mismatch.mismatchId),
    );
    const rest = await list(`storeId=${storeId}&limit=2&after=${first.next}`);
    expect([rest.mismatches.map((mismatch) => mismatch.mismatchId), rest.next]).toEqual([
      [all[2].mismatchId],
      null,
    ]);
    expect((await list(`storeId=${storeId}&reason=tax_differs`)).mismatches).toEqual([]);

    const resolve = (id: string) => platform.request('POST', `/erp/v1/price-mismatches/${id}/resolve`);
    const resolved = await resolve(all[0].mismatchId);
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolvedAt).toEqual(expect.any(String));
    expect((await resolve(all[0].mismatchId)).body.resolvedAt).toBe(resolved.body.resolvedAt);
    expect((await list(`storeId=${storeId}`)).mismatches).toHaveLength(2);
    expect((await list(`storeId=${storeId}&status=resolved`)).mismatches.map((m) => m.mismatchId)).toEqual([
      all[0].mismatchId,
    ]);
    expect((await list(`storeId=${storeId}&status=all`)).mismatches).toHaveLength(3);
    // A page after a mismatch resolved meanwhile goes on from where it stood.
    expect((await list(`storeId=${storeId}&after=${all[0].mismatchId}`)).mismatches).toHaveLength(2);
  });

  it.each([
    [
      'an unknown mismatch to resolve',
      'POST',
      '/erp/v1/price-mismatches/no-such-id/resolve',
      404,
      'price_mismatch_not_found',
    ],
    [
      'a cursor naming no mismatch',
      'GET',
      '/erp/v1/price-mismatches?after=no-such-id',
      400,
      'invalid_cursor',
    ],
    ['an unknown reason', 'GET', '/erp/v1/price-mismatches?reason=too_cheap', 400, 'validation_failed'],
    ['an unknown status', 'GET', '/erp/v1/price-mismatches?status=closed', 400, 'validation_failed'],
  ])('refuses %s with problem+json', async (_name, method, path, status, code) => {
    const answer = await platform.request(method as 'GET' | 'POST', path);
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
