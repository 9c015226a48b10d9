/**
 * The collection desk of a store's tills (click and collect): POS learns of the orders waiting at its store
 * from ERP's events, a till puts one aside and hands it over, and ERP, the order and the store's stock follow
 * through POS's events; a till that had not heard of a cancellation hands over all the same, and ERP books the
 * units out of the shelf. Another store's tills see none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { COLLECTOR, seedCollectionShop, type CollectionShop } from '../support/collections.js';
import { checkOut } from '../support/delivery.js';
import { fulfilmentsOf } from '../support/fulfilments.js';
import { hubEvents } from '../support/fixtures.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { registerTerminal } from '../support/pos.js';
import { ok, startPricingPlatform } from '../support/pricing.js';

describe.each(ENGINES)('collection desk at the till (%s)', (engine) => {
  let platform: TestPlatform;
  let collections: CollectionShop;
  let till: { terminalId: string; apiKey: string };
  const asTill = (method: string, path: string, body?: unknown) =>
    platform.request(method, path, body, { authorization: `Bearer ${till.apiKey}` });
  /** The store's queue as the till reads it. */
  const desk = async (status = 'open') =>
    ok(
      await asTill('GET', `/pos/v1/stores/${collections.storeId}/collections?status=${status}`),
      `desk ${status}`,
    ).collections as Array<Record<string, any>>;
  /** The collection once POS shows it in `status`. */
  const onDesk = (fulfilmentId: string, status: string) =>
    eventually(
      async () => {
        const { status: code, body } = await asTill('GET', `/pos/v1/collections/${fulfilmentId}`);
        return code === 200 && body.status === status ? body : null;
      },
      30_000,
      `POS shows collection ${fulfilmentId} ${status}`,
    );
  const placeCollection = async (quantity: number) => {
    const order = await checkOut(platform, await collections.collectionCart(quantity), 'anna@example.com');
    const [fulfilment] = await fulfilmentsOf(platform, order.id);
    return { order, fulfilment };
  };

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    collections = await seedCollectionShop(platform);
    till = await registerTerminal(platform, collections.storeId);
  }, 120_000);
  afterAll(async () => platform?.stop());

  it(
    'puts a collection aside and hands it over: ERP, the order and the stock follow',
    { timeout: 90_000 },
    async () => {
      const { order, fulfilment } = await placeCollection(2);
      const waiting = await onDesk(fulfilment.id, 'preparing');
      expect(waiting).toMatchObject({
        orderId: order.id,
        storeId: collections.storeId,
        collector: COLLECTOR,
        lines: [{ sku: collections.shop.sku, quantity: 2, name: expect.any(String) }],
        prepared: null,
        handedOver: null,
      });
      expect((await desk()).map((each) => each.fulfilmentId)).toContain(fulfilment.id);

      const prepared = ok(
        await asTill('POST', `/pos/v1/collections/${fulfilment.id}/prepare`, { terminalId: till.terminalId }),
        'prepare',
      );
      expect(prepared).toMatchObject({ status: 'ready', prepared: { terminalId: till.terminalId } });
      // ERP makes it ready, the shopper is told, and POS hears ERP confirm it.
      await collections.orderStatus(order.id, 'ready_for_pickup');
      expect(await onDesk(fulfilment.id, 'ready')).toMatchObject({ readyAt: expect.any(String) });
      expect(await collections.stockAt(collections.storeId)).toEqual({
        onHand: 3,
        reserved: 2,
        available: 1,
      });

      const handedOver = ok(
        await asTill('POST', `/pos/v1/collections/${fulfilment.id}/hand-over`, {
          terminalId: till.terminalId,
        }),
        'hand over',
      );
      expect(handedOver).toMatchObject({ status: 'collected', handedOver: { terminalId: till.terminalId } });
      await collections.orderStatus(order.id, 'delivered');
      expect(await collections.stockAt(collections.storeId)).toEqual({
        onHand: 1,
        reserved: 0,
        available: 1,
      });
      const [inErp] = await fulfilmentsOf(platform, order.id);
      expect(inErp).toMatchObject({ status: 'delivered' });
      // A second press, from the same till, publishes nothing more and answers as it is.
      const again = ok(
        await asTill('POST', `/pos/v1/collections/${fulfilment.id}/hand-over`, {
          terminalId: till.terminalId,
        }),
        'again',
      );
      expect(again.handedOver).toEqual(handedOver.handedOver);
      expect((await desk()).map((each) => each.fulfilmentId)).not.toContain(fulfilment.id);
      expect((await desk('collected')).map((each) => each.fulfilmentId)).toContain(fulfilment.id);
      // Analytics counts the web order at the store it was collected at, on the web channel.
      const day = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 10);
      const rows = await eventually(
        async () => {
          const { body } = await platform.request(
            'GET',
            `/analytics/v1/sales?from=${day(-86_400_000)}&to=${day(2 * 86_400_000)}&locationId=${collections.storeId}`,
          );
          return body.rows?.length > 0 ? (body.rows as Array<Record<string, unknown>>) : null;
        },
        30_000,
        'analytics counts the collection at its store',
      );
      expect(rows).toEqual([
        expect.objectContaining({
          channel: 'web',
          locationId: collections.storeId,
          transactions: 1,
          units: 2,
        }),
      ]);
    },
  );

  it(
    'refuses to hand over a cancelled collection, and takes it off the desk once put back',
    { timeout: 90_000 },
    async () => {
      const known = await placeCollection(1);
      await onDesk(known.fulfilment.id, 'preparing');
      ok(
        await asTill('POST', `/pos/v1/collections/${known.fulfilment.id}/prepare`, {
          terminalId: till.terminalId,
        }),
        'prepare',
      );
      await collections.orderStatus(known.order.id, 'ready_for_pickup');
      ok(
        await platform.request('POST', `/commerce/v1/orders/${known.order.id}/cancel`, {
          reason: 'changed mind',
        }),
        'cancel',
      );
      // The goods were put aside: the desk lists them to go back on the shelf.
      await onDesk(known.fulfilment.id, 'cancelled');
      expect((await desk('cancelled')).map((each) => each.fulfilmentId)).toContain(known.fulfilment.id);
      const refused = await asTill('POST', `/pos/v1/collections/${known.fulfilment.id}/hand-over`, {
        terminalId: till.terminalId,
      });
      expect([
        refused.status,
        refused.body.code,
        refused.body.orderId,
        refused.body.collectionStatus,
      ]).toEqual([409, 'collection_cancelled', known.order.id, 'cancelled']);
      expect(await collections.stockAt(collections.storeId)).toMatchObject({ reserved: 0 });
      const putBack = ok(
        await asTill('POST', `/pos/v1/collections/${known.fulfilment.id}/put-back`, {
          terminalId: till.terminalId,
        }),
        'put back',
      );
      expect(putBack).toMatchObject({ status: 'restocked', putBack: { terminalId: till.terminalId } });
      expect((await desk('cancelled')).map((each) => each.fulfilmentId)).not.toContain(known.fulfilment.id);
      // Whoever follows the store floor hears of it through the hub, once.
      const told = await eventually(
        async () => {
          const events = (await hubEvents(platform, 'pos.collection.put_back')).filter(
            (event) => event.data.fulfilmentId === known.fulfilment.id,
          );
          return events.length > 0 ? events : null;
        },
        20_000,
        'the hub lists the put back',
      );
      expect(told.map((event) => event.data)).toEqual([
        expect.objectContaining({
          orderId: known.order.id,
          terminalId: till.terminalId,
          putBackAt: putBack.putBack.at,
        }),
      ]);
    },
  );

  it('keeps another store’s tills and wrong bodies out', async () => {
    const { fulfilment } = await placeCollection(1);
    await onDesk(fulfilment.id, 'preparing');
    const elsewhere = uniqueName('store');
    ok(
      await platform.request('PUT', `/erp/v1/locations/${elsewhere}`, { name: 'Elsewhere', kind: 'store' }),
      'store',
    );
    const stranger = await registerTerminal(platform, elsewhere);
    const asStranger = (method: string, path: string) =>
      platform.request(method, path, undefined, { authorization: `Bearer ${stranger.apiKey}` });
    const hidden = await asStranger('GET', `/pos/v1/collections/${fulfilment.id}`);
    expect([hidden.status, hidden.body.code]).toEqual([404, 'collection_not_found']);
    const list = await asStranger('GET', `/pos/v1/stores/${collections.storeId}/collections`);
    expect([list.status, list.body.code]).toEqual([404, 'location_not_found']);
    const handOver = await platform.request(
      'POST',
      `/pos/v1/collections/${fulfilment.id}/hand-over`,
      { terminalId: stranger.terminalId },
      { authorization: `Bearer ${stranger.apiKey}` },
    );
    expect([handOver.status, handOver.body.code]).toEqual([404, 'collection_not_found']);
    const otherTill = await asTill('POST', `/pos/v1/collections/${fulfilment.id}/prepare`, {
      terminalId: 'someone-else',
    });
    expect([otherTill.status, otherTill.body.code]).toEqual([403, 'terminal_mismatch']);
    const noBody = await asTill('POST', `/pos/v1/collections/${fulfilment.id}/prepare`, {});
    expect([noBody.status, noBody.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await asTill('POST', '/pos/v1/collections/no-such-order:x/hand-over', {
      terminalId: till.terminalId,
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'collection_not_found']);
    const badStatus = await asTill('GET', `/pos/v1/stores/${collections.storeId}/collections?status=lost`);
    expect([badStatus.status, badStatus.body.code]).toEqual([400, 'validation_failed']);
    const badCursor = await asTill('GET', `/pos/v1/stores/${collections.storeId}/collections?after=nope`);
    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'invalid_cursor']);
  });
});
