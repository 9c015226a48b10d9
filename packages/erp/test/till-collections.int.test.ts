import { describe, expect, it } from 'vitest';
import {
  CollectionHandedOverV1,
  CollectionPreparedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
} from '@tillstream/contracts';
import { foreignEvent, harnessDialects } from '@tillstream/kernel/testing';
import { onlineOrderRig } from './online-orders.rig.js';
import { pgUrl, S1, startedErp, W1 } from './started-erp.js';

/**
 * Click and collect at the stores' tills, ERP's side: what a till's collection desk publishes (put aside,
 * handed over) moves the fulfilment as ERP's own API would, once; a hand-over the till made unaware of a
 * cancellation takes the units off the shelf all the same.
 */
describe.each(harnessDialects(pgUrl))('ERP applies the tills’ collection acts on %s', (dialect) => {
  const { erp, ok, receive } = startedErp(dialect, { holdSweepIntervalMs: 60_000, locations: [W1, S1] });
  const { product, fulfilmentsOf, eventsOf, placeCollection } = onlineOrderRig({ erp, ok });
  const units = async (sku: string) => {
    const row = ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find(
      (each) => each.locationId === 'S1',
    );
    return { onHand: row?.onHand, reserved: row?.reserved };
  };
  const act = { storeId: 'S1', terminalId: 'T1' };
  const prepared = (placed: { orderId: string; fulfilmentId: string }) =>
    foreignEvent('pos', CollectionPreparedV1.type, `collection/${placed.fulfilmentId}`, 1, {
      ...act,
      fulfilmentId: placed.fulfilmentId,
      orderId: placed.orderId,
      preparedAt: erp().clock.now().toISOString(),
    });
  const handedOver = (placed: { orderId: string; fulfilmentId: string }, sku: string, quantity: number) =>
    foreignEvent('pos', CollectionHandedOverV1.type, `collection/${placed.fulfilmentId}`, 2, {
      ...act,
      fulfilmentId: placed.fulfilmentId,
      orderId: placed.orderId,
      handedOverAt: erp().clock.now().toISOString(),
      lines: [{ sku, quantity }],
    });

  it('makes a collection put aside at a till ready, and collects one handed over, each once', async () => {
    const sku = await product('TILL');
    await receive(sku, 'S1', 3);
    const placed = await placeCollection(sku, 2);

    const aside = prepared(placed);
    await erp().deliver('pos', aside);
    await erp().deliver('pos', aside);
    expect(await fulfilmentsOf(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'ready_for_pickup', version: 2 }),
    ]);
    expect(await eventsOf(FulfillmentReadyForPickupV1, placed.orderId)).toHaveLength(1);

    erp().clock.advance(600_000);
    const handed = handedOver(placed, sku, 2);
    await erp().deliver('pos', handed);
    await erp().deliver('pos', handed);
    expect(await fulfilmentsOf(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'delivered', version: 4 }),
    ]);
    expect(await units(sku)).toEqual({ onHand: 1, reserved: 0 });
    expect(await eventsOf(FulfillmentShippedV1, placed.orderId)).toHaveLength(1);
    expect(await eventsOf(FulfillmentDeliveredV1, placed.orderId)).toEqual([
      expect.objectContaining({ orderDelivered: true }),
    ]);
    // Put aside after the hand-over reached ERP (events of two tills crossing): nothing changes.
    await erp().deliver('pos', prepared(placed));
    expect(await fulfilmentsOf(placed.orderId)).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('books out a collection handed over after its order was cancelled, and ignores one put aside', async () => {
    const sku = await product('UNAWARE');
    await receive(sku, 'S1', 3);
    const placed = await placeCollection(sku, 2);
    await ok('POST', `/reservations/${placed.reservationId}/release`);
    expect(await units(sku)).toEqual({ onHand: 3, reserved: 0 });

    await erp().deliver('pos', prepared(placed));
    expect(await fulfilmentsOf(placed.orderId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);

    await erp().deliver('pos', handedOver(placed, sku, 2));
    expect(await units(sku)).toEqual({ onHand: 1, reserved: 0 });
    expect(await fulfilmentsOf(placed.orderId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const { movements } = await ok('GET', `/inventory/${sku}/movements`);
    expect(movements).toContainEqual(
      expect.objectContaining({
        kind: 'adjusted',
        locationId: 'S1',
        reference: `collection/${placed.fulfilmentId}`,
        onHand: -2,
      }),
    );
    // The shopper has goods the cancel paid back: the store is asked to recover them.
    const { exceptions } = await ok('GET', '/stock-exceptions');
    expect(exceptions).toContainEqual(
      expect.objectContaining({
        sku,
        locationId: 'S1',
        cause: { kind: 'adjusted', reference: `collection/${placed.fulfilmentId}` },
      }),
    );
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
  });
});
