import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findEventContract } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import { schemaAjv as ajv } from '../support/schemas.js';
import {
  expectLedgerTrue,
  putLocation,
  putProduct,
  race,
  receive,
  reservation,
  stockAt,
} from '../support/inventory.js';

/** Reservations, channels, kits and expiry over real processes; the ledger is checked after every test. */
describe.each(ENGINES)('inventory: reservations never oversell (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine, { env: { TILLSTREAM_HOLD_SWEEP_INTERVAL_MS: '100' } });
  });
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  it('lets exactly 50 of 200 concurrent one-unit reservations through, and the storefront sees the holds', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 50);
    const answers = await race(platform, sku, 200);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(50);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(150);
    for (const answer of refused)
      expect(answer.body).toMatchObject({
        code: 'insufficient_stock',
        lines: [{ line: 0, sku, requested: 1 }],
      });
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${sku}`)).body.available === 0,
      30_000,
      'the storefront shows the held units as gone',
    );
  });

  it('races a kit whose component is shared with another kit: the shared component limits both', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const [shared, b, c] = [
      await putProduct(platform),
      await putProduct(platform),
      await putProduct(platform),
    ];
    await receive(platform, shared, warehouse, 50);
    await receive(platform, b, warehouse, 100);
    await receive(platform, c, warehouse, 300);
    const kitB = await putProduct(platform, {
      kind: 'kit',
      components: [
        { sku: shared, quantity: 1 },
        { sku: b, quantity: 1 },
      ],
    });
    const kitC = await putProduct(platform, {
      kind: 'kit',
      components: [
        { sku: shared, quantity: 1 },
        { sku: c, quantity: 2 },
      ],
    });
    const kits = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? kitB : kitC));
    const answers = await Promise.all(
      kits.map((kit) =>
        platform.request('POST', '/erp/v1/reservations', reservation([{ sku: kit, quantity: 1 }])),
      ),
    );
    const held = answers.filter((answer) => answer.status === 201);
    expect(held).toHaveLength(50);
    expect(
      answers.filter((answer) => answer.status === 409 && answer.body.code === 'insufficient_stock'),
    ).toHaveLength(150);
    const heldB = held.filter((answer) => answer.body.lines[0].sku === kitB).length;
    expect(await stockAt(platform, shared, warehouse)).toMatchObject({ reserved: 50, available: 0 });
    expect(await stockAt(platform, b, warehouse)).toMatchObject({ reserved: heldB });
    expect(await stockAt(platform, c, warehouse)).toMatchObject({ reserved: 2 * (50 - heldB) });
    const kitView = await platform.request('GET', `/erp/v1/inventory/${kitB}`);
    expect(kitView.body).toMatchObject({ kind: 'kit', totals: { available: 0 } });
    const refusal = answers.find((answer) => answer.status === 409)!.body;
    expect(refusal.lines[0]).toMatchObject({ available: 0, components: [{ sku: shared, available: 0 }] });
  });

  it('places lines by channel order and safety stock, splits, and honours an explicit store', async () => {
    const [first, second] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'warehouse'),
    ];
    const store = await putLocation(platform, 'store');
    const sku = await putProduct(platform);
    await receive(platform, sku, first, 5);
    await receive(platform, sku, second, 3);
    await receive(platform, sku, store, 2);
    const channel = `web-${sku.toLowerCase()}`;
    const put = await platform.request('PUT', `/erp/v1/channels/${channel}`, {
      locations: [second, first],
      safetyStock: 2,
    });
    expect(put.status).toBe(201);
    expect((await platform.request('GET', `/erp/v1/channels/${channel}`)).body).toMatchObject({
      safetyStock: 2,
      configured: true,
    });
    const split = await platform.request(
      'POST',
      '/erp/v1/reservations',
      reservation([{ sku, quantity: 4 }], { channel }),
    );
    expect(split.status).toBe(201);
    // The second warehouse comes first in this channel, but only 1 unit there is above its safety stock.
    expect(split.body.lines[0].allocations).toHaveLength(2);
    expect(split.body.lines[0].allocations).toEqual(
      expect.arrayContaining([
        { sku, locationId: first, quantity: 3 },
        { sku, locationId: second, quantity: 1 },
      ]),
    );
    const more = await platform.request(
      'POST',
      '/erp/v1/reservations',
      reservation([{ sku, quantity: 1 }], { channel }),
    );
    expect(more.body).toMatchObject({
      code: 'insufficient_stock',
      lines: [{ sku, requested: 1, available: 0 }],
    });
    const collect = await platform.request(
      'POST',
      '/erp/v1/reservations',
      reservation([{ sku, quantity: 2, locationId: store }], { channel: 'click-and-collect' }),
    );
    expect(collect.status).toBe(201);
    expect(collect.body.lines[0]).toMatchObject({
      locationId: store,
      allocations: [{ locationId: store, quantity: 2 }],
    });
  });

  it('is all or nothing: one short line refuses the whole reservation and holds nothing', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const [plenty, scarce] = [await putProduct(platform), await putProduct(platform)];
    await receive(platform, plenty, warehouse, 10);
    await receive(platform, scarce, warehouse, 1);
    const answer = await platform.request(
      'POST',
      '/erp/v1/reservations',
      reservation([
        { sku: plenty, quantity: 5 },
        { sku: scarce, quantity: 2 },
      ]),
    );
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      code: 'insufficient_stock',
      lines: [{ line: 1, sku: scarce, requested: 2, available: 1 }],
    });
    expect(await stockAt(platform, plenty, warehouse)).toMatchObject({ reserved: 0, available: 10 });
  });

  it('is idempotent by id, commits and releases once, and answers codes for the rest', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 10);
    const body = reservation([{ sku, quantity: 2 }]);
    const first = await platform.request('POST', '/erp/v1/reservations', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: body.id, status: 'held', lines: [{ sku, quantity: 2 }] });
    const again = await platform.request('POST', '/erp/v1/reservations', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await platform.request('POST', '/erp/v1/reservations', {
      ...body,
      lines: [{ sku, quantity: 3 }],
    });
    expect(other).toMatchObject({ status: 409, body: { code: 'id_conflict' } });
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ reserved: 2 });

    const released = await platform.request('POST', `/erp/v1/reservations/${body.id}/release`);
    expect(released).toMatchObject({ status: 200, body: { status: 'released', version: 2 } });
    expect((await platform.request('POST', `/erp/v1/reservations/${body.id}/release`)).body.version).toBe(2);
    expect((await platform.request('POST', `/erp/v1/reservations/${body.id}/commit`)).body.code).toBe(
      'reservation_not_held',
    );
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 10, reserved: 0 });

    const order = reservation([{ sku, quantity: 3 }]);
    await platform.request('POST', '/erp/v1/reservations', order);
    const committed = await platform.request('POST', `/erp/v1/reservations/${order.id}/commit`);
    expect(committed).toMatchObject({ status: 200, body: { status: 'committed' } });
    expect((await platform.request('POST', `/erp/v1/reservations/${order.id}/commit`)).status).toBe(200);
    expect((await platform.request('POST', `/erp/v1/reservations/${order.id}/release`)).body.code).toBe(
      'reservation_not_held',
    );
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    const events = await eventually(async () => {
      const all = (await hubEvents(platform)).filter((event) => event.subject === `reservation/${order.id}`);
      return all.length === 2 ? all : null;
    });
    expect(events.map((event) => [event.type, event.sequence])).toEqual([
      ['erp.reservation.held', 1],
      ['erp.reservation.committed', 2],
    ]);
  });

  it('expires a hold on time: the sweeper returns the stock and says so', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 5);
    const body = reservation([{ sku, quantity: 3 }], { expiresInSeconds: 1 });
    expect((await platform.request('POST', '/erp/v1/reservations', body)).status).toBe(201);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ reserved: 3, available: 2 });
    await eventually(
      async () =>
        (await platform.request('GET', `/erp/v1/reservations/${body.id}`)).body.status === 'expired',
      15_000,
      'the hold expired',
    );
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ reserved: 0, available: 5 });
    expect((await platform.request('POST', `/erp/v1/reservations/${body.id}/commit`)).body.code).toBe(
      'reservation_expired',
    );
    await eventually(async () =>
      (await hubEvents(platform, 'erp.reservation.expired')).some(
        (event) => event.data.reservationId === body.id,
      ),
    );
  });

  it('publishes every ERP event of these stories valid against its contract', async () => {
    const events = (await hubEvents(platform)).filter((event) => event.source === '/tillstream/erp');
    const types = new Set(events.map((event) => event.type));
    for (const type of ['erp.stock.changed', 'erp.reservation.held', 'erp.reservation.committed'])
      expect(types).toContain(type);
    for (const type of ['erp.reservation.released', 'erp.reservation.expired']) expect(types).toContain(type);
    for (const event of events) {
      const contract = findEventContract(event.type, 1);
      expect(contract, event.type).toBeDefined();
      expect(
        ajv.validate(contract!.dataSchema, event.data),
        `${event.type}: ${JSON.stringify(ajv.errors)}`,
      ).toBe(true);
    }
  });
});
