import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { saleBody, seedShop } from '../support/fixtures.js';
import { fulfilmentsOf } from '../support/fulfilments.js';

/**
 * Gross margin per channel over the whole platform: a store sale, an online order and a store return each move
 * stock, ERP values the movements at the average cost and books the cost of sales under the channel that sold
 * the goods, beside that channel's revenue.
 */
describe.each(ENGINES)('gross margin per channel (%s)', (engine) => {
  let platform: TestPlatform;
  const startedAt = new Date(Date.now() - 1_000).toISOString();

  const ok = async (method: 'POST' | 'PUT', path: string, body?: unknown) => {
    const response = await platform.request(method, path, body);
    if (response.status >= 300)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const costOfSales = async (sourceId: string) =>
    eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          `/erp/v1/finance/journal?kind=cost_of_sales&sourceId=${encodeURIComponent(sourceId)}`,
        );
        return body.entries?.[0] ?? null;
      },
      30_000,
      () =>
        `cost of sales booked for ${sourceId}; ERP wrote:\n${platform.processes.get('erp')![0]!.output()}`,
    );

  beforeAll(async () => {
    platform = await startPlatform(engine);
  }, 120_000);
  afterAll(async () => platform?.stop());

  it(
    "books each channel's cost of sales beside its revenue, and reports their margins",
    { timeout: 120_000 },
    async () => {
      // 50 units at the store and 10 at the warehouse, all at 4.00; the web shop sells from the warehouse.
      const shop = await seedShop(platform, { skuCount: 1, stock: 50, price: 500, unitCost: 400 });
      const sku = shop.skus[0]!;
      await ok('PUT', '/erp/v1/channels/web', { locations: [shop.warehouseId], safetyStock: 0 });
      await ok('POST', '/erp/v1/inventory/adjustments', {
        id: uniqueName('receipt'),
        sku,
        locationId: shop.warehouseId,
        delta: 10,
        reason: 'received',
        unitCost: 400,
        occurredAt: new Date().toISOString(),
      });

      // The store sells three at 5.00 and takes one back; the web shop sells two and takes one back.
      const sale = saleBody(shop, [{ sku, quantity: 3 }]);
      await ok('POST', '/pos/v1/sales', sale);
      await ok('POST', '/pos/v1/returns', {
        id: uuidv7(),
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: new Date().toISOString(),
        currency: 'EUR',
        originalSaleId: sale.id,
        lines: [{ sku, quantity: 1, disposition: 'restock', originalLineNo: 1 }],
        refunds: [{ method: 'card', amount: 500 }],
      });
      const cart = await ok('POST', '/commerce/v1/carts', {});
      await eventually(
        async () =>
          (await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 2 }))
            .status === 200,
        30_000,
        'the storefront sells the product from the warehouse',
      );
      const order = await ok('POST', `/commerce/v1/carts/${cart.id}/checkout`, {
        email: 'shopper@example.com',
        payment: { method: 'test' },
      });

      expect(await costOfSales(`sale/${sale.id}/${sku}`)).toMatchObject({
        channel: 'pos',
        locationId: shop.storeId,
      });
      // The order's hold is committed when its parcel ships; one unit of it comes back.
      const [fulfilment] = await fulfilmentsOf(platform, order.id);
      await ok('POST', `/erp/v1/fulfillments/${fulfilment.id}/ship`);
      await eventually(
        async () =>
          (
            await platform.request('POST', `/commerce/v1/orders/${order.id}/returns`, {
              id: 'back-1',
              lines: [{ sku, quantity: 1, disposition: 'restock' }],
            })
          ).status === 201,
        30_000,
        'commerce hears that the order shipped and takes the return',
      );
      const commit = await eventually(
        async () => {
          const { body: ledger } = await platform.request(
            'GET',
            `/erp/v1/inventory/${sku}/movements?locationId=${shop.warehouseId}`,
          );
          return ledger.movements.find((movement: { kind: string }) => movement.kind === 'commit') ?? null;
        },
        30_000,
        'ERP commits the order',
      );
      expect(commit).toMatchObject({ channel: 'web', onHand: -2 });
      expect(await costOfSales(commit.id)).toMatchObject({
        channel: 'web',
        locationId: shop.warehouseId,
        lines: [
          { account: '1300', debit: 0, credit: 800 },
          { account: '5000', debit: 800, credit: 0 },
        ],
      });

      const margins = await eventually(
        async () => {
          const { status, body } = await platform.request(
            'GET',
            `/erp/v1/finance/gross-margin?from=${encodeURIComponent(startedAt)}`,
          );
          expect(status).toBe(200);
          const channels = body.currencies[0]?.channels ?? [];
          // Every document is in: the returns and the online refund too.
          const figures = channels.map((row: { netSales: number; costOfSales: number }) => [
            row.netSales,
            row.costOfSales,
          ]);
          return JSON.stringify(figures) === '[[1000,800],[500,400]]' ? body : null;
        },
        30_000,
        'the sale, the return and the order are booked',
      );
      expect(margins).toMatchObject({ from: startedAt, locationId: null, channel: null });
      expect(margins.currencies).toEqual([
        {
          currency: 'EUR',
          channels: [
            // 3 sold and 1 returned at 5.00, costing 4.00 each; online 2 sold and 1 returned.
            { channel: 'pos', netSales: 1000, costOfSales: 800, grossMargin: 200, marginBasisPoints: 2000 },
            { channel: 'web', netSales: 500, costOfSales: 400, grossMargin: 100, marginBasisPoints: 2000 },
          ],
          netSales: 1500,
          costOfSales: 1200,
          grossMargin: 300,
          marginBasisPoints: 2000,
        },
      ]);
      const onlineReturn = await costOfSales(
        `return/online/${order.id}/back-1/returned/${sku}@${shop.warehouseId}`,
      );
      expect(onlineReturn).toMatchObject({ channel: 'web', locationId: shop.warehouseId });

      // A store's own figures: its channel only, since online revenue has no location.
      const { body: store } = await platform.request(
        'GET',
        `/erp/v1/finance/gross-margin?from=${encodeURIComponent(startedAt)}&locationId=${shop.storeId}`,
      );
      expect(store.currencies[0].channels.map((row: { channel: string }) => row.channel)).toEqual(['pos']);

      // Analytics counts what came back of the product in the store and online, each at what it was paid.
      // Whole days around now: analytics adds up whole quarter hours.
      const period = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;
      let lastSeen: unknown;
      const product = await eventually(
        async () => {
          const { body } = await platform.request(
            'GET',
            `/analytics/v1/products/top?${period}&currency=EUR&by=units&limit=50`,
          );
          const row = (body.products ?? []).find((each: { sku: string }) => each.sku === sku);
          lastSeen = body;
          return row?.returnedUnits === 2 && row.returns === 1000 ? row : null;
        },
        30_000,
        () => `analytics counts both returns of the product: ${JSON.stringify(lastSeen)}`,
      );
      expect(product).toMatchObject({ units: 5, returnedUnits: 2, returns: 500 + 500 });
    },
  );

  it('refuses a malformed period or channel with a problem, never a 500', async () => {
    for (const query of ['from=yesterday', 'channel=Web%20Shop', 'locationId=', 'unknown=1']) {
      const { status, body } = await platform.request('GET', `/erp/v1/finance/gross-margin?${query}`);
      expect(status).toBe(400);
      expect(body.code).toBeTruthy();
    }
  });
});
