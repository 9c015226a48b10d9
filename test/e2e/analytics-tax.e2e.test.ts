import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ENGINES } from '../support/engines.js';
import { putStoreTaxRate } from '../support/pricing.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { seedShop, type Shop } from '../support/fixtures.js';

type Row = Record<string, any>;

/**
 * The tax of a tax-inclusive store in the sales report is the tax ERP's journal booked: a sale of two at
 * 12.10 with 21 % VAT inside (4.20) and the return of one (2.10 given back) reach analytics through the POS
 * events and ERP's `erp.sales_tax.booked`, and the report's tax less its returned tax is what the store's
 * sales tax account took in.
 */
describe.each(ENGINES)('analytics tax as the books have it (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  const now = new Date();
  const period =
    `from=${encodeURIComponent(new Date(now.getTime() - 86_400_000).toISOString())}` +
    `&to=${encodeURIComponent(new Date(now.getTime() + 86_400_000).toISOString())}`;

  const ok = (response: { status: number; body: any }, what: string) => {
    if (response.status >= 300)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 1, stock: 50, price: 1210 });
    await putStoreTaxRate(platform, shop.storeId, { ratePpm: 210_000, inclusive: true });
    const saleId = uuidv7();
    ok(
      await platform.request('POST', '/pos/v1/sales', {
        id: saleId,
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: now.toISOString(),
        currency: 'EUR',
        lines: [{ sku: shop.skus[0], quantity: 2, unitPrice: 1210 }],
        payments: [{ method: 'card', amount: 2420 }],
      }),
      'sale',
    );
    ok(
      await platform.request('POST', '/pos/v1/returns', {
        id: uuidv7(),
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: new Date().toISOString(),
        currency: 'EUR',
        originalSaleId: saleId,
        lines: [{ sku: shop.skus[0], quantity: 1, disposition: 'restock', originalLineNo: 1 }],
        refunds: [{ method: 'card', amount: 1210 }],
      }),
      'return',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('reports the tax inside the store’s prices, and the tax its return gave back, as the journal booked them', async () => {
    const total = (rows: Row[], field: string) => rows.reduce((sum, row) => sum + row[field], 0);
    const figures = ['net', 'transactions', 'returns', 'tax', 'returnsTax'];
    const expected = [2420, 1, 1210, 420, 210];
    let rows: Row[] = [];
    // The amounts come on POS's stream and the tax on ERP's, which analytics reads apart: either may be first.
    await eventually(
      async () => {
        const { status, body } = await platform.request(
          'GET',
          `/analytics/v1/sales?${period}&locationId=${shop.storeId}`,
        );
        rows = status === 200 ? body.rows : [];
        return figures.every((field, index) => total(rows, field) === expected[index]);
      },
      30_000,
      () => `analytics has the sale, the return and their booked tax; its rows: ${JSON.stringify(rows)}`,
    );

    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?locationId=${shop.storeId}`,
    );
    expect(status).toBe(200);
    const salesTax = body.currencies[0].accounts.find((account: { code: string }) => account.code === '2100');
    expect(salesTax.balance).toBe(total(rows, 'tax') - total(rows, 'returnsTax'));
  });
});
