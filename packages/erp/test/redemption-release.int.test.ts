import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createOutbox, uuidV7Ids } from '@tillstream/kernel';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';
import { createRedemptionStore } from '../src/pricing/redemption.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))(
  "a till's coupon redemption given back, and the sale it was taken for, on %s",
  (dialect) => {
    let erp: ContextHarness;
    let coupons = 0;

    beforeAll(async () => {
      erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
      expect((await erp.api('PUT', '/locations/S1', { name: 'S1', kind: 'store' })).status).toBe(201);
      const product = await erp.api('PUT', '/products/A', {
        name: 'Apple',
        price: { amount: 1000, currency: 'EUR' },
      });
      expect(product.status).toBe(201);
    });
    afterAll(async () => erp?.close());

    /** A coupon taking half off, limited to `totalUses`. */
    const limitedCoupon = async (totalUses: number) => {
      const code = `ONCE${(coupons += 1)}`;
      const promotionId = `${code.toLowerCase()}-promo`;
      const put = await erp.api('PUT', `/promotions/${promotionId}`, {
        name: 'Limited coupon',
        priority: 0,
        stacking: 'stackable',
        couponCodes: [code],
        limits: { totalUses },
        effect: { type: 'percent_off_lines', basisPoints: 5000 },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
      return { code, promotionId };
    };
    const redeem = (saleId: string, code: string) =>
      erp.api('POST', '/redemptions', {
        id: saleId,
        channel: 'pos',
        currency: 'EUR',
        storeId: 'S1',
        lines: [{ sku: 'A', quantity: 1 }],
        couponCodes: [code],
      });
    const release = (saleId: string) => erp.api('POST', `/redemptions/${saleId}/release`);
    const used = async (promotionId: string) =>
      (await erp.api('GET', `/promotions/${promotionId}/usage`)).body.used as number;
    /** The sale as POS publishes it, priced with the coupon: half off. */
    const saleArrives = async (saleId: string, code: string) => {
      const event = foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId: 'S1',
        terminalId: 'T1',
        occurredAt: '2026-11-01T10:00:00.000Z',
        currency: 'EUR',
        total: 500,
        lines: [{ lineNo: 1, sku: 'A', quantity: 1, unitPrice: 1000, discount: 500, lineTotal: 500 }],
        payments: [{ method: 'card', amount: 500 }],
        pricing: { couponCodes: [code] },
      });
      // A delivery that lost a race with a release is retried, as the relay would: the inbox applies it once.
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await erp.deliver('pos', event);
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    };
    const mismatchesOf = async (saleId: string) =>
      (await erp.api('GET', `/price-mismatches?saleId=${saleId}`)).body.mismatches as Array<{
        reason: string;
        promotionIds: string[];
      }>;

    it('a sale that arrives after its till redeemed online keeps the use: releasing it then is refused', async () => {
      const { code, promotionId } = await limitedCoupon(1);
      const saleId = uuidv7();
      expect((await redeem(saleId, code)).status).toBe(201);
      await saleArrives(saleId, code);
      expect((await erp.api('GET', `/redemptions/${saleId}`)).body).toMatchObject({
        source: 'sale',
        status: 'redeemed',
        promotionIds: [promotionId],
      });
      expect(await release(saleId)).toMatchObject({
        status: 409,
        body: { code: 'redemption_sale_recorded' },
      });
      expect(await used(promotionId)).toBe(1);
      expect(await mismatchesOf(saleId)).toEqual([]);
    });

    it('releasing twice answers the same, releasing what was never redeemed is 404, and a sale arriving after its release is counted again', async () => {
      const { code, promotionId } = await limitedCoupon(1);
      const saleId = uuidv7();
      expect((await redeem(saleId, code)).status).toBe(201);
      expect(await release(saleId)).toMatchObject({ status: 200, body: { status: 'released' } });
      expect(await release(saleId)).toMatchObject({ status: 200, body: { status: 'released' } });
      expect(await used(promotionId)).toBe(0);
      expect(await release(uuidv7())).toMatchObject({
        status: 404,
        body: { code: 'redemption_not_found' },
      });

      await saleArrives(saleId, code);
      expect(await used(promotionId)).toBe(1);
      expect((await erp.api('GET', `/redemptions/${saleId}`)).body).toMatchObject({
        source: 'sale',
        status: 'redeemed',
        promotionIds: [promotionId],
      });
      expect((await release(saleId)).body.code).toBe('redemption_sale_recorded');
      expect(await mismatchesOf(saleId)).toEqual([]);
    });

    it('a sale arriving after its use was given back and taken by another is counted past the limit and raised', async () => {
      const { code, promotionId } = await limitedCoupon(1);
      const [abandoned, other] = [uuidv7(), uuidv7()];
      expect((await redeem(abandoned, code)).status).toBe(201);
      expect((await release(abandoned)).status).toBe(200);
      expect((await redeem(other, code)).status).toBe(201);

      await saleArrives(abandoned, code);
      expect(await used(promotionId)).toBe(1);
      expect(await mismatchesOf(abandoned)).toMatchObject([
        { reason: 'usage_limit_exceeded', promotionIds: [promotionId] },
      ]);
      expect((await erp.api('GET', `/redemptions/${abandoned}`)).body).toMatchObject({
        source: 'sale',
        status: 'redeemed',
        promotionIds: [],
      });
    });

    it('releases racing the arrival of their sales: every sale holds exactly one use in the end', async () => {
      const { code, promotionId } = await limitedCoupon(1000);
      const saleIds = Array.from({ length: 12 }, () => uuidv7());
      for (const saleId of saleIds) expect((await redeem(saleId, code)).status).toBe(201);
      const answers = await Promise.all(
        saleIds.map(async (saleId, index) => {
          // Half the races start with the sale, half with the release.
          const arriving = index % 2 === 0 ? saleArrives(saleId, code) : null;
          const released = release(saleId);
          await (arriving ?? saleArrives(saleId, code));
          return (await released).status;
        }),
      );
      expect(answers.every((status) => status === 200 || status === 409)).toBe(true);
      expect(await used(promotionId)).toBe(saleIds.length);
      for (const saleId of saleIds) {
        expect((await erp.api('GET', `/redemptions/${saleId}`)).body).toMatchObject({
          source: 'sale',
          status: 'redeemed',
          promotionIds: [promotionId],
        });
        expect((await release(saleId)).status).toBe(409);
      }
    });

    /**
     * The interleavings only concurrent writers allow (SQLite has one writer at a time): one side has changed
     * the redemption but not committed yet while the other reads it and then waits on the row.
     */
    const pgOnly = dialect === 'postgres' ? it : it.skip;
    const store = () =>
      createRedemptionStore({ outbox: createOutbox('erp', { clock: erp.clock, ids: uuidV7Ids }) });
    const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

    pgOnly(
      'a release that read the redemption before the sale adopted it is refused once the sale commits',
      async () => {
        const { code, promotionId } = await limitedCoupon(1);
        const saleId = uuidv7();
        expect((await redeem(saleId, code)).status).toBe(201);
        let releasing: ReturnType<typeof release> | null = null;
        await erp.db.transaction(async (tx) => {
          expect(await store().adopt(tx, saleId)).toBe(true);
          releasing = release(saleId);
          await pause(300);
        });
        expect(await releasing!).toMatchObject({ status: 409, body: { code: 'redemption_sale_recorded' } });
        expect(await used(promotionId)).toBe(1);
      },
    );

    pgOnly('a sale that read the redemption before its release committed is counted again', async () => {
      const { code, promotionId } = await limitedCoupon(1);
      const saleId = uuidv7();
      expect((await redeem(saleId, code)).status).toBe(201);
      let arriving: ReturnType<typeof saleArrives> | null = null;
      await erp.db.transaction(async (tx) => {
        const redemption = (await store().find(tx, saleId))!;
        expect(await store().release(tx, redemption, '2026-11-01T10:00:00.000Z')).toBe(true);
        arriving = saleArrives(saleId, code);
        await pause(300);
      });
      await arriving;
      expect(await used(promotionId)).toBe(1);
      expect((await erp.api('GET', `/redemptions/${saleId}`)).body).toMatchObject({
        source: 'sale',
        status: 'redeemed',
      });
    });
  },
);
