import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { openTestTerminal } from './till.fixtures.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 2500, currency: 'EUR' } }],
};

const answer = (status: number, body: unknown): HttpResponse => ({ status, header: () => null, body });

/** POS with one use left of coupon ONCE; it can be taken offline, and it records what the till asked. */
function couponServer() {
  const state = { online: true, usesLeft: 1, redemptions: [] as any[], cancels: [] as string[] };
  const http: HttpPort = {
    async request(_method, path, options = {}) {
      if (!state.online) throw new NetworkError('offline');
      const body = options.body as Record<string, any> | undefined;
      if (path === '/pos/v1/promotion-redemptions') {
        state.redemptions.push(body);
        if (state.usesLeft === 0)
          return answer(409, { code: 'promotion_usage_exhausted', promotionIds: ['once-promo'] });
        state.usesLeft -= 1;
        return answer(200, { saleId: body!.saleId, promotionIds: ['once-promo'] });
      }
      if (/\/redemptions$/.test(path)) return answer(201, { id: body!.id, status: 'held' });
      const cancel = /^\/pos\/v1\/stored-value\/redemptions\/([^/]+)\/cancel$/.exec(path);
      if (cancel) {
        state.cancels.push(cancel[1]!);
        return answer(200, { status: 'cancelled' });
      }
      return answer(304, null);
    },
  };
  return { http, state };
}

async function till(http: HttpPort) {
  const storage = memoryStorage();
  await storage.commit({ state: { catalog } });
  const terminal = await openTestTerminal({ storage, http });
  await terminal.openShift(0);
  return terminal;
}

const withCoupon = (tenders: object[] = [{ method: 'card' }]) => ({
  lines: [{ sku: 'A', quantity: 2 }],
  tenders: tenders as { method: string }[],
  couponCodes: ['ONCE'],
});

describe('limited coupons at the till', () => {
  it("online: takes the coupon's use under the sale's own id before storing the sale", async () => {
    const { http, state } = couponServer();
    const terminal = await till(http);
    const { sale } = await terminal.sell(withCoupon());
    expect(state.redemptions).toEqual([
      {
        saleId: sale.id,
        storeId: 'S1',
        terminalId: 'T1',
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 2 }],
        couponCodes: ['ONCE'],
      },
    ]);
    expect(sale.pricing).toMatchObject({ couponCodes: ['ONCE'] });
  });

  it('online: refuses the sale whose coupon has no use left, stores nothing and gives its gift card hold back', async () => {
    const { http, state } = couponServer();
    state.usesLeft = 0;
    const terminal = await till(http);
    await expect(
      terminal.sell(withCoupon([{ method: 'gift_card', reference: 'GC-1' }])),
    ).rejects.toMatchObject({ code: 'coupon_exhausted', promotionIds: ['once-promo'] });
    expect(await terminal.recent(10, 'pending')).toHaveLength(1); // the shift opening only
    expect(state.cancels).toHaveLength(1);
  });

  it('unreachable: sells with the coupon anyway (ERP counts it when the sale arrives)', async () => {
    const { http, state } = couponServer();
    const terminal = await till(http);
    state.online = false;
    const { sale } = await terminal.sell(withCoupon());
    expect(sale.pricing).toMatchObject({ couponCodes: ['ONCE'] });
    expect(await terminal.recent(1, 'pending')).toMatchObject([{ id: sale.id }]);
    expect(state.redemptions).toEqual([]);
    // Back online, the next sale redeems its coupon first again.
    state.online = true;
    const next = await terminal.sell(withCoupon());
    expect(state.redemptions).toMatchObject([{ saleId: next.sale.id }]);
  });
});
