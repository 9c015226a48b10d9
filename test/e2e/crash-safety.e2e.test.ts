import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents, onHandAt, saleBody, seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';

/**
 * SIGKILL in the middle of a burst of sales, restart on the same data dir: every acknowledged sale is still
 * there, and once every sale (acknowledged or not) has been retried, ERP has applied each exactly once.
 */
describe('crash safety of the embedded engine', () => {
  let platform: TestPlatform;
  let shop: Shop;
  beforeAll(async () => {
    platform = await startPlatform('embedded');
    shop = await seedShop(platform, { skuCount: 3, stock: 10_000 });
  });
  afterAll(async () => platform?.stop());

  it('keeps every acknowledged sale and applies each exactly once after a SIGKILL mid-burst', async () => {
    const sales = Array.from({ length: 400 }, (_, index) =>
      saleBody(shop, [{ sku: shop.skus[index % 3]!, quantity: 1 + (index % 4) }]),
    );
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < sales.length) {
        const sale = sales[next++]!;
        if (next === 150 && !killed) {
          killed = true;
          void platform.kill();
        }
        try {
          const response = await platform.request('POST', '/pos/v1/sales', sale);
          if (response.status === 201 || response.status === 200) acknowledged.add(sale.id);
        } catch {
          // connection refused or reset: the platform is down, this sale is not acknowledged
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(acknowledged.size).toBeLessThan(sales.length);

    await platform.restart();
    for (const id of acknowledged) {
      const stored = await platform.request('GET', `/pos/v1/sales/${id}`);
      expect(stored.status, `acknowledged sale ${id}`).toBe(200);
    }
    // A terminal retries whatever it did not get an answer for; replays of stored sales answer 200.
    for (const sale of sales) {
      const response = await platform.request('POST', '/pos/v1/sales', sale);
      expect([200, 201]).toContain(response.status);
      if (acknowledged.has(sale.id)) expect(response.status).toBe(200);
    }
    for (const [index, sku] of shop.skus.entries()) {
      const sold = sales
        .filter((_, saleIndex) => saleIndex % 3 === index)
        .reduce((sum, sale) => sum + sale.lines[0]!.quantity, 0);
      await waitForOnHand(platform, sku, shop.storeId, 10_000 - sold);
    }
    await new Promise((done) => setTimeout(done, 500));
    for (const [index, sku] of shop.skus.entries()) {
      const sold = sales
        .filter((_, saleIndex) => saleIndex % 3 === index)
        .reduce((sum, sale) => sum + sale.lines[0]!.quantity, 0);
      expect(await onHandAt(platform, sku, shop.storeId)).toBe(10_000 - sold);
    }
    const saleEvents = await hubEvents(platform, 'pos.sale.completed');
    expect(new Set(saleEvents.map((event) => event.data.saleId)).size).toBe(sales.length);
    expect(saleEvents).toHaveLength(sales.length);
    const metrics = await (await fetch(`${platform.processes.get('erp')![0]!.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/tillstream_consumer_dead_letters\{consumer="erp.pos-sales"\} 0/);
  });
});
