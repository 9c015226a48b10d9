import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { conflict, unavailable, type Scope } from '@tillstream/kernel';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createQuarantineStore } from '../src/sync/quarantine.store.js';
import type { ErpPromotions, PromotionRedeemRequest } from '../src/index.js';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

/**
 * ERP's redemptions as far as a till sees them: one use of coupon ONCE, then none, until a release gives it back;
 * MANY without limit; DOWN when ERP is away. `arrived` are the sales ERP has received, whose uses it no longer
 * gives back.
 */
function fakeErp() {
  const asked: PromotionRedeemRequest[] = [];
  const released: string[] = [];
  const redeemed = new Map<string, { status: 'redeemed' | 'released'; promotionId: string }>();
  const arrived = new Set<string>();
  let usesLeft = 1;
  const erp: ErpPromotions = {
    async redeem(request) {
      asked.push(request);
      if (request.couponCodes?.includes('DOWN'))
        throw unavailable('service_unavailable', 'ERP did not answer in time', { retryAfterSeconds: 1 });
      if (request.couponCodes?.includes('MANY')) {
        redeemed.set(request.id, { status: 'redeemed', promotionId: 'many-promo' });
        return { redeemed: true, promotionIds: ['many-promo'] };
      }
      if (!request.couponCodes?.includes('ONCE')) return { redeemed: true, promotionIds: [] };
      if (usesLeft === 0) return { redeemed: false, promotionIds: ['once-promo'] };
      usesLeft -= 1;
      redeemed.set(request.id, { status: 'redeemed', promotionId: 'once-promo' });
      return { redeemed: true, promotionIds: ['once-promo'] };
    },
    async release(saleId) {
      released.push(saleId);
      if (arrived.has(saleId)) throw conflict('redemption_sale_recorded', `Sale ${saleId} has arrived`);
      const redemption = redeemed.get(saleId);
      if (!redemption) return { status: 'not_redeemed', promotionIds: [] };
      if (redemption.status === 'redeemed' && redemption.promotionId === 'once-promo') usesLeft += 1;
      redeemed.set(saleId, { ...redemption, status: 'released' });
      return { status: 'released', promotionIds: [redemption.promotionId] };
    },
  };
  return { erp, asked, released, arrived, redeemed };
}

describe.each(harnessDialects(pgUrl))(
  'POS redeems limited coupons in ERP for online tills on %s',
  (dialect) => {
    let pos: ContextHarness;
    let unwired: ContextHarness;
    const { erp, asked, released, arrived, redeemed } = fakeErp();
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
      await announceLocation(pos, 'S1');
      await announceProduct(pos, 'A', 150);
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

    const giveBack = (saleId: string) =>
      call('POST', `/promotion-redemptions/${saleId}/release`, { storeId: 'S1', terminalId: 'T1' });
    const saleOf = (id: string) => ({
      id,
      storeId: 'S1',
      terminalId: 'T1',
      occurredAt: '2026-11-01T10:00:00Z',
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 2, unitPrice: 150 }],
      payments: [{ method: 'cash', amount: 300 }],
    });

    it('gives back the uses of a sale its till never completed, once, so another sale can take them', async () => {
      const abandoned = redemption(['ONCE']);
      // The first test took the only use: give it back first.
      await giveBack(asked.find((request) => request.couponCodes?.includes('ONCE'))!.id);
      expect((await call('POST', '/promotion-redemptions', abandoned)).status).toBe(200);
      expect((await call('POST', '/promotion-redemptions', redemption(['ONCE']))).status).toBe(409);

      expect(await giveBack(abandoned.saleId)).toEqual({
        status: 200,
        body: { saleId: abandoned.saleId, status: 'released', promotionIds: ['once-promo'] },
      });
      expect(await giveBack(abandoned.saleId)).toMatchObject({ status: 200, body: { status: 'released' } });
      expect((await call('POST', '/promotion-redemptions', redemption(['ONCE']))).status).toBe(200);

      const never = uuidv7();
      expect(await giveBack(never)).toEqual({
        status: 200,
        body: { saleId: never, status: 'not_redeemed', promotionIds: [] },
      });
    });

    it('refuses to give back the uses of a sale POS holds, stored or quarantined, without asking ERP', async () => {
      const stored = uuidv7();
      expect((await call('POST', '/sales', saleOf(stored))).status).toBe(201);
      const quarantined = uuidv7();
      const quarantine = createQuarantineStore(pos.db);
      await pos.db.transaction((tx) =>
        quarantine.put(
          tx,
          {
            terminalId: 'T1',
            id: quarantined,
            type: 'sale',
            payload: saleOf(quarantined),
            code: 'unknown_sku',
            detail: 'held for a fix',
          },
          '2026-11-01T10:00:00Z',
        ),
      );
      const before = released.length;
      for (const saleId of [stored, quarantined])
        expect(await giveBack(saleId)).toMatchObject({
          status: 409,
          body: { code: 'redemption_sale_recorded' },
        });
      expect(released).toHaveLength(before);
    });

    it("answers ERP's refusal when the sale reached ERP first, and 503 when ERP cannot be asked", async () => {
      const saleId = uuidv7();
      arrived.add(saleId);
      expect(await giveBack(saleId)).toMatchObject({
        status: 409,
        body: { code: 'redemption_sale_recorded' },
      });
      expect(
        await unwired.api('POST', `/promotion-redemptions/${uuidv7()}/release`, {
          storeId: 'S1',
          terminalId: 'T1',
        }),
      ).toMatchObject({ status: 503, body: { code: 'service_unavailable' } });
    });

    it("refuses a terminal's key giving back for another till, and a release that names no sale id", async () => {
      const { secret } = await pos.apiKeys.create({
        name: 'till T3',
        scopes: ['pos:write'],
        terminalId: 'T3',
        storeId: 'S1',
      });
      const asT3 = await pos.app.inject({
        method: 'POST',
        url: `/pos/v1/promotion-redemptions/${uuidv7()}/release`,
        headers: { authorization: `Bearer ${secret}` },
        payload: { storeId: 'S1', terminalId: 'T1' },
      });
      expect([asT3.statusCode, asT3.json().code]).toEqual([403, 'terminal_mismatch']);
      const before = released.length;
      expect(
        (await call('POST', '/promotion-redemptions/not-a-uuid/release', { storeId: 'S1', terminalId: 'T1' }))
          .body.code,
      ).toBe('validation_failed');
      expect(
        (await call('POST', `/promotion-redemptions/${uuidv7()}/release`, { storeId: 'S1' })).body.code,
      ).toBe('validation_failed');
      expect(released).toHaveLength(before);
    });

    describe("only the till a sale's coupons were redeemed for, or the back office, gives them back", () => {
      const keys: Record<string, string> = {};
      beforeAll(async () => {
        const issue = async (
          name: string,
          scopes: Scope[],
          bound: { terminalId?: string; storeId?: string },
        ) => (keys[name] = (await pos.apiKeys.create({ name, scopes, ...bound })).secret);
        await issue('T1', ['pos:read', 'pos:write'], { terminalId: 'T1', storeId: 'S1' });
        await issue('T2', ['pos:read', 'pos:write'], { terminalId: 'T2', storeId: 'S1' });
        await issue('S1 manager', ['pos:write', 'pos:manage'], { storeId: 'S1' });
        await issue('S2 manager', ['pos:write', 'pos:manage'], { storeId: 'S2' });
      });
      const as = async (key: string, url: string, payload: object) => {
        const answer = await pos.app.inject({
          method: 'POST',
          url: `/pos/v1${url}`,
          headers: { authorization: `Bearer ${keys[key]}` },
          payload,
        });
        return { status: answer.statusCode, body: answer.json() };
      };
      const t1 = { storeId: 'S1', terminalId: 'T1' };
      const t2 = { storeId: 'S1', terminalId: 'T2' };
      /** A sale T1 redeemed coupon MANY for, with T1's own key. */
      const redeemedByT1 = async () => {
        const sale = redemption(['MANY']);
        expect((await as('T1', '/promotion-redemptions', sale)).status).toBe(200);
        return sale.saleId;
      };
      const releaseAs = (key: string, saleId: string, acting = t1) =>
        as(key, `/promotion-redemptions/${saleId}/release`, acting);

      it("gives back the uses to their own till's key", async () => {
        const saleId = await redeemedByT1();
        expect(await releaseAs('T1', saleId)).toEqual({
          status: 200,
          body: { saleId, status: 'released', promotionIds: ['many-promo'] },
        });
      });

      it("answers another till's key 404 coupon_redemption_not_found, as for an id never redeemed, and leaves the uses taken", async () => {
        const saleId = await redeemedByT1();
        const before = released.length;
        const foreign = await releaseAs('T2', saleId, t2);
        const unknown = await releaseAs('T2', uuidv7(), t2);
        expect([foreign.status, foreign.body.code]).toEqual([404, 'coupon_redemption_not_found']);
        expect([unknown.status, unknown.body.code]).toEqual([404, 'coupon_redemption_not_found']);
        // Nothing reached ERP: the uses are still T1's sale's, and T1 can still give them back.
        expect(released).toHaveLength(before);
        expect(redeemed.get(saleId)?.status).toBe('redeemed');
        expect((await releaseAs('T1', saleId)).body.status).toBe('released');
      });

      it('refuses another till redeeming under a sale id T1 redeemed for, without asking ERP', async () => {
        const saleId = await redeemedByT1();
        const before = asked.length;
        expect(
          await as('T2', '/promotion-redemptions', { ...redemption(['MANY']), saleId, ...t2 }),
        ).toMatchObject({
          status: 409,
          body: { code: 'id_conflict' },
        });
        expect(asked).toHaveLength(before);
        expect((await releaseAs('T2', saleId, t2)).body.code).toBe('coupon_redemption_not_found');
      });

      it("lets the admin and the store's manager give back any of the store's tills' uses, not another store's manager", async () => {
        const first = await redeemedByT1();
        expect(await call('POST', `/promotion-redemptions/${first}/release`, t2)).toMatchObject({
          status: 200,
          body: { status: 'released', promotionIds: ['many-promo'] },
        });
        const second = await redeemedByT1();
        const elsewhere = await releaseAs('S2 manager', second, { storeId: 'S2', terminalId: 'T9' });
        expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'coupon_redemption_not_found']);
        expect(redeemed.get(second)?.status).toBe('redeemed');
        expect(await releaseAs('S1 manager', second, t2)).toMatchObject({
          status: 200,
          body: { status: 'released' },
        });
      });

      it("checks the owning till's quarantine when the back office names another till", async () => {
        const saleId = await redeemedByT1();
        await pos.db.transaction((tx) =>
          createQuarantineStore(pos.db).put(
            tx,
            {
              terminalId: 'T1',
              id: saleId,
              type: 'sale',
              payload: saleOf(saleId),
              code: 'unknown_sku',
              detail: 'held for a fix',
            },
            '2026-11-01T10:00:00Z',
          ),
        );
        expect(await call('POST', `/promotion-redemptions/${saleId}/release`, t2)).toMatchObject({
          status: 409,
          body: { code: 'redemption_sale_recorded' },
        });
      });
    });
  },
);
