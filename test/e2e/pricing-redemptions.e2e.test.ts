import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { findEventContract, type PricingSnapshot } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { hubEvents, unique } from '../support/fixtures.js';
import { ok, seedPriced as seed, startPricingPlatform } from '../support/pricing.js';
import { schemaAjv as ajv } from '../support/schemas.js';

describe.each(ENGINES)('promotion limits and store sales priced again (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());

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
