import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import { applyEvents } from '@tillstream/kernel';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const DAY = { from: '2026-11-05T00:00:00Z', to: '2026-11-06T00:00:00Z' };
const AT = '2026-11-05T10:00:00Z';

/**
 * The tax summary a tax return is filed from: the journal's revenue and tax per rate, each document at the rate
 * it was taxed at (a return at its sale's, even after the rate changed), and adding up to the accounts.
 */
describe.each(harnessDialects(pgUrl))('tax summary on %s', (dialect) => {
  let erp: ContextHarness;
  const storeId = uniqueName('S');
  const [tee, book] = [uniqueName('TEE'), uniqueName('BOOK')];
  const saleId = uniqueName('sale');

  const ok = async (method: 'PUT' | 'POST', url: string, body: object) => {
    const response = await erp.api(method, url, body);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  };
  const vat = (category: string, ratePpm: number) =>
    ok('PUT', `/tax-rates/${storeId}-${category}`, {
      name: `VAT ${category}`,
      taxCategory: category,
      locationId: storeId,
      ratePpm,
      inclusive: true,
    });
  const summary = async (query: string) => {
    await erp.allFinished();
    const response = await erp.api('GET', `/finance/tax-summary?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.currencies as Array<Record<string, unknown>>;
  };
  /** Only ERP's journal: an online order's stock hold is another consumer's concern, with its own tests. */
  const bookFinance = async (source: string, event: CloudEvent) => {
    const finance = erp.module.consumers.find((consumer) => consumer.name === 'erp.finance')!;
    await applyEvents(finance, source, [{ event, position: 1 }], AT);
  };
  const returned = (returnId: string, line: Record<string, unknown>, originalSaleId: string | null) =>
    foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
      returnId,
      storeId,
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      originalSaleId,
      lines: [{ lineNo: 1, quantity: 1, disposition: 'restock', ...line }],
      refunds: [{ method: 'cash', amount: line.lineTotal }],
      total: line.lineTotal,
    });

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    await ok('PUT', `/locations/${storeId}`, { name: storeId, kind: 'store' });
    for (const sku of [tee, book])
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 1210, currency: 'EUR' } });
    await ok('PUT', `/product-pricing/${book}`, { taxCategory: 'reduced', categories: [] });
    await vat('standard', 210_000);
    await vat('reduced', 90_000);

    // Two shirts at 21 % and a book at 9 %, inside the prices; then a mug from a till that adds 8.875 %.
    await erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId,
        terminalId: 't1',
        occurredAt: AT,
        currency: 'EUR',
        lines: [
          { lineNo: 1, sku: tee, quantity: 2, unitPrice: 1210, lineTotal: 2420 },
          { lineNo: 2, sku: book, quantity: 1, unitPrice: 545, lineTotal: 545 },
        ],
        payments: [{ method: 'card', amount: 2965 }],
        total: 2965,
      }),
    );
    const mugSale = uniqueName('sale');
    await erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.sale.completed', `sale/${mugSale}`, 1, {
        saleId: mugSale,
        storeId,
        terminalId: 't1',
        occurredAt: AT,
        currency: 'EUR',
        lines: [
          {
            lineNo: 1,
            sku: uniqueName('MUG'),
            quantity: 1,
            unitPrice: 1000,
            lineTotal: 1000,
            tax: { ratePpm: 88_750, amount: 89 },
          },
        ],
        payments: [{ method: 'cash', amount: 1089 }],
        tax: 89,
        total: 1089,
      }),
    );
    // The standard rate changes; a shirt returned with its receipt still gives back the 21 % its sale took.
    await vat('standard', 190_000);
    await erp.deliver(
      'pos',
      returned(
        uniqueName('return'),
        { sku: tee, unitPrice: 1210, lineTotal: 1210, originalLineNo: 1 },
        saleId,
      ),
    );
    // A book returned without a receipt: today's reduced rate.
    await erp.deliver(
      'pos',
      returned(uniqueName('return'), { sku: book, unitPrice: 545, lineTotal: 545 }, null),
    );

    // Online: a shirt and a book, their tax named by the order, and a refund of 10.00 of its 17.55.
    const orderId = uniqueName('order');
    await bookFinance(
      'commerce',
      foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
        orderId,
        cartId: 'C1',
        reservationId: 'R1',
        channel: 'web',
        email: 'a@example.com',
        currency: 'EUR',
        lines: [
          {
            lineNo: 1,
            sku: tee,
            quantity: 1,
            unitPrice: 1210,
            lineTotal: 1210,
            tax: { ratePpm: 210_000, inclusive: true, amount: 210 },
          },
          {
            lineNo: 2,
            sku: book,
            quantity: 1,
            unitPrice: 545,
            lineTotal: 545,
            tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
          },
        ],
        total: 1755,
        payment: { method: 'card', reference: 'pay_1' },
        placedAt: AT,
      }),
    );
    await bookFinance(
      'commerce',
      foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}/refund/F1`, 1, {
        orderId,
        refundId: 'F1',
        currency: 'EUR',
        amount: 1000,
        refunded: 1000,
        reason: 'return',
        returnId: null,
        payment: { method: 'card', reference: 'pay_1' },
        refundedAt: AT,
      }),
    );
  });
  afterAll(async () => erp?.close());

  it("sums a store's documents per rate, each at the rate it was taxed at", async () => {
    const [eur, ...others] = await summary(`locationId=${storeId}`);
    expect(others).toEqual([]);
    expect(eur).toEqual({
      currency: 'EUR',
      rates: [
        {
          ratePpm: 88_750,
          sales: { net: 1000, tax: 89 },
          returns: { net: 0, tax: 0 },
          net: 1000,
          tax: 89,
        },
        {
          ratePpm: 90_000,
          sales: { net: 500, tax: 45 },
          returns: { net: 500, tax: 45 },
          net: 0,
          tax: 0,
        },
        {
          ratePpm: 210_000,
          sales: { net: 2000, tax: 420 },
          returns: { net: 1000, tax: 210 },
          net: 1000,
          tax: 210,
        },
      ],
      net: 2000,
      tax: 299,
      journal: { net: 2000, tax: 299 },
      reconciled: true,
    });
  });

  it("gives an online refund's tax back per rate, in proportion, and still adds up to the accounts", async () => {
    const [eur] = await summary(`from=${DAY.from}&to=${DAY.to}`);
    // 10.00 of 17.55 refunded: 3.11 of the book with 0.26 tax, 6.89 of the shirt with 1.19 tax.
    expect(eur!.rates).toEqual([
      expect.objectContaining({ ratePpm: 88_750, net: 1000, tax: 89 }),
      { ratePpm: 90_000, sales: { net: 1000, tax: 90 }, returns: { net: 785, tax: 71 }, net: 215, tax: 19 },
      {
        ratePpm: 210_000,
        sales: { net: 3000, tax: 630 },
        returns: { net: 1570, tax: 329 },
        net: 1430,
        tax: 301,
      },
    ]);
    expect(eur).toMatchObject({ net: 2645, tax: 409, journal: { net: 2645, tax: 409 }, reconciled: true });
  });

  it('sums one channel apart: the online order and its refund alone, as a report of online sales asks', async () => {
    const [web] = await summary(`channel=web&from=${DAY.from}&to=${DAY.to}`);
    expect(web!.rates).toEqual([
      { ratePpm: 90_000, sales: { net: 500, tax: 45 }, returns: { net: 285, tax: 26 }, net: 215, tax: 19 },
      {
        ratePpm: 210_000,
        sales: { net: 1000, tax: 210 },
        returns: { net: 570, tax: 119 },
        net: 430,
        tax: 91,
      },
    ]);
    expect(web).toMatchObject({ journal: { net: 645, tax: 110 }, reconciled: true });
    const [pos] = await summary(`channel=pos&from=${DAY.from}&to=${DAY.to}`);
    expect(pos).toMatchObject({ net: 2000, tax: 299, reconciled: true });
  });

  it('lists each entry with its revenue and tax per rate', async () => {
    const { body } = await erp.api('GET', `/finance/journal?sourceId=${saleId}`);
    expect(body.entries[0].taxBases).toEqual([
      { ratePpm: 90_000, net: 500, tax: 45 },
      { ratePpm: 210_000, net: 2000, tax: 420 },
    ]);
  });

  it('refuses a period that is not an instant, and an unknown filter', async () => {
    for (const query of ['from=yesterday', 'store=x', 'channel=Web%20Shop']) {
      const response = await erp.api('GET', `/finance/tax-summary?${query}`);
      expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
    }
  });
});
