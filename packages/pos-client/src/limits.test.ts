import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort } from './http.port.js';
import { MAX_AMOUNT } from './limits.js';
import { memoryStorage } from './memory.storage.js';
import { openTerminal } from './terminal.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 250, currency: 'EUR' } }],
};
const offline: HttpPort = {
  request: async () => {
    throw new NetworkError('no network');
  },
};

/** An offline till with the catalog cached: what it refuses is never queued, so never quarantined later. */
async function offlineTill() {
  const storage = memoryStorage();
  await storage.commit({ state: { catalog } });
  const terminal = await openTerminal({
    terminalId: 'T1',
    storeId: 'S1',
    currency: 'EUR',
    storage,
    http: offline,
  });
  const queued = async () => (await storage.recent(100)).length;
  return { terminal, queued };
}

describe('figures the server would refuse for good', () => {
  it('refuses a float or counted cash above what the server takes, or not whole, queueing nothing', async () => {
    const { terminal, queued } = await offlineTill();
    for (const float of [MAX_AMOUNT + 1, -1, 12.5, Number.NaN])
      await expect(terminal.openShift(float)).rejects.toMatchObject({ code: 'invalid_amount' });
    expect(await queued()).toBe(0);
    await terminal.openShift(MAX_AMOUNT);
    await expect(terminal.closeShift(1e17)).rejects.toMatchObject({ code: 'invalid_amount' });
    expect(await queued()).toBe(1);
  });

  it('refuses cash given above the limit and a card number the server would not take', async () => {
    const { terminal, queued } = await offlineTill();
    await terminal.openShift(0);
    const sell = (tender: object) =>
      terminal.sell({ lines: [{ sku: 'A', quantity: 1 }], tenders: [tender as never] });
    await expect(sell({ method: 'cash', tendered: 999_999_999_999 })).rejects.toMatchObject({
      code: 'invalid_amount',
    });
    await expect(sell({ method: 'gift_card', amount: 250, reference: 'G'.repeat(65) })).rejects.toMatchObject(
      {
        code: 'invalid_reference',
      },
    );
    expect(await queued()).toBe(1);
    expect((await sell({ method: 'cash', tendered: 300 })).change).toBe(50);
  });

  it('refuses a refund to a gift card without its number', async () => {
    const { terminal } = await offlineTill();
    await terminal.openShift(0);
    await expect(
      terminal.returnItems({
        lines: [{ sku: 'A', quantity: 1 }],
        refundMethod: 'gift_card',
      }),
    ).rejects.toMatchObject({ code: 'stored_value_not_found' });
  });

  it('refuses a refund to a gift card the server says it never sold; offline leaves that to the server', async () => {
    const storage = memoryStorage();
    await storage.commit({ state: { catalog } });
    const neverSold: HttpPort = {
      request: async () => ({ status: 404, header: () => null, body: { code: 'stored_value_not_found' } }),
    };
    const online = await openTerminal({
      terminalId: 'T1',
      storeId: 'S1',
      currency: 'EUR',
      storage,
      http: neverSold,
    });
    await online.openShift(0);
    const giveBack = {
      lines: [{ sku: 'A', quantity: 1 }],
      refundMethod: 'gift_card',
      refundReference: 'GC-NEW',
    };
    await expect(online.returnItems(giveBack)).rejects.toMatchObject({ code: 'stored_value_not_found' });
    const { terminal } = await offlineTill();
    await terminal.openShift(0);
    expect((await terminal.returnItems(giveBack)).refunds).toEqual([
      { method: 'gift_card', amount: 250, reference: 'GC-NEW' },
    ]);
  });
});
