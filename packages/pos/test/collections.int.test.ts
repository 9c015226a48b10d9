import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignEvent, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceProduct, pgUrl, startPos } from './pos-rig.js';

/**
 * POS's collection desk on a real database: its copy of ERP's click-and-collect fulfilments (newer versions
 * only, home deliveries ignored) and the tills' acts on it, each published once.
 */
describe.each(harnessDialects(pgUrl))('POS collection desk on %s', (dialect) => {
  let pos: ContextHarness;
  let tillKey: string;
  const shipTo = {
    name: 'Anna de Vries',
    phone: '+31 20 555 0100',
    line1: 'Kalverstraat 92',
    postalCode: '1012 PH',
    city: 'Amsterdam',
    country: 'NL',
  };
  const fulfilmentEvent = (
    type: string,
    id: string,
    version: number,
    status: string,
    extra: Record<string, unknown> = {},
  ) =>
    foreignEvent('erp', type, `fulfilment/${id}`, version, {
      fulfilmentId: id,
      orderId: id.split(':')[0],
      reservationId: `hold-${id}`,
      locationId: id.split(':')[1],
      version,
      status,
      lines: [{ sku: 'TEE', quantity: 2 }],
      occurredAt: `2026-11-01T09:0${version}:00.000Z`,
      ...extra,
    });
  const created = (id: string, pickup = true) =>
    fulfilmentEvent('erp.fulfillment.created', id, 1, 'allocated', {
      shipTo,
      shippingMethod: { id: 'collect', name: 'Collect' },
      pickup,
    });
  const asTill = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await pos.app.inject({
      method,
      url: `/pos/v1${url}`,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${tillKey}` },
    });
    return { status: response.statusCode, body: response.json() };
  };
  const published = async (type: string) =>
    (await pos.published())
      .filter((event) => event.type === type)
      .map((event) => ({ ...event, data: event.data as Record<string, unknown> }));

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceProduct(pos, 'TEE');
    tillKey = (
      await pos.apiKeys.create({
        name: 'till',
        scopes: ['pos:read', 'pos:write'],
        terminalId: 'T1',
        storeId: 'KALVER',
      })
    ).secret;
  });
  afterAll(async () => pos?.close());

  it('lists a store’s collections from ERP’s events, names their goods, and ignores home deliveries', async () => {
    await pos.deliver('erp', created('o1:KALVER'));
    await pos.deliver('erp', created('o2:WAREHOUSE', false));
    const { body } = await asTill('GET', '/stores/KALVER/collections');
    expect(body).toEqual({
      collections: [
        expect.objectContaining({
          fulfilmentId: 'o1:KALVER',
          orderId: 'o1',
          status: 'preparing',
          collector: { name: 'Anna de Vries', phone: '+31 20 555 0100' },
          lines: [{ sku: 'TEE', name: 'Product TEE', quantity: 2 }],
          erpVersion: 1,
        }),
      ],
      next: null,
    });
    expect((await pos.api('GET', '/collections/o2:WAREHOUSE')).status).toBe(404);
  });

  it('applies ERP’s newer versions only, whatever order they come in', async () => {
    await pos.deliver('erp', created('o3:KALVER'));
    await pos.deliver('erp', fulfilmentEvent('erp.fulfillment.cancelled', 'o3:KALVER', 3, 'cancelled'));
    await pos.deliver(
      'erp',
      fulfilmentEvent('erp.fulfillment.ready_for_pickup', 'o3:KALVER', 2, 'ready_for_pickup', {
        shipTo,
        pickup: true,
        orderReady: true,
      }),
    );
    expect((await asTill('GET', '/collections/o3:KALVER')).body).toMatchObject({
      status: 'cancelled',
      readyAt: '2026-11-01T09:02:00.000Z',
      erpVersion: 3,
      cancelledAt: '2026-11-01T09:03:00.000Z',
    });
    // A delivered or cancelled event of a fulfilment POS never heard of as a collection changes nothing.
    await pos.deliver(
      'erp',
      fulfilmentEvent('erp.fulfillment.delivered', 'o9:KALVER', 4, 'delivered', { orderDelivered: true }),
    );
    expect((await pos.api('GET', '/collections/o9:KALVER')).status).toBe(404);
  });

  it('publishes each till act once, even when two tills press at once', async () => {
    await pos.deliver('erp', created('o4:KALVER'));
    const before = (await published('pos.collection.handed_over')).length;
    const presses = await Promise.all([
      asTill('POST', '/collections/o4:KALVER/hand-over', { terminalId: 'T1' }),
      pos.api('POST', '/collections/o4:KALVER/hand-over', { terminalId: 'T2' }),
    ]);
    expect(presses.map((press) => press.status)).toEqual([200, 200]);
    const events = (await published('pos.collection.handed_over')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subject: 'collection/o4:KALVER',
      data: {
        fulfilmentId: 'o4:KALVER',
        orderId: 'o4',
        storeId: 'KALVER',
        lines: [{ sku: 'TEE', quantity: 2 }],
      },
    });
    // ERP's confirmation afterwards, and a stale event, keep it collected by the till that handed it over.
    await pos.deliver(
      'erp',
      fulfilmentEvent('erp.fulfillment.delivered', 'o4:KALVER', 3, 'delivered', { orderDelivered: true }),
    );
    await pos.deliver('erp', fulfilmentEvent('erp.fulfillment.cancelled', 'o4:KALVER', 2, 'cancelled'));
    const after = (await pos.api('GET', '/collections/o4:KALVER')).body;
    expect(after).toMatchObject({
      status: 'collected',
      erpVersion: 3,
      handedOver: { terminalId: events[0]!.data.terminalId },
    });
  });

  it('puts aside once, and refuses the acts a cancelled or collected order forbids', async () => {
    await pos.deliver('erp', created('o5:KALVER'));
    const first = await asTill('POST', '/collections/o5:KALVER/prepare', { terminalId: 'T1' });
    const again = await asTill('POST', '/collections/o5:KALVER/prepare', { terminalId: 'T1' });
    expect([first.status, first.body.status, again.body.prepared]).toEqual([
      200,
      'ready',
      first.body.prepared,
    ]);
    expect(
      (await published('pos.collection.prepared')).filter((e) => e.data.fulfilmentId === 'o5:KALVER'),
    ).toHaveLength(1);
    await asTill('POST', '/collections/o5:KALVER/hand-over', { terminalId: 'T1' });
    const late = await asTill('POST', '/collections/o5:KALVER/prepare', { terminalId: 'T1' });
    expect([late.status, late.body.code]).toEqual([409, 'collection_collected']);
    const cancelled = await asTill('POST', '/collections/o3:KALVER/hand-over', { terminalId: 'T1' });
    expect([
      cancelled.status,
      cancelled.body.code,
      cancelled.body.orderId,
      cancelled.body.collectionStatus,
    ]).toEqual([409, 'collection_cancelled', 'o3', 'cancelled']);
  });

  it('pages a store’s queue by status, oldest first', async () => {
    for (const id of ['p1', 'p2', 'p3']) await pos.deliver('erp', created(`${id}:PAGED`));
    const first = (await pos.api('GET', '/stores/PAGED/collections?limit=2')).body;
    expect(first.collections.map((c: { orderId: string }) => c.orderId)).toEqual(['p1', 'p2']);
    const rest = (await pos.api('GET', `/stores/PAGED/collections?limit=2&after=${first.next}`)).body;
    expect(rest).toMatchObject({ collections: [{ orderId: 'p3' }], next: null });
    expect((await asTill('GET', '/stores/KALVER/collections?status=cancelled')).body.collections).toEqual([
      expect.objectContaining({ fulfilmentId: 'o3:KALVER' }),
    ]);
    const foreign = await asTill('GET', '/stores/PAGED/collections');
    expect([foreign.status, foreign.body.code]).toEqual([404, 'location_not_found']);
  });
  it('takes a cancelled collection off the desk once its goods are back on the shelf', async () => {
    const putBack = await asTill('POST', '/collections/o3:KALVER/put-back', { terminalId: 'T1' });
    expect(putBack.body).toMatchObject({ status: 'restocked', putBack: { terminalId: 'T1' } });
    const again = await asTill('POST', '/collections/o3:KALVER/put-back', { terminalId: 'T1' });
    expect(again.body.putBack).toEqual(putBack.body.putBack);
    // Published once, with the units back on the shelf, under the collection's third sequence.
    const events = (await published('pos.collection.put_back')).filter(
      (event) => event.data.fulfilmentId === 'o3:KALVER',
    );
    expect(events.map((event) => [event.subject, event.sequence, event.data])).toEqual([
      [
        'collection/o3:KALVER',
        3,
        {
          fulfilmentId: 'o3:KALVER',
          orderId: 'o3',
          storeId: 'KALVER',
          terminalId: 'T1',
          putBackAt: putBack.body.putBack.at,
          lines: [{ sku: 'TEE', quantity: 2 }],
        },
      ],
    ]);
    expect((await asTill('GET', '/stores/KALVER/collections?status=cancelled')).body.collections).toEqual([]);
    expect(
      (await asTill('GET', '/stores/KALVER/collections?status=restocked')).body.collections.map(
        (collection: { fulfilmentId: string }) => collection.fulfilmentId,
      ),
    ).toEqual(['o3:KALVER']);
    await pos.deliver('erp', created('o6:KALVER'));
    const standing = await asTill('POST', '/collections/o6:KALVER/put-back', { terminalId: 'T1' });
    expect([standing.status, standing.body.code]).toEqual([409, 'collection_not_cancelled']);
  });
});
