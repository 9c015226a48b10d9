import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ENGINES } from '../support/engines.js';
import { putStoreTaxRate } from '../support/pricing.js';
import { journalEntryOf, signed, type JournalEntryView } from '../support/journal.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { seedShop, type Shop } from '../support/fixtures.js';
import { issueGiftCard, registerTerminal } from '../support/pos.js';

/**
 * ERP's journal over the whole platform: a store sale, a return, a gift card sold, a shift whose drawer came
 * up short and an online order cancelled with its refund each post one balanced entry, with a tax included
 * in the store's prices taken out of revenue; the trial balance of the store adds them up.
 */
describe.each(ENGINES)('finance journal (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  const terminalId = uniqueName('till');
  const shiftId = uuidv7();
  const saleId = uuidv7();
  const returnId = uuidv7();
  const issueId = uuidv7();

  const entryOf = (sourceId: string) => journalEntryOf(platform, sourceId);

  const created = (response: { status: number; body: unknown }, what: string) => {
    if (response.status !== 201 && response.status !== 200)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as any;
  };

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 1, stock: 50, price: 1210, unitCost: 500 });
    await putStoreTaxRate(platform, shop.storeId, { ratePpm: 210_000, inclusive: true });
    const now = new Date().toISOString();
    created(
      await platform.request('POST', '/pos/v1/shifts', {
        id: shiftId,
        terminalId,
        storeId: shop.storeId,
        seq: 1,
        currency: 'EUR',
        openedAt: now,
        openingFloat: 10_000,
      }),
      'open shift',
    );
    created(
      await platform.request('POST', '/pos/v1/sales', {
        id: saleId,
        storeId: shop.storeId,
        terminalId,
        shiftId,
        occurredAt: now,
        currency: 'EUR',
        lines: [{ sku: shop.skus[0], quantity: 2, unitPrice: 1210 }],
        payments: [
          { method: 'cash', amount: 1000, tendered: 1000 },
          { method: 'card', amount: 1420 },
        ],
      }),
      'sale',
    );
    created(
      await platform.request('POST', '/pos/v1/returns', {
        id: returnId,
        storeId: shop.storeId,
        terminalId,
        shiftId,
        occurredAt: new Date().toISOString(),
        currency: 'EUR',
        originalSaleId: saleId,
        lines: [{ sku: shop.skus[0], quantity: 1, disposition: 'restock', originalLineNo: 1 }],
        refunds: [{ method: 'cash', amount: 1210 }],
      }),
      'return',
    );
    created(
      await issueGiftCard(platform, {
        id: issueId,
        number: uniqueName('GC'),
        amount: 5000,
        storeId: shop.storeId,
        terminalId,
        shiftId,
      }),
      'gift card',
    );
    // Expected in the drawer: 10,000 float + 1,000 cash sale − 1,210 cash refund = 9,790; 9,700 counted.
    created(
      await platform.request('POST', `/pos/v1/shifts/${shiftId}/close`, {
        id: uuidv7(),
        closedAt: new Date().toISOString(),
        countedCash: 9_700,
      }),
      'close shift',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('books the sale net of the included tax, each tender where its money sits', async () => {
    const entry = await entryOf(saleId);
    expect(entry).toMatchObject({ kind: 'sale', locationId: shop.storeId });
    expect(signed(entry)).toEqual({ '1000': 1000, '1100': 1420, '2100': -420, '4000': -2000 });
  });

  it('books the return, the gift card sold and the short drawer', async () => {
    expect(signed(await entryOf(returnId))).toEqual({ '1000': -1210, '2100': 210, '4100': 1000 });
    expect(signed(await entryOf(`issue/${issueId}`))).toEqual({ '1100': 5000, '2200': -5000 });
    expect(signed(await entryOf(`${shiftId}#1`))).toEqual({ '1000': -90, '6900': 90 });
  });

  it('costs the goods sold and returned at the average cost of the stock received', async () => {
    const sku = shop.skus[0]!;
    expect(signed(await entryOf(`sale/${saleId}/${sku}`))).toEqual({ '1300': -1000, '5000': 1000 });
    expect(signed(await entryOf(`return/${returnId}/returned/${sku}@${shop.storeId}`))).toEqual({
      '1300': 500,
      '5000': -500,
    });
    const { body } = await platform.request(
      'GET',
      '/erp/v1/finance/inventory-valuation?currency=EUR&limit=500',
    );
    expect(body.items.find((item: { sku: string }) => item.sku === sku)).toMatchObject({
      quantity: 49,
      value: 24_500,
      averageUnitCost: 500,
    });
    expect(body.currencies[0]).toMatchObject({ currency: 'EUR', reconciled: true });
  });

  it("adds the store's documents up in a balanced trial balance", async () => {
    await entryOf(`${shiftId}#1`);
    await entryOf(`return/${returnId}/returned/${shop.skus[0]}@${shop.storeId}`);
    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?locationId=${shop.storeId}`,
    );
    expect(status).toBe(200);
    expect(body.currencies).toHaveLength(1);
    const [eur] = body.currencies;
    // The stock received at 500 a unit (25,000), less the two sold (1,000), plus the one returned (500).
    expect(eur).toMatchObject({ currency: 'EUR', balanced: true, debit: 35_220, credit: 35_220 });
    const balances = Object.fromEntries(
      eur.accounts.map((account: { code: string; balance: number }) => [account.code, account.balance]),
    );
    expect(balances).toEqual({
      '1000': -300,
      '1100': 6420,
      '1300': 24_500,
      '2100': 210,
      '2200': 5000,
      '2310': 25_000,
      '4000': 2000,
      '4100': 1000,
      '5000': 500,
      '6900': 90,
    });
  });

  it("sums the store's revenue and tax per rate, as a tax return asks, in agreement with the accounts", async () => {
    await entryOf(returnId);
    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/tax-summary?locationId=${shop.storeId}`,
    );
    expect(status).toBe(200);
    expect(body.currencies).toEqual([
      {
        currency: 'EUR',
        rates: [
          {
            ratePpm: 210_000,
            sales: { net: 2000, tax: 420 },
            returns: { net: 1000, tax: 210 },
            net: 1000,
            tax: 210,
          },
        ],
        net: 1000,
        tax: 210,
        journal: { net: 1000, tax: 210 },
        reconciled: true,
      },
    ]);
  });

  it('books an online order into deposits when placed, and gives the deposit back when cancelled', async () => {
    created(
      await platform.request('POST', '/erp/v1/inventory/adjustments', {
        id: uniqueName('receipt'),
        sku: shop.skus[0],
        locationId: shop.warehouseId,
        delta: 5,
        reason: 'received',
        occurredAt: new Date().toISOString(),
      }),
      'web stock',
    );
    // Online, a sales tax of 8.875 % is added on top of the price (the store's own VAT rate stays its own).
    created(
      await platform.request('PUT', `/erp/v1/tax-rates/${uniqueName('sales-tax')}`, {
        name: 'Sales tax, added',
        taxCategory: 'standard',
        ratePpm: 88_750,
        inclusive: false,
      }),
      'web tax rate',
    );
    const cart = created(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
    const added = await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, {
      sku: shop.skus[0],
      quantity: 1,
    });
    expect(added.status).toBe(200);
    await eventually(
      async () => {
        // Setting the line's quantity, not adding to it: this is asked again until the prices are in.
        const line = await platform.request('PUT', `/commerce/v1/carts/${cart.id}/lines/${shop.skus[0]}`, {
          quantity: 1,
        });
        // Until the storefront has the new pricing snapshot, its quote adds no tax.
        return line.status === 200 && line.body.quote?.totals.total === 1317;
      },
      30_000,
      'the storefront sells the product with the added tax',
    );
    const order = created(
      await platform.request('POST', `/commerce/v1/carts/${cart.id}/checkout`, {
        email: 'shopper@example.com',
        payment: { method: 'test' },
      }),
      'checkout',
    );
    // 1,210 + 107 added tax, which is owed, not revenue; nor are the 1,210 until the goods ship: a deposit.
    expect(signed(await entryOf(order.id))).toEqual({ '1150': 1317, '2100': -107, '2400': -1210 });
    created(
      await platform.request('POST', `/commerce/v1/orders/${order.id}/cancel`, { reason: 'changed my mind' }),
      'cancel',
    );
    let refund: JournalEntryView | undefined;
    await eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          '/erp/v1/finance/journal?kind=online_refund&limit=500',
        );
        refund = body.entries.find((entry: JournalEntryView) => entry.locationId === null);
        return refund !== undefined;
      },
      30_000,
      'the refund is booked',
    );
    // Cancelled before it shipped: the deposit goes back, no revenue was ever booked to return.
    expect(signed(refund!)).toEqual({ '1150': -1317, '2100': 107, '2400': 1210 });

    // Analytics gives the same tax back with the refund as the journal: what the tax account took in is 0.
    const from = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const figures = ['net', 'tax', 'returns', 'returnsTax', 'netAfterReturns', 'refunds'] as const;
    const web = await eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          `/analytics/v1/sales?from=${from}&to=${to}&channel=web`,
        );
        const rows: Array<Record<string, number>> = body.rows ?? [];
        const sums = Object.fromEntries(
          figures.map((figure) => [figure, rows.reduce((sum, row) => sum + row[figure]!, 0)]),
        );
        return sums.refunds === 1 ? sums : null;
      },
      30_000,
      'analytics has the order and its refund',
    );
    expect(web).toEqual({
      net: 1210,
      tax: 107,
      returns: 1210,
      returnsTax: 107,
      netAfterReturns: 0,
      refunds: 1,
    });
  });

  it('pages the whole journal, each entry once, and an exhausted cursor stays put', async () => {
    await entryOf(`${shiftId}#1`);
    const all = await platform.request('GET', '/erp/v1/finance/journal?limit=500');
    expect(all.body.entries.length).toBeGreaterThanOrEqual(5);
    const paged: JournalEntryView[] = [];
    let after = '0.0';
    for (;;) {
      const page = await platform.request('GET', `/erp/v1/finance/journal?limit=2&after=${after}`);
      expect(page.status).toBe(200);
      if (page.body.entries.length === 0) {
        expect(page.body.next).toBe(after);
        break;
      }
      paged.push(...page.body.entries);
      after = page.body.next;
    }
    expect(paged.map((entry) => entry.entryNo)).toEqual(
      all.body.entries.map((entry: JournalEntryView) => entry.entryNo),
    );
    expect(new Set(paged.map((entry) => entry.entryNo)).size).toBe(paged.length);
    for (const entry of paged) {
      const debit = entry.lines.reduce((sum, line) => sum + line.debit, 0);
      const credit = entry.lines.reduce((sum, line) => sum + line.credit, 0);
      expect(debit).toBe(credit);
    }
  });

  it.each([
    ['a negative cursor', '/erp/v1/finance/journal?after=-1'],
    ['a cursor that is not a number', '/erp/v1/finance/journal?after=abc'],
    ['a limit of 0', '/erp/v1/finance/journal?limit=0'],
    ['an unknown kind', '/erp/v1/finance/journal?kind=invoice'],
    ['a period that is not an instant', '/erp/v1/finance/trial-balance?from=yesterday'],
    ['an unknown filter', '/erp/v1/finance/trial-balance?store=x'],
    ['a tax summary period that is not an instant', '/erp/v1/finance/tax-summary?to=tomorrow'],
  ])('refuses %s with a problem', async (_what, path) => {
    const { status, body } = await platform.request('GET', path);
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
  });

  it('refuses a cursor past what its columns hold, rather than failing the query', async () => {
    for (const after of ['18446744073709551616.1', '0.9999999999999999']) {
      const { status, body } = await platform.request('GET', `/erp/v1/finance/journal?after=${after}`);
      expect([status, body.code]).toEqual([400, 'invalid_cursor']);
    }
  });

  it('keeps the books from terminals and from callers without a key', async () => {
    const terminal = await registerTerminal(platform, shop.storeId);
    const asTerminal = await platform.request('GET', '/erp/v1/finance/journal', undefined, {
      authorization: `Bearer ${terminal.apiKey}`,
    });
    expect([asTerminal.status, asTerminal.body.code]).toEqual([403, 'insufficient_scope']);
    const anonymous = await platform.request('GET', '/erp/v1/finance/trial-balance', undefined, {
      authorization: '',
    });
    expect(anonymous.status).toBe(401);
  });
});
