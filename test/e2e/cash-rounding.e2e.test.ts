import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { putStoreTaxRate } from '../support/pricing.js';
import { journalEntryOf, signed } from '../support/journal.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents, seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';

/**
 * A Dutch store rounding cash to 5 cents, over the whole platform: ERP sets the rule on the store, POS learns
 * it and takes a cash sale of 9.98 paid 10.00 with +2 (once: a replay answers it again), refuses a rounding the
 * rule does not give, takes a rounded sale synced from an offline till and a rounded cash refund; the stock moves
 * once per sale; ERP books each rounding to 4960 in balanced entries, raises no price mismatch for them; the
 * shift closes with nothing over or short. A store without the rule refuses any rounding.
 */
describe.each(ENGINES)('cash rounding at the till (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let sku: string;
  const terminalId = uniqueName('till');
  const shiftId = uuidv7();
  const cashSale = uuidv7();
  const syncedSale = uuidv7();
  const cashReturn = uuidv7();
  const float = 10_000;

  const ok = (response: { status: number; body: any }, what: string) => {
    if (response.status >= 300)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const sale = (overrides: Record<string, unknown>) => ({
    id: uuidv7(),
    storeId: shop.storeId,
    terminalId,
    shiftId,
    occurredAt: new Date().toISOString(),
    currency: 'EUR',
    lines: [{ sku, quantity: 1, unitPrice: 998, includedTax: { ratePpm: 210_000, amount: 173 } }],
    payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
    cashRounding: 2,
    ...overrides,
  });
  const entryOf = (sourceId: string) => journalEntryOf(platform, sourceId);

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 1, stock: 50, price: 998 });
    sku = shop.skus[0]!;
    await putStoreTaxRate(platform, shop.storeId, { ratePpm: 210_000, inclusive: true });
    const store = ok(
      await platform.request('PUT', `/erp/v1/locations/${shop.storeId}`, {
        name: 'Kalverstraat',
        kind: 'store',
        timeZone: 'Europe/Amsterdam',
        cashRoundingIncrement: 5,
      }),
      'store rounds cash',
    );
    expect(store).toMatchObject({ cashRoundingIncrement: 5, version: 2 });
    await eventually(
      async () =>
        (await platform.request('GET', `/pos/v1/stores/${shop.storeId}`)).body.cashRoundingIncrement === 5,
      20_000,
      'POS learns the store rounds cash',
    );
    ok(
      await platform.request('POST', '/pos/v1/shifts', {
        id: shiftId,
        terminalId,
        storeId: shop.storeId,
        seq: 1,
        currency: 'EUR',
        openedAt: new Date().toISOString(),
        openingFloat: float,
      }),
      'open shift',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('takes 9.98 paid 10.00 in cash with +2, and answers the same sale again without recording it twice', async () => {
    const body = sale({ id: cashSale, receiptNo: `${terminalId}-1-1` });
    const first = await platform.request('POST', '/pos/v1/sales', body);
    expect([first.status, first.body]).toEqual([
      201,
      expect.objectContaining({
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
        payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
      }),
    ]);
    const again = await platform.request('POST', '/pos/v1/sales', body);
    expect([again.status, again.body]).toEqual([200, first.body]);
    const events = await eventually(
      async () => {
        const all = await hubEvents(platform, 'pos.sale.completed');
        const ours = all.filter((event) => event.data.saleId === cashSale);
        return ours.length > 0 ? ours : undefined;
      },
      20_000,
      'the hub has the sale',
    );
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ total: 998, cashRounding: 2 });
  });

  it.each([
    [
      'a rounding the rule does not give',
      { payments: [{ method: 'cash', amount: 995 }], cashRounding: -3 },
      422,
      'cash_rounding_mismatch',
    ],
    [
      'a rounding on a card-only sale',
      { payments: [{ method: 'card', amount: 1000 }] },
      422,
      'cash_rounding_without_cash',
    ],
    [
      'payments that leave the rounding out',
      { payments: [{ method: 'cash', amount: 998 }] },
      422,
      'payment_mismatch',
    ],
    ['a rounding that is no amount', { cashRounding: 0.5 }, 400, 'validation_failed'],
    ['a rounding past any increment', { cashRounding: 60_000 }, 400, 'validation_failed'],
  ])('refuses %s with %i %s, a problem document', async (_why, overrides, status, code) => {
    const refused = await platform.request('POST', '/pos/v1/sales', sale(overrides));
    expect([refused.status, refused.body.code]).toEqual([status, code]);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('takes a rounded sale synced from an offline till, and quarantines a wrongly rounded one', async () => {
    const synced = {
      type: 'sale',
      ...sale({
        id: syncedSale,
        receiptNo: `${terminalId}-1-2`,
        lines: [{ sku, quantity: 2, unitPrice: 998 }],
        payments: [{ method: 'cash', amount: 1995, tendered: 2000 }],
        cashRounding: -1,
      }),
    };
    const wrong = {
      type: 'sale',
      ...sale({
        receiptNo: `${terminalId}-1-3`,
        cashRounding: 3,
        payments: [{ method: 'cash', amount: 1001 }],
      }),
    };
    const answer = ok(
      await platform.request('POST', '/pos/v1/sync', { terminalId, transactions: [synced, wrong] }),
      'sync',
    );
    expect(answer.results).toEqual([
      expect.objectContaining({ id: syncedSale, status: 'accepted' }),
      expect.objectContaining({
        id: wrong.id,
        status: 'rejected',
        code: 'cash_rounding_mismatch',
        quarantined: true,
      }),
    ]);
    expect((await platform.request('GET', `/pos/v1/sales/${syncedSale}`)).body).toMatchObject({
      total: 1996,
      cashRounding: -1,
    });
  });

  it('pays out 10.00 in cash for a refund of 9.98, and moves each sale’s and the return’s stock once', async () => {
    const returned = await platform.request('POST', '/pos/v1/returns', {
      id: cashReturn,
      storeId: shop.storeId,
      terminalId,
      shiftId,
      receiptNo: `${terminalId}-1-4`,
      occurredAt: new Date().toISOString(),
      currency: 'EUR',
      originalSaleId: cashSale,
      lines: [{ sku, quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds: [{ method: 'cash', amount: 1000 }],
      cashRounding: 2,
    });
    expect([returned.status, returned.body]).toEqual([
      201,
      expect.objectContaining({
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
    await waitForOnHand(platform, sku, shop.storeId, 50 - 1 - 2 + 1);
    const movements = await eventually(
      async () => {
        const all = (await hubEvents(platform, 'erp.stock.changed')).map((event) => event.data.movement.id);
        const ours = all.filter(
          (id: string) => id.includes(cashSale) || id.includes(syncedSale) || id.includes(cashReturn),
        );
        return ours.length >= 3 ? ours : undefined;
      },
      20_000,
      'the hub lists the movements',
    );
    expect(movements).toHaveLength(3);
  });

  it('books each rounding to 4960 in balanced entries, sales and tax as the goods came to, and raises no price mismatch', async () => {
    expect(signed(await entryOf(cashSale))).toEqual({ '1000': 1000, '2100': -173, '4000': -825, '4960': -2 });
    expect(signed(await entryOf(syncedSale))).toEqual({
      '1000': 1995,
      '2100': -346,
      '4000': -1650,
      '4960': 1,
    });
    expect(signed(await entryOf(cashReturn))).toEqual({ '1000': -1000, '2100': 173, '4100': 825, '4960': 2 });
    // A sale rung at a price ERP does not have, so the price check has certainly looked at those before it.
    const stale = sale({
      lines: [{ sku, quantity: 1, unitPrice: 1000 }],
      payments: [{ method: 'card', amount: 1000 }],
      cashRounding: undefined,
    });
    ok(await platform.request('POST', '/pos/v1/sales', stale), 'stale sale');
    const mismatches = await eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          `/erp/v1/price-mismatches?storeId=${shop.storeId}&status=all`,
        );
        return body.mismatches?.some((mismatch: { saleId: string }) => mismatch.saleId === stale.id)
          ? body.mismatches
          : undefined;
      },
      20_000,
      'ERP flags the stale price',
    );
    expect(mismatches.map((mismatch: { saleId: string }) => mismatch.saleId)).toEqual([stale.id]);
    await entryOf(stale.id);
    const { body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?locationId=${shop.storeId}`,
    );
    const [eur] = body.currencies;
    expect(eur.balanced).toBe(true);
    const balances = Object.fromEntries(
      eur.accounts.map((account: { code: string; balance: number }) => [account.code, account.balance]),
    );
    // 4960 is revenue: +2 taken, −1 given, −2 paid out on the refund.
    expect(balances['4960']).toBe(2 - 1 - 2);
    expect(balances).not.toHaveProperty('9990');
  });

  it('closes the shift with nothing over or short, and shows its rounding', async () => {
    const drawer = float + 1000 + 1995 - 1000;
    ok(
      await platform.request('POST', `/pos/v1/shifts/${shiftId}/close`, {
        id: uuidv7(),
        closedAt: new Date().toISOString(),
        countedCash: drawer,
      }),
      'close shift',
    );
    const { report } = ok(await platform.request('GET', `/pos/v1/shifts/${shiftId}`), 'z-report');
    expect(report.cash).toMatchObject({
      sales: 2995,
      refunds: 1000,
      expected: drawer,
      counted: drawer,
      overShort: 0,
    });
    expect(report.cashRounding).toEqual({ sales: 1, returns: 2, net: -1 });
    const closed = await eventually(
      async () =>
        (await hubEvents(platform, 'pos.shift.closed')).find((event) => event.data.shiftId === shiftId),
      20_000,
      'the shift is published',
    );
    expect(closed.data.report.cashRounding).toEqual({ sales: 1, returns: 2, net: -1 });
  });

  it('refuses any rounding at a store without the rule', async () => {
    const plain = uniqueName('store');
    ok(
      await platform.request('PUT', `/erp/v1/locations/${plain}`, { name: 'Plain', kind: 'store' }),
      'store',
    );
    const refused = await platform.request('POST', '/pos/v1/sales', {
      ...sale({ storeId: plain, terminalId: uniqueName('till') }),
      shiftId: undefined,
    });
    expect([refused.status, refused.body.code, refused.body.expected]).toEqual([
      422,
      'cash_rounding_mismatch',
      0,
    ]);
  });
});
