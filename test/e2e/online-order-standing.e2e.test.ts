/**
 * An online order's standing in the books on the whole platform: a storefront order with delivery shows what
 * customer deposits hold for its goods and its delivery, then, once its parcel ships, what it earned and the
 * entry that booked it. The orders still holding a deposit list it until then; the gauges of shipments waiting
 * for their order are on ERP's /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { journalEntryOf } from '../support/journal.js';
import { startPricingPlatform } from '../support/pricing.js';
import { cartWithDelivery, checkOut, seedWebShop } from '../support/delivery.js';
import { shipOnlyFulfilment } from '../support/fulfilments.js';

describe.each(ENGINES)("an online order's standing in the books (%s)", (engine) => {
  let platform: TestPlatform;
  let sku: string;
  let methodId: string;

  /** Every order the deposit list holds, following its pages. */
  const holdingDeposits = async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const { status, body }: { status: number; body: any } = await platform.request(
        'GET',
        `/erp/v1/finance/online-orders?status=deposit&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(status).toBe(200);
      ids.push(...body.orders.map((order: { orderId: string }) => order.orderId));
      cursor = body.next;
    } while (cursor);
    return ids;
  };

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    const shop = await seedWebShop(platform);
    sku = shop.sku;
    methodId = shop.methodId;
  }, 120_000);
  afterAll(async () => platform?.stop());

  it(
    'holds the deposit until the parcel ships, then shows what it earned',
    { timeout: 120_000 },
    async () => {
      const order = await checkOut(
        platform,
        await cartWithDelivery(platform, { sku, methodId }),
        'joost@example.com',
      );
      const orderId = order.id as string;

      // Paid 17.05: the tee's 10.00 and the delivery's 4.09 wait in 2400, their VAT owed.
      const placed = await eventually(
        async () => {
          const { status, body } = await platform.request('GET', `/erp/v1/finance/online-orders/${orderId}`);
          return status === 200 ? body : null;
        },
        30_000,
        'finance books the order',
      );
      expect(placed).toMatchObject({
        orderId,
        status: 'deposit',
        channel: 'web',
        currency: 'EUR',
        goods: { sales: 1000, discount: 0, deposit: 1000, recognised: 0, refunded: 0, left: 1000 },
        delivery: { deposit: 409, earned: 0, refunded: 0, returned: 0, left: 409 },
        left: 1409,
        items: [{ sku, ordered: 1, shipped: 0 }],
        shipments: [],
        waiting: [],
      });
      expect(await holdingDeposits()).toContain(orderId);

      const fulfilment = await shipOnlyFulfilment(platform, orderId);
      await journalEntryOf(platform, `${orderId}/${fulfilment.id}`);

      const shipped = (await platform.request('GET', `/erp/v1/finance/online-orders/${orderId}`)).body;
      expect(shipped).toMatchObject({
        status: 'deposit',
        goods: { recognised: 1000, recognisedSales: 1000, left: 0 },
        delivery: { earned: 409, left: 0 },
        left: 0,
        items: [{ sku, ordered: 1, shipped: 1 }],
        waiting: [],
      });
      expect(shipped.shipments).toEqual([
        {
          fulfilmentId: fulfilment.id,
          shippedAt: expect.any(String),
          orderShipped: true,
          eventId: expect.any(String),
          entry: { entryNo: expect.any(Number), sourceId: `${orderId}/${fulfilment.id}` },
        },
      ]);
      expect(await holdingDeposits()).not.toContain(orderId);

      // Nothing here shipped before its order was read: nothing waits, and the gauges say so.
      const awaiting = await platform.request('GET', '/erp/v1/finance/online-orders?status=awaiting_order');
      expect(awaiting.status).toBe(200);
      expect(awaiting.body.orders).toEqual([]);
      const metrics = await (await fetch(`${platform.processes.get('erp')![0]!.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^tillstream_finance_shipments_awaiting_order 0$/m);
      expect(metrics).toMatch(/^tillstream_finance_shipments_awaiting_order_oldest_age_seconds 0$/m);
    },
  );

  it('answers problem+json for an order it never heard of and for a bad list query', async () => {
    const unknown = await platform.request('GET', `/erp/v1/finance/online-orders/${uniqueName('nope')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.code).toBe('online_order_not_found');
    const bad = await platform.request('GET', '/erp/v1/finance/online-orders?status=stuck');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.code).toBe('validation_failed');
  });
});
