import { describe, expect, it } from 'vitest';
import type { HttpPort } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { receiptLeft } from './returns.js';
import { openTerminal } from './terminal.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 250, currency: 'EUR' } }],
};

/**
 * The server's side of GET /sales/{id}/returnable for one sale of 3 × A, answering what it has received: the
 * returns of this sale that were uploaded. Nothing is uploaded here unless the test settles it by hand.
 */
function serverKnowing(
  returnedOnServer: () => number,
  returnIds?: () => string[],
  uncollected?: number,
): HttpPort {
  return {
    request: async (_method, path) => ({
      status: path.endsWith('/returnable') ? 200 : 404,
      header: () => null,
      body: {
        ...(returnIds ? { returnIds: returnIds() } : {}),
        ...(uncollected !== undefined ? { uncollected } : {}),
        lines: [
          {
            lineNo: 1,
            sku: 'A',
            sold: 3,
            returned: returnedOnServer(),
            returnable: 3 - returnedOnServer(),
            lineTotal: 750,
          },
        ],
      },
    }),
  };
}

/** A till online against `http`, with its shift open and one card sale of 3 × A. */
async function tillThatSold(http: HttpPort) {
  const storage = memoryStorage();
  await storage.commit({ state: { catalog } });
  const terminal = await openTerminal({ terminalId: 'T1', storeId: 'S1', currency: 'EUR', storage, http });
  await terminal.openShift(0);
  const { sale } = await terminal.sell({ lines: [{ sku: 'A', quantity: 3 }], tenders: [{ method: 'card' }] });
  return { storage, terminal, sale };
}

describe('what a receipt has left to return, online', () => {
  it('counts the returns of this till that the server has not received yet, and not twice once it has', async () => {
    let onServer = 0;
    const { storage, terminal, sale } = await tillThatSold(serverKnowing(() => onServer));

    const { saleReturn } = await terminal.returnItems({
      originalSaleId: sale.id,
      lines: [{ sku: 'A', quantity: 2 }],
    });
    expect(
      (
        await receiptLeft(
          sale.id,
          storage,
          serverKnowing(() => onServer),
        )
      ).lines[0],
    ).toMatchObject({ returned: 2 });
    // Two returns in a row while the first waits to sync: the second cannot take the same units again.
    await expect(
      terminal.returnItems({ originalSaleId: sale.id, lines: [{ sku: 'A', quantity: 2 }] }),
    ).rejects.toMatchObject({ code: 'return_exceeds_sold' });

    // The server received it: it counts it, and the till no longer adds it.
    onServer = 2;
    await storage.settle([{ id: saleReturn.id, status: 'synced', attempts: 1 }]);
    expect(
      (
        await receiptLeft(
          sale.id,
          storage,
          serverKnowing(() => onServer),
        )
      ).lines[0],
    ).toMatchObject({ returned: 2 });
    const last = await terminal.returnItems({ originalSaleId: sale.id, lines: [{ sku: 'A', quantity: 1 }] });
    // 750 for 3 units, two refunded before (500): the last one refunds the rest.
    expect(last.refunds).toEqual([{ method: 'cash', amount: 250 }]);
  });

  it('does not count a return twice that reached the server while the till still shows it pending', async () => {
    const onServer: string[] = [];
    const server = serverKnowing(
      () => (onServer.length > 0 ? 1 : 0),
      () => onServer,
    );
    const { storage, terminal, sale } = await tillThatSold(server);
    const { saleReturn } = await terminal.returnItems({
      originalSaleId: sale.id,
      lines: [{ sku: 'A', quantity: 1 }],
    });
    expect((await receiptLeft(sale.id, storage, server)).lines[0]).toMatchObject({ returned: 1 });
    // The sync delivered it; its acknowledgement is not settled here yet, so the queue still says pending.
    onServer.push(saleReturn.id);
    expect((await storage.find(saleReturn.id))?.status).toBe('pending');
    expect((await receiptLeft(sale.id, storage, server)).lines[0]).toMatchObject({ returned: 1 });
  });

  it('refunds the collected part of a sale whose card the server found short, its share left out', async () => {
    // 750 for 3 × A, of which the gift card never paid 300: each unit back refunds 250 less 100.
    const { terminal, sale } = await tillThatSold(serverKnowing(() => 0, undefined, 300));
    const first = await terminal.returnItems({ originalSaleId: sale.id, lines: [{ sku: 'A', quantity: 1 }] });
    expect(first.refunds).toEqual([{ method: 'cash', amount: 150 }]);
    // The second counts the first (not on the server yet) as taken: the shares run on, to the cent.
    const rest = await terminal.returnItems({ originalSaleId: sale.id, lines: [{ sku: 'A', quantity: 2 }] });
    expect(rest.refunds).toEqual([{ method: 'cash', amount: 300 }]);
  });
});
