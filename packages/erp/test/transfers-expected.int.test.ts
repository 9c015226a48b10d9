import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, startedErp } from './started-erp.js';

type Line = { sku: string; quantity: number };

const MON = '2026-11-02T08:00:00.000Z';
const WED = '2026-11-04T17:00:00.000Z';
const FRI = '2026-11-06T17:00:00.000Z';
const NEXT_WEEK = '2026-11-13T17:00:00.000Z';

describe.each(harnessDialects(pgUrl))(
  'ERP transfers with an expected arrival on a real %s database',
  (dialect) => {
    const {
      erp,
      call,
      ok,
      receive: stock,
    } = startedErp(dialect, { holdSweepIntervalMs: 60_000, locations: [] });

    /** A warehouse with 100 units of a new SKU and a store, of this test alone: filters find its transfers only. */
    const route = async () => {
      const [warehouse, store, sku] = [uniqueName('W'), uniqueName('S'), uniqueName('ETA-SKU')];
      await ok('PUT', `/locations/${warehouse}`, { name: warehouse, kind: 'warehouse' });
      await ok('PUT', `/locations/${store}`, { name: store, kind: 'store' });
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 900, currency: 'EUR' } });
      await stock(sku, warehouse, 100);
      const body = (extra: object = {}, lines: Line[] = [{ sku, quantity: 2 }]) => ({
        id: uniqueName('tr'),
        sourceId: warehouse,
        destinationId: store,
        lines,
        ...extra,
      });
      return { warehouse, store, sku, body };
    };
    const at = (instant: string) => erp().clock.set(instant);
    const create = async (body: object) => (await ok('POST', '/transfers', body)).id as string;
    const ship = (id: string, body?: object) => ok('POST', `/transfers/${id}/ship`, body);
    const receive = (id: string, lines: Line[]) =>
      ok('POST', `/transfers/${id}/receipts`, { id: uniqueName('rcpt'), lines });
    const get = (id: string) => ok('GET', `/transfers/${id}`);
    const list = async (query: string) =>
      (await ok('GET', `/transfers?${query}`)).transfers.map((transfer: { id: string }) => transfer.id);
    const shippedEvent = async (id: string) =>
      (await erp().published()).find((event) => event.subject === `transfer/${id}`)?.data as
        Record<string, unknown> | undefined;

    it('carries the expected date from creation through shipping, overdue only while on its way', async () => {
      const { sku, warehouse, body } = await route();
      at(MON);
      const created = await ok('POST', '/transfers', body({ expectedAt: '2026-11-04T19:00:00+02:00' }));
      expect(created).toMatchObject({ status: 'draft', expectedAt: WED, overdue: false });

      at('2026-11-03T08:00:00.000Z');
      const shipped = await ship(created.id);
      expect(shipped).toMatchObject({ status: 'in_transit', expectedAt: WED, overdue: false, version: 1 });
      expect(await shippedEvent(created.id)).toMatchObject({ expectedAt: WED, version: 1 });

      at('2026-11-04T17:00:00.001Z');
      expect(await get(created.id)).toMatchObject({ expectedAt: WED, overdue: true });
      await receive(created.id, [{ sku, quantity: 1 }]);
      expect(await get(created.id)).toMatchObject({ status: 'partially_received', overdue: true });
      const received = await receive(created.id, [{ sku, quantity: 1 }]);
      expect(received).toMatchObject({ status: 'received', expectedAt: WED, overdue: false });

      // Received, its date stays: asking again for the same (or none) answers it as it is; another is refused.
      expect(await ship(created.id, { expectedAt: WED })).toEqual(received);
      expect(await ship(created.id)).toEqual(received);
      expect(await call('POST', `/transfers/${created.id}/ship`, { expectedAt: FRI })).toMatchObject({
        status: 409,
        body: { code: 'transfer_already_received' },
      });
      expect(await get(created.id)).toEqual(received);
      const balance = (await ok('GET', `/inventory/${sku}`)).locations.find(
        (row: { locationId: string }) => row.locationId === warehouse,
      );
      expect(balance).toMatchObject({ onHand: 98 });
    });

    it('without a date says none, is never overdue, and publishes no expectedAt', async () => {
      const { body } = await route();
      at(MON);
      const id = await create(body());
      expect(await ship(id, {})).toMatchObject({ expectedAt: null, overdue: false });
      expect(await shippedEvent(id)).not.toHaveProperty('expectedAt');
      at('2027-06-01T00:00:00.000Z');
      expect(await get(id)).toMatchObject({ status: 'in_transit', expectedAt: null, overdue: false });
    });

    it('sets or changes the date on shipping, moving no stock; a change is published once', async () => {
      const { sku, store, body } = await route();
      at(MON);
      const id = await create(body());
      const shipped = await ship(id, { expectedAt: WED });
      expect(shipped).toMatchObject({ status: 'in_transit', expectedAt: WED, shippedAt: MON });
      expect(await shippedEvent(id)).toMatchObject({ expectedAt: WED });

      at('2026-11-05T08:00:00.000Z');
      expect(await get(id)).toMatchObject({ overdue: true });
      const rescheduled = await ship(id, { expectedAt: FRI });
      expect(rescheduled).toEqual({ ...shipped, expectedAt: FRI, overdue: false, version: 2 });
      // A retry of the same change answers it again and publishes nothing more.
      expect(await ship(id, { expectedAt: FRI })).toEqual(rescheduled);
      const events = (await erp().published()).filter((event) => event.subject === `transfer/${id}`);
      expect(events.map((event) => [event.type, event.sequence])).toEqual([
        ['erp.transfer.shipped', 1],
        ['erp.transfer.rescheduled', 2],
      ]);
      expect(events[1]!.data).toEqual({
        transferId: id,
        version: 2,
        sourceId: shipped.sourceId,
        destinationId: store,
        expectedAt: FRI,
        previousExpectedAt: WED,
        occurredAt: '2026-11-05T08:00:00.000Z',
      });
      const balance = (await ok('GET', `/inventory/${sku}`)).locations.find(
        (row: { locationId: string }) => row.locationId === store,
      );
      expect(balance).toMatchObject({ onHand: 0, inTransit: 2 });
    });

    it('replays a create with the same expected date, even once it has passed, and refuses another', async () => {
      const { body } = await route();
      at(MON);
      const dated = { ...body(), expectedAt: WED };
      const first = await ok('POST', '/transfers', dated);
      at('2026-11-10T00:00:00.000Z');
      expect(await call('POST', '/transfers', dated)).toEqual({ status: 200, body: first });
      // The same instant written with another offset is the same body.
      const sameInstant = { ...dated, expectedAt: '2026-11-04T18:00:00+01:00' };
      expect(await call('POST', '/transfers', sameInstant)).toMatchObject({ status: 200 });
      const { expectedAt: _at, ...undated } = dated;
      for (const other of [undated, { ...dated, expectedAt: FRI }])
        expect(await call('POST', '/transfers', other)).toMatchObject({
          status: 409,
          body: { code: 'id_conflict' },
        });

      const plain = body();
      const created = await ok('POST', '/transfers', plain);
      expect(await call('POST', '/transfers', plain)).toEqual({ status: 200, body: created });
      expect(await call('POST', '/transfers', { ...plain, expectedAt: FRI })).toMatchObject({
        status: 409,
        body: { code: 'id_conflict' },
      });
      // A shipment's new date does not change what the create said.
      await ship(created.id, { expectedAt: NEXT_WEEK });
      expect(await call('POST', '/transfers', plain)).toMatchObject({
        status: 200,
        body: { expectedAt: NEXT_WEEK },
      });
    });

    it('lists what is overdue, what is not, and what is expected before an instant; pages without gaps', async () => {
      const { sku, store, body } = await route();
      const prefix = uniqueName('eta');
      at(MON);
      const make = async (suffix: string, expectedAt?: string) =>
        create({ ...body(expectedAt ? { expectedAt } : {}), id: `${prefix}-${suffix}` });
      const [late, lateToo, partly, onTime, undated, draft, received] = [
        await make('a', '2026-11-03T08:00:00.000Z'),
        await make('b', WED),
        await make('c', '2026-11-03T12:00:00.000Z'),
        await make('d', FRI),
        await make('e'),
        await make('f', '2026-11-03T08:00:00.000Z'),
        await make('g', '2026-11-03T08:00:00.000Z'),
      ];
      for (const id of [late, lateToo, partly, onTime, undated, received]) await ship(id);
      await receive(partly, [{ sku, quantity: 1 }]);
      await receive(received, [{ sku, quantity: 2 }]);

      at('2026-11-05T00:00:00.000Z');
      const where = `toLocationId=${store}`;
      expect(await list(`${where}&overdue=true`)).toEqual([late, lateToo, partly]);
      expect(await list(`${where}&overdue=false`)).toEqual([onTime, undated, draft, received]);
      expect(await list(`${where}&overdue=true&status=partially_received`)).toEqual([partly]);
      expect(await list(`${where}&overdue=true&status=draft`)).toEqual([]);
      const before = (instant: string) => list(`${where}&expectedBefore=${encodeURIComponent(instant)}`);
      // Strictly before, offsets honoured; drafts, received transfers and those without a date are not listed.
      expect(await before('2026-11-03T09:00:00+01:00')).toEqual([]);
      expect(await before('2026-11-03T13:00:00.001+01:00')).toEqual([late, partly]);
      expect(await before('2026-11-07T00:00:00Z')).toEqual([late, lateToo, partly, onTime]);
      expect(await list(`${where}&expectedBefore=2026-11-07T00:00:00Z&overdue=false`)).toEqual([onTime]);

      const page = await ok('GET', `/transfers?${where}&overdue=true`);
      for (const transfer of page.transfers) {
        expect(transfer.overdue).toBe(true);
        expect(transfer).toEqual(await get(transfer.id));
      }
      const seen: string[] = [];
      for (let after = ''; ;) {
        const next = await ok('GET', `/transfers?${where}&overdue=true&limit=2&after=${after}`);
        seen.push(...next.transfers.map((transfer: { id: string }) => transfer.id));
        if (seen.length === 2) {
          // Made and shipped while the list is read, overdue by the next page: this listing reaches it.
          at('2026-11-04T00:00:00.000Z');
          await ship(await make('bb', '2026-11-04T12:00:00.000Z'));
          at('2026-11-05T00:00:00.000Z');
        }
        if (next.next === null) break;
        after = next.next;
      }
      expect(seen).toEqual([late, lateToo, `${prefix}-bb`, partly]);
    });

    describe('refuses bad input with its code and changes nothing', () => {
      it.each([
        ['a number', 1_762_000_000_000, 400, 'validation_failed'],
        ['a word', 'friday', 400, 'validation_failed'],
        ['an instant without an offset', '2026-11-05T10:00:00', 400, 'validation_failed'],
        ['a day that does not exist', '2026-11-31T10:00:00Z', 400, 'validation_failed'],
        ['null', null, 400, 'validation_failed'],
        ['an instant before now', '2026-11-02T07:59:59.999Z', 422, 'transfer_expected_before_created'],
      ])('a create expected at %s: %s %s', async (_name, expectedAt, status, code) => {
        const { body } = await route();
        at(MON);
        const bad = body({ expectedAt });
        const response = await call('POST', '/transfers', bad);
        expect(response).toMatchObject({ status, body: { code, status } });
        expect(await call('GET', `/transfers/${bad.id}`)).toMatchObject({ status: 404 });
      });

      it.each([
        ['a number', { expectedAt: 5 }, 400, 'validation_failed'],
        ['a bad instant', { expectedAt: '2026-13-01T00:00:00Z' }, 400, 'validation_failed'],
        ['an unknown member', { expectedAt: WED, eta: WED }, 400, 'validation_failed'],
        ['an array', [WED], 400, 'validation_failed'],
        [
          'an instant before the shipment',
          { expectedAt: '2026-11-02T07:00:00Z' },
          422,
          'transfer_expected_before_shipped',
        ],
      ])('shipping a draft with %s: %s %s', async (_name, payload, status, code) => {
        const { sku, warehouse, body } = await route();
        at(MON);
        const id = await create(body());
        const events = (await erp().published()).length;
        expect(await call('POST', `/transfers/${id}/ship`, payload)).toMatchObject({
          status,
          body: { code },
        });
        expect(await get(id)).toMatchObject({ status: 'draft', expectedAt: null, version: 0 });
        expect((await erp().published()).length).toBe(events);
        const balance = (await ok('GET', `/inventory/${sku}`)).locations.find(
          (row: { locationId: string }) => row.locationId === warehouse,
        );
        expect(balance).toMatchObject({ onHand: 100 });
      });

      it('a draft whose own date has passed ships, and is overdue at once', async () => {
        const { body } = await route();
        at(MON);
        const id = await create(body({ expectedAt: '2026-11-02T12:00:00Z' }));
        at('2026-11-03T08:00:00.000Z');
        expect(await ship(id)).toMatchObject({
          status: 'in_transit',
          expectedAt: '2026-11-02T12:00:00.000Z',
          overdue: true,
        });
        expect(await ship(id, { expectedAt: FRI })).toMatchObject({ expectedAt: FRI, overdue: false });
      });

      it('a shipped transfer’s date may not move before its shipment', async () => {
        const { body } = await route();
        at(MON);
        const id = await create(body({ expectedAt: WED }));
        const shipped = await ship(id);
        at(FRI);
        expect(
          await call('POST', `/transfers/${id}/ship`, { expectedAt: '2026-11-01T00:00:00Z' }),
        ).toMatchObject({
          status: 422,
          body: { code: 'transfer_expected_before_shipped' },
        });
        expect(await get(id)).toEqual({ ...shipped, overdue: true });
      });

      it.each([
        ['overdue that is no boolean', 'overdue=maybe'],
        ['expectedBefore that is no instant', 'expectedBefore=friday'],
        ['expectedBefore without an offset', 'expectedBefore=2026-11-05T10:00:00'],
      ])('a list with %s: 400 validation_failed', async (_name, query) => {
        expect(await call('GET', `/transfers?${query}`)).toMatchObject({
          status: 400,
          body: { code: 'validation_failed' },
        });
      });
    });
  },
);
