import { describe, expect, it } from 'vitest';
import { OPEN_COUPONS_KEY } from './coupons.js';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import type { TerminalStorage } from './storage.port.js';
import { openTestTerminal } from './till.fixtures.js';
import type { Transaction } from './wire.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 2500, currency: 'EUR' } }],
};

const answer = (status: number, body: unknown): HttpResponse => ({ status, header: () => null, body });

/**
 * POS and ERP as far as a limited coupon goes: one use of ONCE, taken by a redemption under a sale's id, given
 * back by its release unless POS holds the sale (a synced sale) or ERP does not answer (`erpDown`).
 */
function couponServer() {
  const state = {
    online: true,
    erpDown: false,
    usesLeft: 1,
    redemptions: new Map<string, 'redeemed' | 'released'>(),
    sales: new Set<string>(),
    releases: [] as Array<{ saleId: string; body: unknown }>,
  };
  const http: HttpPort = {
    async request(_method, path, options = {}) {
      if (!state.online) throw new NetworkError('offline');
      const body = options.body as Record<string, any> | undefined;
      if (path === '/pos/v1/promotion-redemptions') {
        if (state.usesLeft === 0)
          return answer(409, { code: 'promotion_usage_exhausted', promotionIds: ['once-promo'] });
        state.usesLeft -= 1;
        state.redemptions.set(body!.saleId, 'redeemed');
        return answer(200, { saleId: body!.saleId, promotionIds: ['once-promo'] });
      }
      const release = /^\/pos\/v1\/promotion-redemptions\/([^/]+)\/release$/.exec(path);
      if (release) {
        const saleId = release[1]!;
        state.releases.push({ saleId, body });
        if (state.sales.has(saleId)) return answer(409, { code: 'redemption_sale_recorded' });
        if (state.erpDown) return answer(503, { code: 'service_unavailable' });
        const status = state.redemptions.get(saleId);
        if (!status) return answer(200, { saleId, status: 'not_redeemed', promotionIds: [] });
        if (status === 'redeemed') state.usesLeft += 1;
        state.redemptions.set(saleId, 'released');
        return answer(200, { saleId, status: 'released', promotionIds: ['once-promo'] });
      }
      if (path === '/pos/v1/sync') {
        const transactions = body!.transactions as Transaction[];
        for (const { id, type } of transactions) if (type === 'sale') state.sales.add(id);
        return answer(200, {
          results: transactions.map(({ id, type }) => ({ id, type, status: 'accepted' })),
        });
      }
      return answer(304, null);
    },
  };
  return { http, state };
}

/**
 * The till's storage, shared by the till before and after its crash. Once `crash()` is called, storing a
 * transaction never completes (the process died between redeeming and storing the sale); once `fail()` is, it
 * throws (the disk refused the sale: the basket is abandoned with the till still running).
 */
function crashableStorage() {
  const storage = memoryStorage();
  let mode: 'ok' | 'crash' | 'fail' = 'ok';
  const dying: TerminalStorage = {
    ...storage,
    commit: (change) => {
      if (!change.append?.length || mode === 'ok') return storage.commit(change);
      return mode === 'crash' ? new Promise<void>(() => undefined) : Promise.reject(new Error('disk full'));
    },
  };
  return { storage, dying, crash: () => (mode = 'crash'), fail: () => (mode = 'fail') };
}

const open = (storage: TerminalStorage, http: HttpPort) =>
  openTestTerminal({ storage, http, refreshIntervalMs: 60_000 });

const withCoupon = {
  lines: [{ sku: 'A', quantity: 1 }],
  tenders: [{ method: 'card' }],
  couponCodes: ['ONCE'],
};

/** A till that redeemed the coupon for a sale and died before storing it; answers the sale's id. */
async function crashMidSale(http: HttpPort, state: ReturnType<typeof couponServer>['state']) {
  const { storage, dying, crash } = crashableStorage();
  await storage.commit({ state: { catalog } });
  const before = await open(dying, http);
  await before.openShift(0);
  crash();
  void before.sell(withCoupon);
  for (let tick = 0; tick < 100 && state.redemptions.size === 0; tick++)
    await new Promise((done) => setTimeout(done));
  expect(state.usesLeft).toBe(0);
  return { storage, saleId: [...state.redemptions.keys()][0]! };
}

describe('coupon uses stranded by a crash', () => {
  it('are given back when the till recovers, once, and the next sale can take the use', async () => {
    const { http, state } = couponServer();
    const { storage, saleId } = await crashMidSale(http, state);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([saleId]);

    const after = await open(storage, http);
    expect(await after.releaseStrandedCoupons()).toBe(1);
    expect(state.releases).toEqual([{ saleId, body: { storeId: 'S1', terminalId: 'T1' } }]);
    expect(state.usesLeft).toBe(1);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([]);
    expect(await after.releaseStrandedCoupons()).toBe(0);
    expect(state.releases).toHaveLength(1);

    const { sale } = await after.sell(withCoupon);
    expect(state.redemptions.get(sale.id)).toBe('redeemed');
  });

  it('stay recorded while POS or ERP cannot be reached, and are given back once they can', async () => {
    const { http, state } = couponServer();
    const { storage, saleId } = await crashMidSale(http, state);
    const after = await open(storage, http);
    state.online = false;
    expect(await after.releaseStrandedCoupons()).toBe(0);
    state.online = true;
    state.erpDown = true;
    expect(await after.releaseStrandedCoupons()).toBe(0);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([saleId]);
    state.erpDown = false;
    expect(await after.releaseStrandedCoupons()).toBe(1);
    expect(state.usesLeft).toBe(1);
  });

  it('are given back as soon as the recovered till starts', async () => {
    const { http, state } = couponServer();
    const { storage, saleId } = await crashMidSale(http, state);
    const after = await open(storage, http);
    after.start();
    for (let tick = 0; tick < 100 && state.redemptions.get(saleId) === 'redeemed'; tick++)
      await new Promise((done) => setTimeout(done, 5));
    await after.stop();
    expect(state.redemptions.get(saleId)).toBe('released');
    expect(state.usesLeft).toBe(1);
  });

  it('leave nothing to give back when the sale was stored: the sale carries its coupon to ERP', async () => {
    const { http, state } = couponServer();
    const storage = memoryStorage();
    await storage.commit({ state: { catalog } });
    const till = await open(storage, http);
    await till.openShift(0);
    const { sale } = await till.sell(withCoupon);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([]);

    const reopened = await open(storage, http);
    expect(await reopened.releaseStrandedCoupons()).toBe(0);
    await reopened.sync();
    expect(state.sales).toContain(sale.id);
    expect(state.releases).toEqual([]);
    expect(state.usesLeft).toBe(0);
  });

  it('are settled without a give-back when POS holds the sale after all', async () => {
    const { http, state } = couponServer();
    const { storage, saleId } = await crashMidSale(http, state);
    state.sales.add(saleId);
    const after = await open(storage, http);
    expect(await after.releaseStrandedCoupons()).toBe(1);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([]);
    expect(state.usesLeft).toBe(0);
  });
});

describe('coupon uses of a sale that is not stored', () => {
  it('go back at once when storing the sale fails, with the till still running', async () => {
    const { http, state } = couponServer();
    const { storage, dying, fail } = crashableStorage();
    await storage.commit({ state: { catalog } });
    const till = await open(dying, http);
    await till.openShift(0);
    fail();
    await expect(till.sell(withCoupon)).rejects.toThrow('disk full');
    expect(state.releases).toHaveLength(1);
    expect(state.usesLeft).toBe(1);
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([]);
  });

  it('are not asked back when the coupon had no use left: ERP took nothing', async () => {
    const { http, state } = couponServer();
    state.usesLeft = 0;
    const storage = memoryStorage();
    await storage.commit({ state: { catalog } });
    const till = await open(storage, http);
    await till.openShift(0);
    await expect(till.sell(withCoupon)).rejects.toMatchObject({ code: 'coupon_exhausted' });
    expect(await storage.get(OPEN_COUPONS_KEY)).toEqual([]);
    expect(state.releases).toEqual([]);
  });

  it('are not recorded offline: ERP counts the use when the sale arrives', async () => {
    const { http, state } = couponServer();
    const storage = memoryStorage();
    await storage.commit({ state: { catalog } });
    const till = await open(storage, http);
    await till.openShift(0);
    state.online = false;
    await till.sync();
    await till.sell(withCoupon);
    expect(await storage.get(OPEN_COUPONS_KEY)).toBeUndefined();
  });
});
