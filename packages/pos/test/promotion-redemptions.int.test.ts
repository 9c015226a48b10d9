import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { unavailable } from '@tillstream/kernel';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import type { ErpPromotions, PromotionRedeemRequest } from '../src/index.js';
import { pgUrl, posApi, startPos } from './pos-rig.js';

/** ERP's redemptions as far as a till sees them: one use of coupon ONCE, then none; DOWN when ERP is away. */
function fakeErp() {
  const asked: PromotionRedeemRequest[] = [];
  let usesLeft = 1;
  const erp: ErpPromotions = {
    async redeem(request) {
      asked.push(request);
      if (request.couponCodes?.includes('DOWN'))
        throw unavailable('service_unavailable', 'ERP did not answer in time', { retryAfterSeconds: 1 });
      if (!request.couponCodes?.includes('ONCE')) return { redeemed: true, promotionIds: [] };
      if (usesLeft === 0) return { redeemed: false, promotionIds: ['once-promo'] };
      usesLeft -= 1;
      return { redeemed: true, promotionIds: ['once-promo'] };
    },
  };
  return { erp, asked };
}

describe.each(harnessDialects(pgUrl))(
  'POS redeems limited coupons in ERP for online tills on %s',
  (dialect) => {
    let pos: ContextHarness;
    let unwired: ContextHarness;
    const { erp, asked } = fakeErp();
    const call = posApi(() => pos);
    const redemption = (couponCodes: string[], extra: object = {}) => ({
      saleId: uuidv7(),
      storeId: 'S1',
      terminalId: 'T1',
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 2 }],
      couponCodes,
      ...extra,
    });

    beforeAll(async () => {
      pos = await startPos(dialect, { promotions: erp });
      unwired = await startPos(dialect);
    });
    afterAll(async () => {
      await pos?.close();
      await unwired?.close();
    });

    it("takes the coupon's use in ERP under the sale's id, and refuses the sale that finds none left", async () => {
      const first = redemption(['ONCE'], { customerId: 'C-1' });
      expect(await call('POST', '/promotion-redemptions', first)).toMatchObject({
        status: 200,
        body: { saleId: first.saleId, promotionIds: ['once-promo'] },
      });
      expect(asked.at(-1)).toEqual({
        id: first.saleId,
        channel: 'pos',
        storeId: 'S1',
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 2 }],
        couponCodes: ['ONCE'],
        customerId: 'C-1',
      });
      expect(await call('POST', '/promotion-redemptions', redemption(['ONCE']))).toMatchObject({
        status: 409,
        body: { code: 'promotion_usage_exhausted', promotionIds: ['once-promo'] },
      });
    });

    it('answers 503 when ERP does not answer (or is not wired), so the till sells offline', async () => {
      expect(await call('POST', '/promotion-redemptions', redemption(['DOWN']))).toMatchObject({
        status: 503,
        body: { code: 'service_unavailable' },
      });
      expect(await unwired.api('POST', '/promotion-redemptions', redemption(['ONCE']))).toMatchObject({
        status: 503,
        body: { code: 'service_unavailable' },
      });
    });

    it("refuses a terminal's key redeeming for another till, and a body that is not a sale's cart", async () => {
      const { secret } = await pos.apiKeys.create({
        name: 'till T2',
        scopes: ['pos:write'],
        terminalId: 'T2',
        storeId: 'S1',
      });
      const asT2 = await pos.app.inject({
        method: 'POST',
        url: '/pos/v1/promotion-redemptions',
        headers: { authorization: `Bearer ${secret}` },
        payload: redemption(['ONCE']),
      });
      expect(asT2.statusCode).toBe(403);
      expect(asT2.json().code).toBe('terminal_mismatch');
      const before = asked.length;
      expect((await call('POST', '/promotion-redemptions', redemption([], { lines: [] }))).body.code).toBe(
        'validation_failed',
      );
      expect(asked).toHaveLength(before);
    });
  },
);
