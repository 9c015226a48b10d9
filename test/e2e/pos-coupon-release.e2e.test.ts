import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  fetchHttp,
  openTerminal,
  sqliteStorage,
  type Terminal,
  type TerminalStorage,
} from '@tillstream/pos-client/node';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { limitedCoupon, ok, seedPriced as seed, startPricingPlatform, usageOf } from '../support/pricing.js';
import { posUrl, registerTerminal } from '../support/pos.js';

describe.each(ENGINES)('limited coupons given back by tills that lost the sale (%s)', (engine) => {
  let platform: TestPlatform;
  let dir: string;
  const open: Terminal[] = [];

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    dir = mkdtempSync(join(tmpdir(), 'tillstream-coupons-'));
  });
  afterAll(async () => {
    for (const terminal of open) await terminal.close().catch(() => undefined);
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A till of `storeId` on its own key and a storage file, once POS serves it the product `sku`. */
  const tillAt = async (
    storeId: string,
    till: { terminalId: string; apiKey: string },
    storage: TerminalStorage,
    sku: string,
  ) => {
    const terminal = await openTerminal({
      terminalId: till.terminalId,
      storeId,
      currency: 'EUR',
      storage,
      http: fetchHttp({ baseUrl: posUrl(platform), apiKey: till.apiKey, timeoutMs: 5_000 }),
      backoff: { baseMs: 20, maxMs: 200 },
      refreshIntervalMs: 60_000,
    });
    open.push(terminal);
    await eventually(
      async () => {
        await terminal.refresh();
        return terminal.products().some((product) => product.sku === sku) || null;
      },
      20_000,
      'the till knows the product',
    );
    return terminal;
  };
  /** Until the till's snapshot takes half off with `code`: it knows the coupon and that a use is left. */
  const pricesWithCoupon = (terminal: Terminal, sku: string, code: string) =>
    eventually(
      async () => {
        await terminal.refresh();
        return terminal.price([{ sku, quantity: 1 }], [code]).total === 500 || null;
      },
      20_000,
      'the till prices with the coupon',
    );

  it('a till that redeemed the last use and crashed gives it back when it starts again: another sale gets it', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const basket = {
      lines: [{ sku: skus.A, quantity: 1 }],
      tenders: [{ method: 'card' }],
      couponCodes: [code],
    };
    const [first, second] = [
      await registerTerminal(platform, storeId),
      await registerTerminal(platform, storeId),
    ];

    // The first till redeems the coupon for a sale, then dies before the sale is stored.
    const file = join(dir, `${first.terminalId}.sqlite`);
    const disk = sqliteStorage(file);
    let crashed = false;
    let died = false;
    const dying: TerminalStorage = {
      ...disk,
      commit: (change) => {
        if (!crashed || !change.append?.length) return disk.commit(change);
        died = true;
        return new Promise<void>(() => undefined);
      },
    };
    const before = await tillAt(storeId, first, dying, skus.A);
    await pricesWithCoupon(before, skus.A, code);
    await before.openShift(0);
    await before.sync();
    crashed = true;
    void before.sell(basket);
    // Dead while storing the sale, with the use taken: nothing of that till runs any more.
    await eventually(async () => died || null, 20_000, 'the till dies storing the sale');
    expect(await usageOf(platform, promotionId)).toBe(1);
    await disk.close();

    // Meanwhile the use is gone for everyone else.
    const other = await tillAt(
      storeId,
      second,
      sqliteStorage(join(dir, `${second.terminalId}.sqlite`)),
      skus.A,
    );
    await other.openShift(0);
    await expect(other.sell(basket)).rejects.toMatchObject({ code: 'coupon_exhausted' });

    // Started again on its storage, the first till gives the use back.
    const after = await tillAt(storeId, first, sqliteStorage(file), skus.A);
    after.start();
    await eventually(
      async () => (await usageOf(platform, promotionId)) === 0,
      20_000,
      'the use is given back',
    );
    await after.stop();
    // ERP mints the snapshot that has the use back, as POS's once-a-second poll would soon after. Without it
    // the second till may still hold the version from before the use was taken, and a sale on it, with only
    // the exhausted version minted since, is flagged `stale_snapshot` (docs/pricing.md).
    const snapshot = await platform.request('GET', '/erp/v1/pricing/snapshot');
    expect(snapshot.body.exhaustedPromotionIds).not.toContain(promotionId);

    await pricesWithCoupon(other, skus.A, code);
    const { sale } = await other.sell(basket);
    expect(sale.lines).toMatchObject([{ discount: 500 }]);
    await other.sync();
    const redemption = await eventually(
      async () => {
        const found = await platform.request('GET', `/erp/v1/redemptions/${sale.id}`);
        return found.body.source === 'sale' ? found.body : null;
      },
      20_000,
      'ERP receives the sale that used the coupon',
    );
    expect(redemption).toMatchObject({ status: 'redeemed', promotionIds: [promotionId] });
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect(
      (await platform.request('GET', `/erp/v1/price-mismatches?saleId=${sale.id}`)).body.mismatches,
    ).toEqual([]);
  });

  /** Redeems `code` through POS for a sale of `storeId` (as the admin, for the store's till). */
  const redeem = (storeId: string, saleId: string, sku: string, code: string) =>
    platform.request('POST', '/pos/v1/promotion-redemptions', {
      saleId,
      storeId,
      terminalId: `${storeId}-till`,
      currency: 'EUR',
      lines: [{ sku, quantity: 1 }],
      couponCodes: [code],
    });
  const release = (storeId: string, saleId: string) =>
    platform.request('POST', `/pos/v1/promotion-redemptions/${saleId}/release`, {
      storeId,
      terminalId: `${storeId}-till`,
    });
  /** The sale the till rang up with the coupon: half off. */
  const postSale = async (storeId: string, saleId: string, sku: string, code: string) => {
    const posted = await platform.request('POST', '/pos/v1/sales', {
      id: saleId,
      storeId,
      terminalId: `${storeId}-till`,
      occurredAt: new Date().toISOString(),
      currency: 'EUR',
      lines: [{ sku, quantity: 1, unitPrice: 1000, discount: 500 }],
      payments: [{ method: 'card', amount: 500 }],
      pricing: { couponCodes: [code] },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  };
  const adoptedBySale = (saleId: string) =>
    eventually(
      async () =>
        (await platform.request('GET', `/erp/v1/redemptions/${saleId}`)).body.source === 'sale' || null,
      20_000,
      'ERP counts the sale',
    );

  it('a release after the sale arrived is refused, at POS and at ERP, and the use stays counted', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const saleId = uuidv7();
    expect((await redeem(storeId, saleId, skus.A, code)).status).toBe(200);
    await postSale(storeId, saleId, skus.A, code);

    expect(await release(storeId, saleId)).toMatchObject({
      status: 409,
      body: { code: 'redemption_sale_recorded' },
    });
    await adoptedBySale(saleId);
    // POS's look comes first; ERP refuses too, for a release that passed it just before the sale was stored.
    const atErp = await platform.request('POST', `/erp/v1/redemptions/${saleId}/release`);
    expect([atErp.status, atErp.body.code]).toEqual([409, 'redemption_sale_recorded']);
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect((await redeem(storeId, uuidv7(), skus.A, code)).body.code).toBe('promotion_usage_exhausted');
  });

  it('a release that beats its sale is answered once, and the sale landing later is counted again', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const saleId = uuidv7();
    expect((await redeem(storeId, saleId, skus.A, code)).status).toBe(200);

    expect(await release(storeId, saleId)).toMatchObject({
      status: 200,
      body: { saleId, status: 'released', promotionIds: [promotionId] },
    });
    expect(await release(storeId, saleId)).toMatchObject({ status: 200, body: { status: 'released' } });
    expect(await usageOf(platform, promotionId)).toBe(0);
    const never = uuidv7();
    expect(await release(storeId, never)).toMatchObject({
      status: 200,
      body: { saleId: never, status: 'not_redeemed', promotionIds: [] },
    });

    await postSale(storeId, saleId, skus.A, code);
    await adoptedBySale(saleId);
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect(await release(storeId, saleId)).toMatchObject({
      status: 409,
      body: { code: 'redemption_sale_recorded' },
    });
    expect(
      ok(await platform.request('GET', `/erp/v1/price-mismatches?saleId=${saleId}`), 'mismatches'),
    ).toMatchObject({ mismatches: [] });
  });

  it("another till's key cannot give back a till's coupon use, even knowing the sale id; the till and the admin can", async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    const { code, promotionId } = await limitedCoupon(platform, 1);
    const [owner, neighbour] = [
      await registerTerminal(platform, storeId),
      await registerTerminal(platform, storeId),
    ];
    const as = (till: { apiKey: string }) => ({ authorization: `Bearer ${till.apiKey}` });
    const redeemAs = (till: { terminalId: string; apiKey: string }, saleId: string) =>
      platform.request(
        'POST',
        '/pos/v1/promotion-redemptions',
        {
          saleId,
          storeId,
          terminalId: till.terminalId,
          currency: 'EUR',
          lines: [{ sku: skus.A, quantity: 1 }],
          couponCodes: [code],
        },
        as(till),
      );
    const releaseAs = (till: { terminalId: string; apiKey: string }, saleId: string) =>
      platform.request(
        'POST',
        `/pos/v1/promotion-redemptions/${saleId}/release`,
        { storeId, terminalId: till.terminalId },
        as(till),
      );

    const saleId = uuidv7();
    expect((await redeemAs(owner, saleId)).status).toBe(200);
    const foreign = await releaseAs(neighbour, saleId);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'coupon_redemption_not_found']);
    expect(await usageOf(platform, promotionId)).toBe(1);
    expect(await releaseAs(owner, saleId)).toMatchObject({ status: 200, body: { status: 'released' } });
    expect(await usageOf(platform, promotionId)).toBe(0);

    const again = uuidv7();
    expect((await redeemAs(owner, again)).status).toBe(200);
    expect(await release(storeId, again)).toMatchObject({ status: 200, body: { status: 'released' } });
    expect(await usageOf(platform, promotionId)).toBe(0);
  });
});
