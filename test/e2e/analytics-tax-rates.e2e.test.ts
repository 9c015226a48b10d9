import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { seedShop, type Shop } from '../support/fixtures.js';

type Row = Record<string, any>;
type Figures = { net: number; tax: number };
type PerRate = Record<string, { sales: Figures; returns: Figures }>;

/**
 * A VAT return from analytics: a 21 % tee (12.10, 2.10 inside) and a 9 % loaf (2.18, 0.18 inside) sold in
 * store and online, one loaf returned in store and the online order cancelled. Analytics' tax per rate, summed
 * over its rows, is ERP's tax summary, rate by rate, and each row's rates add up to its tax.
 */
describe.each(ENGINES)('analytics tax per rate as ERP’s tax summary has it (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let tee: string;
  let bread: string;
  const now = new Date();
  const period =
    `from=${new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)}` +
    `&to=${new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10)}`;

  const ok = (response: { status: number; body: any }, what: string) => {
    if (response.status >= 300)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 2, stock: 50, price: 1210 });
    [tee, bread] = shop.skus as [string, string];
    ok(
      await platform.request('PUT', `/erp/v1/products/${bread}`, {
        name: 'Bread',
        price: { amount: 218, currency: 'EUR' },
      }),
      'bread',
    );
    ok(
      await platform.request('PUT', `/erp/v1/product-pricing/${bread}`, {
        taxCategory: 'reduced',
        categories: [],
      }),
      'bread tax',
    );
    for (const [category, ratePpm] of [
      ['standard', 210_000],
      ['reduced', 90_000],
    ] as const)
      ok(
        await platform.request('PUT', `/erp/v1/tax-rates/${uniqueName('vat')}`, {
          name: `VAT ${ratePpm / 10_000} %, included`,
          taxCategory: category,
          ratePpm,
          inclusive: true,
        }),
        'tax rate',
      );
    for (const sku of [tee, bread])
      ok(
        await platform.request('POST', '/erp/v1/inventory/adjustments', {
          id: uniqueName('receipt'),
          sku,
          locationId: shop.warehouseId,
          delta: 10,
          reason: 'received',
          occurredAt: now.toISOString(),
        }),
        'web stock',
      );

    const saleId = uuidv7();
    ok(
      await platform.request('POST', '/pos/v1/sales', {
        id: saleId,
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: now.toISOString(),
        currency: 'EUR',
        lines: [
          { sku: tee, quantity: 1, unitPrice: 1210 },
          { sku: bread, quantity: 2, unitPrice: 218 },
        ],
        payments: [{ method: 'card', amount: 1646 }],
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
        lines: [{ sku: bread, quantity: 1, disposition: 'restock', originalLineNo: 2 }],
        refunds: [{ method: 'card', amount: 218 }],
      }),
      'return',
    );

    // Online, once the storefront prices with both rates: the same basket, then cancelled (refunded whole).
    let cartId = '';
    await eventually(
      async () => {
        cartId = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart').id;
        await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku: tee, quantity: 1 });
        const line = await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, {
          sku: bread,
          quantity: 2,
        });
        return (
          line.status === 200 && line.body.quote?.totals.tax === 246 && line.body.quote?.totals.total === 1646
        );
      },
      30_000,
      'the storefront sells both products with their tax inside',
    );
    const order = ok(
      await platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
        email: 'shopper@example.com',
        payment: { method: 'test' },
      }),
      'checkout',
    );
    ok(
      await platform.request('POST', `/commerce/v1/orders/${order.id}/cancel`, { reason: 'changed my mind' }),
      'cancel',
    );
  }, 180_000);
  afterAll(async () => platform?.stop());

  it('reports net and tax per rate as ERP’s tax summary does, each row’s rates adding up to its tax', async () => {
    // Store sale 1000 + 400 net, return of one loaf (200 + 18); online the same basket, all of it refunded.
    const expected: PerRate = {
      '90000': { sales: { net: 800, tax: 72 }, returns: { net: 600, tax: 54 } },
      '210000': { sales: { net: 2000, tax: 420 }, returns: { net: 1000, tax: 210 } },
    };
    let fromErp: PerRate = {};
    let fromAnalytics: PerRate = {};
    let rows: Row[] = [];
    await eventually(
      async () => {
        const summary = await platform.request('GET', '/erp/v1/finance/tax-summary');
        fromErp = Object.fromEntries(
          (summary.body.currencies?.[0]?.rates ?? []).map((rate: Row) => [
            String(rate.ratePpm),
            { sales: rate.sales, returns: rate.returns },
          ]),
        );
        const report = await platform.request('GET', `/analytics/v1/sales?${period}`);
        rows = report.status === 200 ? report.body.rows : [];
        fromAnalytics = {};
        for (const rate of rows.flatMap((row) => row.taxByRate)) {
          const sum = (fromAnalytics[String(rate.ratePpm)] ??= {
            sales: { net: 0, tax: 0 },
            returns: { net: 0, tax: 0 },
          });
          sum.sales.net += rate.net;
          sum.sales.tax += rate.tax;
          sum.returns.net += rate.returnsNet;
          sum.returns.tax += rate.returnsTax;
        }
        return (
          JSON.stringify(fromErp) === JSON.stringify(expected) &&
          JSON.stringify(fromAnalytics) === JSON.stringify(expected)
        );
      },
      60_000,
      () => `ERP's summary ${JSON.stringify(fromErp)}, analytics' ${JSON.stringify(fromAnalytics)}`,
    );
    expect(fromAnalytics).toEqual(fromErp);
    for (const row of rows) {
      const sum = (field: string) =>
        row.taxByRate.reduce((total: number, rate: Row) => total + rate[field], 0);
      expect([sum('tax'), sum('returnsTax')]).toEqual([row.tax, row.returnsTax]);
    }
    expect(rows.map((row) => row.channel).sort()).toEqual(['pos', 'web']);
  });
});
