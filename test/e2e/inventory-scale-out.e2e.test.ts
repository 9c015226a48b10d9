import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scaleOutConfigured } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import {
  expectLedgerTrue,
  putLocation,
  putProduct,
  race,
  receive,
  reservation,
  stockAt,
} from '../support/inventory.js';

/**
 * Two ERP processes over one PostgreSQL: no in-process lock can help, so only the database's conditional
 * updates and row locks stand between the racing requests and an oversell. Requests alternate between them.
 */
describe.skipIf(!scaleOutConfigured)('inventory on two ERP instances (scale-out)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform('scale-out', {
      instances: { erp: 2 },
      env: { TILLSTREAM_HOLD_SWEEP_INTERVAL_MS: '100' },
    });
  }, 120_000);
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  it('lets exactly 50 of 200 concurrent reservations through across both instances', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 50);
    const answers = await race(platform, sku, 200);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(50);
    expect(answers.filter((answer) => answer.body.code === 'insufficient_stock')).toHaveLength(150);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
  });

  it('races two kits sharing a component across both instances', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const [shared, b, c] = [
      await putProduct(platform),
      await putProduct(platform),
      await putProduct(platform),
    ];
    await receive(platform, shared, warehouse, 50);
    await receive(platform, b, warehouse, 1000);
    await receive(platform, c, warehouse, 1000);
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
        { sku: c, quantity: 3 },
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        platform.request(
          'POST',
          '/erp/v1/reservations',
          reservation([{ sku: index % 2 ? kitB : kitC, quantity: 1 }]),
        ),
      ),
    );
    const held = answers.filter((answer) => answer.status === 201);
    expect(held).toHaveLength(50);
    const heldB = held.filter((answer) => answer.body.lines[0].sku === kitB).length;
    expect(await stockAt(platform, shared, warehouse)).toMatchObject({ reserved: 50, available: 0 });
    expect(await stockAt(platform, b, warehouse)).toMatchObject({ reserved: heldB });
    expect(await stockAt(platform, c, warehouse)).toMatchObject({ reserved: 3 * (50 - heldB) });
  });

  it('expires every hold exactly once with a sweeper running on each instance', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 30);
    const bodies = Array.from({ length: 30 }, () =>
      reservation([{ sku, quantity: 1 }], { expiresInSeconds: 1 }),
    );
    for (const body of bodies)
      expect((await platform.request('POST', '/erp/v1/reservations', body)).status).toBe(201);
    await eventually(
      async () => (await stockAt(platform, sku, warehouse)).reserved === 0,
      20_000,
      'all holds expired',
    );
    const ids = new Set(bodies.map((body) => body.id));
    const expired = await eventually(async () => {
      const events = (await hubEvents(platform, 'erp.reservation.expired')).filter((e) =>
        ids.has(e.data.reservationId),
      );
      return events.length >= ids.size ? events : null;
    });
    expect(expired).toHaveLength(30);
    expect(new Set(expired.map((event) => event.data.reservationId)).size).toBe(30);
  });
});
