import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import type { TerminalStorage } from './storage.port.js';
import { openTerminal } from './terminal.js';

const offline: HttpPort = {
  request: async () => {
    throw new NetworkError('offline');
  },
};
const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 250, currency: 'EUR' } }],
};

async function till(storage: TerminalStorage = memoryStorage(), http: HttpPort = offline) {
  await storage.commit({ state: { catalog } });
  let id = 0;
  return openTerminal({
    terminalId: 'T1',
    storeId: 'S1',
    currency: 'EUR',
    storage,
    http,
    now: () => new Date('2026-11-01T10:00:00Z'),
    newId: () => `00000000-0000-7000-8000-${String(++id).padStart(12, '0')}`,
  });
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
