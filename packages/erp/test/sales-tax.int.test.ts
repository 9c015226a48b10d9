import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** ERP publishes the sales tax its journal books for a store document, once, with the entry that books it. */
describe.each(harnessDialects(pgUrl))('erp.sales_tax.booked on %s', (dialect) => {
  let erp: ContextHarness;
  const sku = uniqueName('TEE');
  const storeId = uniqueName('S');

  const ok = async (method: 'PUT' | 'POST', url: string, body: object) => {
    const response = await erp.api(method, url, body);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  };
  const taxEvents = async (documentId: string) =>
    (await erp.published()).filter(
      (event) =>
        event.type === 'erp.sales_tax.booked' &&
        (event.data as { documentId: string }).documentId === documentId,
    );
  const entries = async (sourceId: string) => {
    await erp.allFinished();
    return (await erp.api('GET', `/finance/journal?sourceId=${sourceId}`)).body.entries as unknown[];
  };

  const saleEvent = (saleId: string) =>
    foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
      saleId,
      storeId,
      terminalId: 't1',
      occurredAt: '2026-11-01T10:07:00+01:00',
      currency: 'EUR',
      lines: [{ lineNo: 1, sku, quantity: 2, unitPrice: 1210, lineTotal: 2420 }],
      payments: [{ method: 'card', amount: 2420 }],
      total: 2420,
    });

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 1210, currency: 'EUR' } });
    await ok('PUT', `/locations/${storeId}`, { name: storeId, kind: 'store' });
    await ok('PUT', `/tax-rates/${storeId}-vat`, {
      name: 'VAT',
      taxCategory: 'standard',
      locationId: storeId,
      ratePpm: 210_000,
      inclusive: true,
    });
  });
  afterAll(async () => erp?.close());

  it('publishes nothing when the transaction that books the sale rolls back', async () => {
    const saleId = uniqueName('sale');
    const finance = erp.module.consumers.find((consumer) => consumer.name === 'erp.finance')!;
    const crashing = {
      ...finance,
      async handle(...args: Parameters<typeof finance.handle>) {
        await finance.handle(...args);
        throw new Error('crashed after booking');
      },
    };
    await expect(
      applyEvents(crashing, 'pos', [{ event: saleEvent(saleId), position: 1 }], '2026-11-01T09:10:00Z'),
    ).rejects.toThrow('crashed after booking');
    expect(await entries(saleId)).toEqual([]);
    expect(await taxEvents(saleId)).toEqual([]);
  });

  it('publishes one event per booked sale and return, however often they arrive', async () => {
    const saleId = uniqueName('sale');
    const sold = saleEvent(saleId);
    await erp.deliver('pos', sold);
    await erp.deliver('pos', sold);
    await erp.deliverAll('pos', [sold, sold]);
    const [booked, ...more] = await taxEvents(saleId);
    expect(more).toEqual([]);
    // 21 % inside 2420 is 420; the event is caused by the sale and keyed by its store, like the sale.
    expect(booked).toMatchObject({
      source: '/tillstream/erp',
      subject: `sales-tax/sale/${saleId}`,
      sequence: 1,
      partitionkey: storeId,
      causationid: sold.id,
      data: {
        kind: 'sale',
        documentId: saleId,
        storeId,
        occurredAt: '2026-11-01T10:07:00+01:00',
        currency: 'EUR',
        included: 420,
        added: 0,
        total: 420,
        rates: [{ ratePpm: 210_000, charged: 'included', net: 2000, tax: 420 }],
      },
    });
    expect(await entries(saleId)).toHaveLength(1);

    const returnId = uniqueName('return');
    const returned = foreignEvent('pos', 'pos.return.completed', `return/${returnId}`, 1, {
      returnId,
      storeId,
      terminalId: 't1',
      occurredAt: '2026-11-02T10:00:00Z',
      currency: 'EUR',
      originalSaleId: saleId,
      lines: [
        {
          lineNo: 1,
          sku,
          quantity: 1,
          unitPrice: 1210,
          lineTotal: 1210,
          disposition: 'restock',
          originalLineNo: 1,
        },
      ],
      refunds: [{ method: 'card', amount: 1210 }],
      total: 1210,
    });
    await erp.deliver('pos', returned);
    await erp.deliver('pos', returned);
    const [given, ...again] = await taxEvents(returnId);
    expect(again).toEqual([]);
    expect(given?.data).toEqual({
      kind: 'return',
      documentId: returnId,
      storeId,
      occurredAt: '2026-11-02T10:00:00Z',
      currency: 'EUR',
      included: 210,
      added: 0,
      total: 210,
      rates: [{ ratePpm: 210_000, charged: 'included', net: 1000, tax: 210 }],
    });
  });

  it('publishes none for an online order: it states its tax itself', async () => {
    const orderId = uniqueName('order');
    // The journal's consumer alone: ERP's stock consumer would look for the order's reservation.
    const finance = erp.module.consumers.find((consumer) => consumer.name === 'erp.finance')!;
    const placed = foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
      orderId,
      cartId: 'c',
      reservationId: 'h',
      channel: 'web',
      email: 'a@example.com',
      currency: 'EUR',
      lines: [{ lineNo: 1, sku, quantity: 1, unitPrice: 1210, lineTotal: 1210 }],
      total: 1210,
      payment: { method: 'test', reference: 'p' },
      placedAt: '2026-11-01T10:00:00Z',
    });
    await applyEvents(finance, 'commerce', [{ event: placed, position: 1 }], '2026-11-01T10:00:01Z');
    expect(await entries(orderId)).toHaveLength(1);
    expect(await taxEvents(orderId)).toEqual([]);
  });
});
