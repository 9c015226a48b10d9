import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { OPEN_HOLDS_KEY } from './open-holds.js';
import type { TerminalStorage } from './storage.port.js';
import { openTestTerminal } from './till.fixtures.js';
import type { Transaction } from './wire.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 2500, currency: 'EUR' } }],
};

const answer = (status: number, body: unknown): HttpResponse => ({ status, header: () => null, body });

/** POS as far as holds go: it debits a card for a hold, credits it back on cancel, and a synced sale claims it. */
function holdServer(balance: number) {
  const state = {
    online: true,
    balance,
    holds: new Map<string, 'held' | 'claimed' | 'cancelled'>(),
    cancels: [] as string[],
  };
  const http: HttpPort = {
    async request(_method, path, options = {}) {
      if (!state.online) throw new NetworkError('offline');
      const body = options.body as Record<string, any> | undefined;
      if (/^\/pos\/v1\/stored-value\/[^/]+\/redemptions$/.test(path)) {
        state.balance -= body!.amount;
        state.holds.set(body!.id, 'held');
        return answer(201, { id: body!.id, status: 'held' });
      }
      const cancel = /^\/pos\/v1\/stored-value\/redemptions\/([^/]+)\/cancel$/.exec(path);
      if (cancel) {
        const id = cancel[1]!;
        state.cancels.push(id);
        if (!state.holds.has(id)) return answer(404, { code: 'stored_value_redemption_not_found' });
        if (state.holds.get(id) === 'claimed')
          return answer(409, { code: 'stored_value_redemption_claimed' });
        if (state.holds.get(id) === 'held') state.balance += 2500;
        state.holds.set(id, 'cancelled');
        return answer(200, { id, status: 'cancelled' });
      }
      if (path === '/pos/v1/sync') {
        const transactions = body!.transactions as Transaction[];
        for (const sale of transactions)
          for (const payment of sale.type === 'sale' ? sale.payments : [])
            if (payment.redemptionId) state.holds.set(payment.redemptionId, 'claimed');
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
 * transaction never completes: the process died between the gift card hold and storing the sale.
 */
function crashableStorage() {
  const storage = memoryStorage();
  let crashed = false;
  const dying: TerminalStorage = {
    ...storage,
    commit: (change) =>
      crashed && change.append?.length ? new Promise<void>(() => undefined) : storage.commit(change),
  };
  return { storage, dying, crash: () => (crashed = true) };
}

const open = (storage: TerminalStorage, http: HttpPort) =>
  openTestTerminal({ storage, http, refreshIntervalMs: 60_000 });

const giftCardSale = {
  lines: [{ sku: 'A', quantity: 1 }],
  tenders: [{ method: 'gift_card', reference: 'GC-1' }],
};

/** A till that took a gift card hold and died before the sale was stored; answers the hold's id. */
async function crashMidSale(http: HttpPort, state: ReturnType<typeof holdServer>['state']) {
  const { storage, dying, crash } = crashableStorage();
  await storage.commit({ state: { catalog } });
  const before = await open(dying, http);
  await before.openShift(0);
  crash();
  void before.sell(giftCardSale);
  for (let tick = 0; tick < 100 && state.holds.size === 0; tick++)
    await new Promise((done) => setTimeout(done));
  expect([...state.holds.values()]).toEqual(['held']);
  return { storage, holdId: [...state.holds.keys()][0]! };
}

describe('gift card holds stranded by a crash', () => {
  it('are given back when the till recovers, once', async () => {
    const { http, state } = holdServer(5000);
    const { storage, holdId } = await crashMidSale(http, state);
    expect(state.balance).toBe(2500);

    const after = await open(storage, http);
    expect(await after.releaseStrandedHolds()).toBe(1);
    expect(state.holds.get(holdId)).toBe('cancelled');
    expect(state.balance).toBe(5000);
    expect(await storage.get(OPEN_HOLDS_KEY)).toEqual([]);
    expect(await after.releaseStrandedHolds()).toBe(0);
    expect(state.cancels).toEqual([holdId]);
  });

  it('stay recorded while the server cannot be reached, and are given back once it can', async () => {
    const { http, state } = holdServer(5000);
    const { storage, holdId } = await crashMidSale(http, state);
    state.online = false;
    const after = await open(storage, http);
    expect(await after.releaseStrandedHolds()).toBe(0);
    expect(await storage.get(OPEN_HOLDS_KEY)).toEqual([holdId]);
    state.online = true;
    expect(await after.releaseStrandedHolds()).toBe(1);
    expect(state.balance).toBe(5000);
  });

  it('are given back as soon as the recovered till starts', async () => {
    const { http, state } = holdServer(5000);
    const { storage, holdId } = await crashMidSale(http, state);
    const after = await open(storage, http);
    after.start();
    for (let tick = 0; tick < 100 && state.holds.get(holdId) === 'held'; tick++)
      await new Promise((done) => setTimeout(done, 5));
    await after.stop();
    expect(state.holds.get(holdId)).toBe('cancelled');
    expect(state.balance).toBe(5000);
  });

  it('leave nothing to give back when the sale was stored: the sale claims its hold', async () => {
    const { http, state } = holdServer(5000);
    const storage = memoryStorage();
    await storage.commit({ state: { catalog } });
    const till = await open(storage, http);
    await till.openShift(0);
    const { sale } = await till.sell(giftCardSale);
    expect(sale.payments).toMatchObject([{ method: 'gift_card', redemptionId: expect.any(String) }]);
    expect(await storage.get(OPEN_HOLDS_KEY)).toEqual([]);

    const reopened = await open(storage, http);
    expect(await reopened.releaseStrandedHolds()).toBe(0);
    await reopened.sync();
    expect([...state.holds.values()]).toEqual(['claimed']);
    expect(state.cancels).toEqual([]);
    expect(state.balance).toBe(2500);
  });
});
