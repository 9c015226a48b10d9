import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import type { TerminalStorage } from './storage.port.js';
import { openTestTerminal } from './till.fixtures.js';
import type { StoreFacts } from './wire.js';

const answer = (status: number, body: unknown): HttpResponse => ({ status, header: () => null, body });

/** One product at 9.98, the price that shows a Dutch till's rounding best. */
const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 998, currency: 'EUR' } }],
};

/** POS serving store S1's facts as given (and nothing new otherwise), until the test takes it offline. */
function posWithStore(facts: StoreFacts) {
  const state = { online: true, facts, issues: [] as unknown[] };
  const http: HttpPort = {
    async request(_method, path, options) {
      if (!state.online) throw new NetworkError('offline');
      if (path === '/pos/v1/stores/S1') return answer(200, state.facts);
      if (path === '/pos/v1/stored-value/issues') {
        state.issues.push(options?.body);
        return answer(201, options?.body);
      }
      if (path.startsWith('/pos/v1/terminals/')) return answer(200, { lastShiftSeq: 0 });
      return answer(304, null);
    },
  };
  return { http, state };
}

const dutch: StoreFacts = { storeId: 'S1', name: 'Dam', cashRoundingIncrement: 5, version: 3 };

async function refreshedTill(storage: TerminalStorage, http: HttpPort) {
  await storage.commit({ state: { catalog } });
  const terminal = await openTestTerminal({ storage, http });
  await terminal.refresh();
  return terminal;
}

describe('a till in a store that rounds cash to 5 cents', () => {
  it('learns the rule from POS, and offline takes 9.98 in cash as 10.00 and states +2', async () => {
    const { http, state } = posWithStore(dutch);
    const terminal = await refreshedTill(memoryStorage(), http);
    expect(terminal.cashRoundingIncrement()).toBe(5);
    expect((await terminal.status()).cashRoundingIncrement).toBe(5);
    expect(terminal.cashDue(998)).toBe(1000);
    state.online = false;
    await terminal.openShift(0);
    const { sale, change } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash', tendered: 2000 }],
    });
    expect(sale.payments).toEqual([{ method: 'cash', amount: 1000, tendered: 2000 }]);
    expect(sale.cashRounding).toBe(2);
    expect(change).toBe(1000);
    // A card pays to the cent, and states no rounding.
    const byCard = await terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] });
    expect(byCard.sale.payments).toEqual([expect.objectContaining({ method: 'card', amount: 998 })]);
    expect(byCard.sale).not.toHaveProperty('cashRounding');
  });

  it('keeps the rule across a restart without network, and rounds a cash refund as the store pays it out', async () => {
    const storage = memoryStorage();
    const { http, state } = posWithStore(dutch);
    await (await refreshedTill(storage, http)).stop();
    state.online = false;
    const terminal = await openTestTerminal({ storage, http });
    expect(terminal.cashRoundingIncrement()).toBe(5);
    await terminal.openShift(0);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 2 }],
      tenders: [{ method: 'card' }],
    });
    const { saleReturn } = await terminal.returnItems({
      originalSaleId: sale.id,
      lines: [{ sku: 'A', quantity: 1 }],
    });
    expect(saleReturn.refunds).toEqual([{ method: 'cash', amount: 1000 }]);
    expect(saleReturn.cashRounding).toBe(2);
    // Store credit is no coin: refunded to the cent.
    const toCredit = await terminal.returnItems({
      originalSaleId: sale.id,
      lines: [{ sku: 'A', quantity: 1 }],
      refundMethod: 'store_credit',
    });
    expect(toCredit.refunds).toEqual([{ method: 'store_credit', amount: 998 }]);
    expect(toCredit.saleReturn).not.toHaveProperty('cashRounding');
  });

  it('sells a gift card for cash rounded as a sale is, loading the card with what was asked', async () => {
    const { http, state } = posWithStore(dutch);
    const terminal = await refreshedTill(memoryStorage(), http);
    await terminal.openShift(0);
    const { issue, change } = await terminal.sellGiftCard({
      number: 'GC-1',
      amount: 1234,
      tenders: [{ method: 'cash', tendered: 2000 }],
    });
    expect(issue).toMatchObject({
      amount: 1234,
      payments: [{ method: 'cash', amount: 1235, tendered: 2000 }],
      cashRounding: 1,
    });
    expect(change).toBe(765);
    // A card pays to the cent, and states no rounding.
    const byCard = await terminal.sellGiftCard({
      number: 'GC-2',
      amount: 1234,
      tenders: [{ method: 'card' }],
    });
    expect(byCard.issue.payments).toEqual([{ method: 'card', amount: 1234 }]);
    expect(byCard.issue).not.toHaveProperty('cashRounding');
    expect(state.issues).toEqual([issue, byCard.issue]);
  });

  it('follows a change of the rule at the next refresh, and stops rounding when the store stops', async () => {
    const { http, state } = posWithStore(dutch);
    const terminal = await refreshedTill(memoryStorage(), http);
    state.facts = { ...dutch, cashRoundingIncrement: null, version: 4 };
    await terminal.refresh();
    expect(terminal.cashRoundingIncrement()).toBeNull();
    await terminal.openShift(0);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash', tendered: 1000 }],
    });
    expect(sale.payments).toEqual([{ method: 'cash', amount: 998, tendered: 1000 }]);
    expect(sale).not.toHaveProperty('cashRounding');
  });

  it('rounds nothing before it has heard of its store (a POS from before rounding answers 404)', async () => {
    const http: HttpPort = {
      request: async (_method, path) =>
        path.startsWith('/pos/v1/terminals/')
          ? answer(200, { lastShiftSeq: 0 })
          : answer(404, { code: 'route_not_found' }),
    };
    const terminal = await refreshedTill(memoryStorage(), http);
    expect(terminal.cashRoundingIncrement()).toBeNull();
    expect(terminal.cashDue(998)).toBe(998);
  });
});
