import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import type { TerminalStorage } from './storage.port.js';
import { openTestTerminal } from './till.fixtures.js';
import { mutex, type CrossTabLock } from './terminal.lock.js';
import type { Transaction } from './wire.js';

const offline: HttpPort = {
  request: async () => {
    throw new NetworkError('offline');
  },
};
const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 250, currency: 'EUR' } }],
};

async function till(
  storage: TerminalStorage = memoryStorage(),
  http: HttpPort = offline,
  withLock?: CrossTabLock,
) {
  await storage.commit({ state: { catalog } });
  return openTestTerminal({ storage, http, ...(withLock ? { withLock } : {}) });
}

/** Named locks shared by the terminals of a test, as `navigator.locks` is by the tabs of a browser. */
function sharedLocks(): CrossTabLock {
  const locks = new Map<string, ReturnType<typeof mutex>>();
  return (name, fn) => {
    if (!locks.has(name)) locks.set(name, mutex());
    return locks.get(name)!(fn);
  };
}

/** Accepts a synced transaction unless another document has taken its receipt number, as the server does. */
function receiptCheckingServer(): HttpPort {
  const owners = new Map<string, string>();
  return {
    async request(_method, path, options) {
      if (path !== '/pos/v1/sync') return { status: 304, header: () => null, body: null };
      const { transactions } = options!.body as { transactions: Transaction[] };
      const results = transactions.map((transaction) => {
        const receiptNo = 'receiptNo' in transaction ? transaction.receiptNo : undefined;
        const owner = receiptNo ? (owners.get(receiptNo) ?? transaction.id) : transaction.id;
        if (receiptNo) owners.set(receiptNo, owner);
        return owner === transaction.id
          ? { id: transaction.id, type: transaction.type, status: 'accepted' }
          : { id: transaction.id, type: transaction.type, status: 'rejected', code: 'receipt_number_taken' };
      });
      return { status: 200, header: () => null, body: { results } };
    },
  };
}

describe('a terminal offline', () => {
  it('needs an open shift, numbers receipts per shift, and queues every sale it confirms', async () => {
    const terminal = await till();
    await expect(
      terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] }),
    ).rejects.toMatchObject({
      code: 'no_open_shift',
    });
    await terminal.openShift(5000);
    const first = await terminal.sell({
      lines: [{ sku: 'A', quantity: 2 }],
      tenders: [{ method: 'cash', tendered: 1000 }],
    });
    expect(first).toMatchObject({
      change: 500,
      sale: { receiptNo: 'T1-1-1', payments: [{ method: 'cash', amount: 500, tendered: 1000 }] },
    });
    const second = await terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] });
    expect(second.sale.receiptNo).toBe('T1-1-2');
    await terminal.closeShift(5500);
    await terminal.openShift(0);
    expect(
      (await terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] })).sale
        .receiptNo,
    ).toBe('T1-2-1');
    expect(await terminal.status()).toMatchObject({ pending: 6, online: null });
    expect(await terminal.sync()).toBeNull();
    expect(await terminal.status()).toMatchObject({ pending: 6, online: false });
  });

  it('keeps the basket being rung up through a reopening, until a sale empties it', async () => {
    const storage = memoryStorage();
    const first = await till(storage);
    await first.openShift(0);
    expect(await first.basket()).toEqual([]);
    await first.keepBasket([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
    // The tab reloads: a terminal opened again on the same storage finds the basket as it was.
    const reopened = await till(storage);
    expect(await reopened.basket()).toEqual([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
    await reopened.sell({ lines: [{ sku: 'A', quantity: 2 }], tenders: [{ method: 'card' }] });
    expect(await (await till(storage)).basket()).toEqual([]);
    // What storage holds that is no line (an older app's, a hand edit) is left out, never a crash.
    await storage.commit({
      state: { basket: [{ sku: 'A', quantity: 1.5 }, null, { sku: 'C', quantity: 1 }] },
    });
    expect(await reopened.basket()).toEqual([{ sku: 'C', quantity: 1 }]);
  });

  it('does not confirm a sale it could not store, and does not use up its receipt number', async () => {
    const storage = memoryStorage();
    let diskFull = false;
    const failing: TerminalStorage = {
      ...storage,
      commit: (change) => (diskFull ? Promise.reject(new Error('disk full')) : storage.commit(change)),
    };
    const terminal = await till(failing);
    await terminal.openShift(0);
    diskFull = true;
    await expect(
      terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] }),
    ).rejects.toThrow('disk full');
    diskFull = false;
    expect(
      (await terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] })).sale
        .receiptNo,
    ).toBe('T1-1-1');
    expect(await terminal.status()).toMatchObject({ pending: 2 });
  });

  it('takes back a sale of its own against the receipt, never more than it sold', async () => {
    const terminal = await till();
    await terminal.openShift(0);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 2 }],
      tenders: [{ method: 'card' }],
    });
    const { saleReturn } = await terminal.returnItems({
      originalSaleId: sale.id,
      lines: [{ sku: 'A', quantity: 1 }],
      refundMethod: 'card',
    });
    expect(saleReturn).toMatchObject({
      receiptNo: 'T1-1-2',
      lines: [{ originalLineNo: 1 }],
      refunds: [{ method: 'card', amount: 250 }],
    });
    await expect(
      terminal.returnItems({ originalSaleId: sale.id, lines: [{ sku: 'A', quantity: 2 }] }),
    ).rejects.toMatchObject({
      code: 'return_exceeds_sold',
    });
  });
});

describe('two tabs of one terminal on one storage', () => {
  it('numbers from the stored counters, one tab at a time, so no receipt number is handed out twice', async () => {
    const storage = memoryStorage();
    const http = receiptCheckingServer();
    const locks = sharedLocks();
    const first = await till(storage, http, locks);
    await first.openShift(0);
    const second = await till(storage, http, locks);
    const sale = { lines: [{ sku: 'A', quantity: 1 }], tenders: [{ method: 'card' }] };
    const [one, two] = await Promise.all([first.sell(sale), second.sell(sale)]);
    expect([one.sale.receiptNo, two.sale.receiptNo].sort()).toEqual(['T1-1-1', 'T1-1-2']);
    expect(await first.sync()).toMatchObject({ accepted: 3, quarantined: 0 });
    await second.closeShift(500);
    await expect(first.sell(sale)).rejects.toMatchObject({ code: 'no_open_shift' });
    expect(await first.openShift(0)).toMatchObject({ seq: 2 });
  });
});
