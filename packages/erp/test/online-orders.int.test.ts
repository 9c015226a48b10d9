import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, startedErp, W1 } from './started-erp.js';

describe.each(harnessDialects(pgUrl))(
  'ERP fulfils online orders with backorders and returns on %s',
  (dialect) => {
    const {
      erp,
      call,
      ok,
      receive: receiveAt,
    } = startedErp(dialect, { holdSweepIntervalMs: 20, locations: [W1] });
    const receive = (sku: string, delta: number) => receiveAt(sku, 'W1', delta);
    const balance = async (sku: string) =>
      ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find((row) => row.locationId === 'W1');
    const published = async (type: string, orderId: string) =>
      (await erp().published())
        .filter((event) => event.type === type && (event.data as { orderId: string }).orderId === orderId)
        .map((event) => event.data as any);
    /**
     * A checkout hold in ERP and the `commerce.order.placed` that follows it; `meanwhile` runs after the order
     * was placed and before its event reaches ERP.
     */
    const placeOrder = async (
      sku: string,
      quantity: number,
      meanwhile?: (reservationId: string) => Promise<void>,
    ) => {
      const orderId = uniqueName('order');
      const reservationId = `checkout:${orderId}`;
      await ok('POST', '/reservations', {
        id: reservationId,
        channel: 'web',
        lines: [{ sku, quantity }],
        expiresInSeconds: 900,
      });
      const placedAt = erp().clock.now().toISOString();
      await meanwhile?.(reservationId);
      const placed: CloudEvent = foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
        orderId,
        cartId: uniqueName('cart'),
        reservationId,
        channel: 'web',
        email: 'a@example.com',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity, unitPrice: 100, lineTotal: 100 * quantity }],
        total: 100 * quantity,
        payment: { method: 'test', reference: 'test-1' },
        placedAt,
      });
      await erp().deliver('commerce', placed);
      return { orderId, reservationId };
    };

    it('allocates what is there, backorders the rest, and ships the order only once the backorder is filled', async () => {
      const sku = uniqueName('BO');
      await ok('PUT', `/products/${sku}`, {
        name: sku,
        price: { amount: 100, currency: 'EUR' },
        backorderable: true,
      });
      await receive(sku, 2);
      const { orderId, reservationId } = await placeOrder(sku, 5);

      expect(await published('erp.fulfillment.created', orderId)).toEqual([
        expect.objectContaining({ fulfilmentId: `${orderId}:W1`, lines: [{ sku, quantity: 2 }] }),
      ]);
      const [waiting] = await published('erp.fulfillment.backordered', orderId);
      expect(waiting.lines).toEqual([{ lineNo: 1, sku, backordered: 3 }]);

      const first = await ok('POST', `/fulfillments/${orderId}:W1/ship`);
      expect(first.status).toBe('shipped');
      expect((await published('erp.fulfillment.shipped', orderId)).map((data) => data.orderShipped)).toEqual([
        false,
      ]);
      expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('held');

      await receive(sku, 3);
      const created = await published('erp.fulfillment.created', orderId);
      expect(created[1]).toMatchObject({ fulfilmentId: `${orderId}:W1:2`, lines: [{ sku, quantity: 3 }] });
      const updates = await published('erp.fulfillment.backordered', orderId);
      expect(updates.at(-1)).toMatchObject({ lines: [{ lineNo: 1, sku, backordered: 0 }] });
      expect(updates.at(-1).version).toBeGreaterThan(waiting.version);

      await ok('POST', `/fulfillments/${orderId}:W1:2/ship`);
      expect((await published('erp.fulfillment.shipped', orderId)).map((data) => data.orderShipped)).toEqual([
        false,
        true,
      ]);
      expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
      expect(await balance(sku)).toMatchObject({ onHand: 0, reserved: 0 });

      await ok('POST', `/fulfillments/${orderId}:W1/deliver`);
      await ok('POST', `/fulfillments/${orderId}:W1:2/deliver`);
      expect(
        (await published('erp.fulfillment.delivered', orderId)).map((data) => data.orderDelivered),
      ).toEqual([false, true]);
    });

    /** The hold sweeper expires every checkout hold: the event of an order placed on it arrives too late. */
    const expireHolds = async (reservationId: string, advanceMs = 901_000) => {
      erp().clock.advance(advanceMs);
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await ok('GET', `/reservations/${reservationId}`)).status === 'expired') return;
        await new Promise((done) => setTimeout(done, 20));
      }
      throw new Error(`reservation ${reservationId} did not expire`);
    };

    it('holds anew a paid order whose hold expired before its event arrived, while the stock is there', async () => {
      const sku = uniqueName('LATE');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 5);
      const order = await placeOrder(sku, 2, async (reservationId) => {
        await expireHolds(reservationId);
        expect(await balance(sku)).toMatchObject({ onHand: 5, reserved: 0 });
      });

      expect(await ok('GET', `/reservations/${order.reservationId}`)).toMatchObject({
        status: 'held',
        lines: [{ sku, quantity: 2, allocations: [{ sku, locationId: 'W1', quantity: 2 }], backordered: [] }],
      });
      expect(await balance(sku)).toMatchObject({ onHand: 5, reserved: 2 });
      expect(await published('erp.fulfillment.created', order.orderId)).toEqual([
        expect.objectContaining({ lines: [{ sku, quantity: 2 }] }),
      ]);
      await ok('POST', `/fulfillments/${order.orderId}:W1/ship`);
      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('committed');
      expect(await balance(sku)).toMatchObject({ onHand: 3, reserved: 0 });
      expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    });

    it('holds no archived product for a new checkout, yet holds anew a paid order of one', async () => {
      const sku = uniqueName('COAT');
      const product = { name: sku, price: { amount: 100, currency: 'EUR' } };
      await ok('PUT', `/products/${sku}`, product);
      await receive(sku, 5);
      const order = await placeOrder(sku, 2, async (reservationId) => {
        await expireHolds(reservationId);
        // Archived after the shopper paid, before the order reached ERP.
        await ok('PUT', `/products/${sku}`, { ...product, status: 'archived' });
      });
      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('held');
      expect(await balance(sku)).toMatchObject({ onHand: 5, reserved: 2 });

      const refused = await call('POST', '/reservations', {
        id: uniqueName('checkout'),
        channel: 'web',
        lines: [{ sku, quantity: 1 }],
        expiresInSeconds: 900,
      });
      expect(refused).toMatchObject({ status: 422, body: { code: 'product_not_for_sale', skus: [sku] } });
      expect(await balance(sku)).toMatchObject({ reserved: 2 });
      const archived = (await ok('GET', `/products?status=archived&limit=500`)).products as Array<{
        sku: string;
        status: string;
      }>;
      expect(archived.map((each) => each.sku)).toContain(sku);
      expect(new Set(archived.map((each) => each.status))).toEqual(new Set(['archived']));
    });

    it('backorders a paid order whose hold expired and whose stock was sold meanwhile', async () => {
      const sku = uniqueName('GONE');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 2);
      const order = await placeOrder(sku, 2, async (reservationId) => {
        await expireHolds(reservationId);
        await ok('POST', '/reservations', {
          id: uniqueName('other'),
          channel: 'web',
          lines: [{ sku, quantity: 1 }],
          expiresInSeconds: 90_000,
        });
      });

      expect(await ok('GET', `/reservations/${order.reservationId}`)).toMatchObject({
        status: 'held',
        lines: [
          {
            allocations: [{ sku, locationId: 'W1', quantity: 1 }],
            backordered: [{ sku, locationId: 'W1', quantity: 1 }],
          },
        ],
      });
      expect(await balance(sku)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
      const [waiting] = await published('erp.fulfillment.backordered', order.orderId);
      expect(waiting.lines).toEqual([{ lineNo: 1, sku, backordered: 1 }]);

      await receive(sku, 1);
      expect((await published('erp.fulfillment.created', order.orderId)).map((data) => data.lines)).toEqual([
        [{ sku, quantity: 1 }],
        [{ sku, quantity: 1 }],
      ]);
      // Held anew for its order, it ships from both holds' units: a second round in the ledger, balanced.
      for (const fulfilment of await published('erp.fulfillment.created', order.orderId))
        await ok('POST', `/fulfillments/${fulfilment.fulfilmentId}/ship`);
      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('committed');
      expect(await balance(sku)).toMatchObject({ onHand: 1, reserved: 1 });
      expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    });

    it('keeps an open, partly shipped order held past 30 days, while a checkout hold beside it expires', async () => {
      await ok('PUT', '/locations/W2', { name: 'Warehouse 2', kind: 'warehouse' });
      const sku = uniqueName('SPLIT');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 1);
      await ok('POST', '/inventory/adjustments', {
        id: uniqueName('rcv'),
        sku,
        locationId: 'W2',
        delta: 1,
        reason: 'received',
        occurredAt: '2026-11-01T08:00:00Z',
      });
      const order = await placeOrder(sku, 2);
      const split = (await published('erp.fulfillment.created', order.orderId)).map(
        (data) => data.locationId,
      );
      expect(split).toEqual(['W1', 'W2']);
      await ok('POST', `/fulfillments/${order.orderId}:W1/ship`);
      const units = async () =>
        ((await ok('GET', `/inventory/${sku}`)).locations as any[]).map(
          ({ locationId, onHand, reserved }) => ({
            locationId,
            onHand,
            reserved,
          }),
        );
      // The first parcel's unit left the building with it; the second's is still held.
      const held = await units();
      expect(held).toEqual([
        { locationId: 'W1', onHand: 0, reserved: 0 },
        { locationId: 'W2', onHand: 1, reserved: 1 },
      ]);
      expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });

      // A checkout abandoned 24 days on, due after the 30 days order holds used to have: once the sweeper
      // expired it, it has looked at everything due before it.
      erp().clock.advance(24 * 24 * 3_600_000);
      const witness = uniqueName('SWEPT');
      await ok('PUT', `/products/${witness}`, { name: witness, price: { amount: 100, currency: 'EUR' } });
      await receive(witness, 1);
      const abandoned = uniqueName('abandoned');
      await ok('POST', '/reservations', {
        id: abandoned,
        channel: 'web',
        lines: [{ sku: witness, quantity: 1 }],
        expiresInSeconds: 7 * 24 * 3_600,
      });
      erp().clock.advance(7 * 24 * 3_600_000 + 1_000);
      await expireHolds(abandoned, 0);

      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('held');
      expect(await units()).toEqual(held);
      const another = await call('POST', '/reservations', {
        id: uniqueName('late-shopper'),
        channel: 'web',
        lines: [{ sku, quantity: 1 }],
        expiresInSeconds: 900,
      });
      expect([another.status, (another.body as { code: string }).code]).toEqual([409, 'insufficient_stock']);

      await ok('POST', `/fulfillments/${order.orderId}:W2/ship`);
      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('committed');
      expect(await units()).toEqual([
        { locationId: 'W1', onHand: 0, reserved: 0 },
        { locationId: 'W2', onHand: 0, reserved: 0 },
      ]);
      expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    });

    it('never expires an order hold kept while order holds still had 30 days, and the sweeper goes past it', async () => {
      const sku = uniqueName('OLD');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 3);
      const order = await placeOrder(sku, 2);
      const thirtyDaysOn = new Date(erp().clock.now().getTime() + 30 * 24 * 3_600_000).toISOString();
      await erp().db.transaction((tx) =>
        tx.execute('UPDATE reservations SET expires_at = $1 WHERE id = $2', [
          thirtyDaysOn,
          order.reservationId,
        ]),
      );
      erp().clock.advance(24 * 24 * 3_600_000);
      const abandoned = uniqueName('abandoned');
      await ok('POST', '/reservations', {
        id: abandoned,
        channel: 'web',
        lines: [{ sku, quantity: 1 }],
        expiresInSeconds: 7 * 24 * 3_600,
      });
      // Due after the old order hold: expiring it means the sweeper went past the order's hold.
      await expireHolds(abandoned, 8 * 24 * 3_600_000);

      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('held');
      expect(await balance(sku)).toMatchObject({ onHand: 3, reserved: 2 });
      await ok('POST', `/fulfillments/${order.orderId}:W1/ship`);
      expect((await ok('GET', `/reservations/${order.reservationId}`)).status).toBe('committed');
      expect(await balance(sku)).toMatchObject({ onHand: 1, reserved: 0 });
    });

    it('books an online return by disposition where the order shipped from, exactly once', async () => {
      const sku = uniqueName('RET');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 4);
      const { orderId } = await placeOrder(sku, 3);
      await ok('POST', `/fulfillments/${orderId}:W1/ship`);
      expect(await balance(sku)).toMatchObject({ onHand: 1, damaged: 0 });
      const returned = foreignEvent('commerce', 'commerce.return.received', `order/${orderId}/return/r1`, 1, {
        returnId: 'r1',
        orderId,
        locationId: null,
        lines: [
          { sku, quantity: 1, disposition: 'restock' },
          { sku, quantity: 1, disposition: 'damaged' },
        ],
        refund: { currency: 'EUR', amount: 200 },
        receivedAt: '2026-11-02T10:00:00.000Z',
      });
      await erp().deliver('commerce', returned);
      await erp().deliver('commerce', returned);
      expect(await balance(sku)).toMatchObject({ onHand: 2, damaged: 1 });
      const check = await ok('GET', '/inventory/ledger-check');
      expect(check).toMatchObject({ ok: true });
    });

    it('books no return at a location ERP does not know: the event fails for review instead', async () => {
      const sku = uniqueName('RET');
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await receive(sku, 2);
      const { orderId } = await placeOrder(sku, 1);
      await ok('POST', `/fulfillments/${orderId}:W1/ship`);
      const returned = foreignEvent('commerce', 'commerce.return.received', `order/${orderId}/return/r1`, 1, {
        returnId: 'r1',
        orderId,
        locationId: 'nowhere',
        lines: [{ sku, quantity: 1, disposition: 'restock' }],
        refund: { currency: 'EUR', amount: 100 },
        receivedAt: '2026-11-02T10:00:00.000Z',
      });
      await erp()
        .deliver('commerce', returned)
        .catch(() => undefined);
      const locations = (await ok('GET', `/inventory/${sku}`)).locations as Array<{ locationId: string }>;
      expect(locations.map((location) => location.locationId)).toEqual(['W1']);
    });
  },
);
