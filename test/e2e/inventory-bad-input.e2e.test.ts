import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { expectLedgerTrue, putLocation, putProduct, receive, reservation } from '../support/inventory.js';

interface World {
  warehouse: string;
  store: string;
  sku: string;
  kit: string;
  draft: string;
}

interface BadRequest {
  name: string;
  method?: 'POST' | 'PUT' | 'GET';
  path: (world: World) => string;
  body?: (world: World) => unknown;
  status: number;
  code: string;
}

const now = () => new Date().toISOString();

const CASES: BadRequest[] = [
  {
    name: 'a reservation without lines',
    path: () => '/erp/v1/reservations',
    body: () => ({ ...reservation([]) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a reservation of zero units',
    path: () => '/erp/v1/reservations',
    body: (w) => reservation([{ sku: w.sku, quantity: 0 }]),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a hold that expires at once',
    path: () => '/erp/v1/reservations',
    body: (w) => reservation([{ sku: w.sku, quantity: 1 }], { expiresInSeconds: 0 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'an unknown member in a reservation',
    path: () => '/erp/v1/reservations',
    body: (w) => ({ ...reservation([{ sku: w.sku, quantity: 1 }]), priority: 'high' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a reservation of an unknown SKU',
    path: () => '/erp/v1/reservations',
    body: () => reservation([{ sku: 'NO-SUCH-SKU', quantity: 1 }]),
    status: 422,
    code: 'unknown_sku',
  },
  {
    name: 'a reservation at an unknown location',
    path: () => '/erp/v1/reservations',
    body: (w) => reservation([{ sku: w.sku, quantity: 1, locationId: 'nowhere' }]),
    status: 422,
    code: 'unknown_location',
  },
  {
    name: 'more than there is',
    path: () => '/erp/v1/reservations',
    body: (w) => reservation([{ sku: w.sku, quantity: 11 }]),
    status: 409,
    code: 'insufficient_stock',
  },
  {
    name: 'a commit of an unknown reservation',
    path: () => '/erp/v1/reservations/no-such-hold/commit',
    status: 404,
    code: 'reservation_not_found',
  },
  {
    name: 'an unknown reservation',
    method: 'GET',
    path: () => '/erp/v1/reservations/no-such-hold',
    status: 404,
    code: 'reservation_not_found',
  },
  {
    name: 'a channel at an unknown location',
    method: 'PUT',
    path: () => '/erp/v1/channels/web-bad',
    body: () => ({ locations: ['nowhere'], safetyStock: 0 }),
    status: 422,
    code: 'unknown_location',
  },
  {
    name: 'a channel listing a location twice',
    method: 'PUT',
    path: () => '/erp/v1/channels/web-bad',
    body: (w) => ({ locations: [w.warehouse, w.warehouse], safetyStock: 0 }),
    status: 400,
    code: 'duplicate_line',
  },
  {
    name: 'a negative safety stock',
    method: 'PUT',
    path: () => '/erp/v1/channels/web-bad',
    body: (w) => ({ locations: [w.warehouse], safetyStock: -1 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a transfer to its own source',
    path: () => '/erp/v1/transfers',
    body: (w) => ({
      id: uniqueName('tr'),
      sourceId: w.warehouse,
      destinationId: w.warehouse,
      lines: [{ sku: w.sku, quantity: 1 }],
    }),
    status: 400,
    code: 'transfer_same_location',
  },
  {
    name: 'a transfer of a kit',
    path: () => '/erp/v1/transfers',
    body: (w) => ({
      id: uniqueName('tr'),
      sourceId: w.warehouse,
      destinationId: w.store,
      lines: [{ sku: w.kit, quantity: 1 }],
    }),
    status: 422,
    code: 'kit_has_no_stock',
  },
  {
    name: 'a transfer expected before it is created',
    path: () => '/erp/v1/transfers',
    body: (w) => ({
      id: uniqueName('tr'),
      sourceId: w.warehouse,
      destinationId: w.store,
      lines: [{ sku: w.sku, quantity: 1 }],
      expectedAt: '2000-01-01T00:00:00Z',
    }),
    status: 422,
    code: 'transfer_expected_before_created',
  },
  {
    name: 'shipping a transfer expected before it ships',
    path: (w) => `/erp/v1/transfers/${w.draft}/ship`,
    body: () => ({ expectedAt: '2000-01-01T00:00:00Z' }),
    status: 422,
    code: 'transfer_expected_before_shipped',
  },
  {
    name: 'shipping a transfer expected at no instant',
    path: (w) => `/erp/v1/transfers/${w.draft}/ship`,
    body: () => ({ expectedAt: 'friday' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'shipping an unknown transfer',
    path: () => '/erp/v1/transfers/no-such-transfer/ship',
    status: 404,
    code: 'transfer_not_found',
  },
  {
    name: 'receiving a transfer that was not shipped',
    path: (w) => `/erp/v1/transfers/${w.draft}/receipts`,
    body: (w) => ({ id: uniqueName('rcpt'), lines: [{ sku: w.sku, quantity: 1 }] }),
    status: 409,
    code: 'transfer_state',
  },
  {
    name: 'a transfer receipt dated tomorrow',
    path: (w) => `/erp/v1/transfers/${w.draft}/receipts`,
    body: (w) => ({
      id: uniqueName('rcpt'),
      lines: [{ sku: w.sku, quantity: 1 }],
      occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    status: 422,
    code: 'receipt_in_future',
  },
  {
    name: 'a count dated tomorrow',
    path: () => '/erp/v1/inventory/counts',
    body: (w) => ({
      id: uniqueName('count'),
      locationId: w.store,
      countedAt: new Date(Date.now() + 86_400_000).toISOString(),
      lines: [{ sku: w.sku, quantity: 1 }],
    }),
    status: 422,
    code: 'count_in_future',
  },
  {
    name: 'a count of a kit',
    path: () => '/erp/v1/inventory/counts',
    body: (w) => ({
      id: uniqueName('count'),
      locationId: w.store,
      countedAt: now(),
      lines: [{ sku: w.kit, quantity: 1 }],
    }),
    status: 422,
    code: 'kit_has_no_stock',
  },
  {
    name: 'a count listing a SKU twice',
    path: () => '/erp/v1/inventory/counts',
    body: (w) => ({
      id: uniqueName('count'),
      locationId: w.store,
      countedAt: now(),
      lines: [
        { sku: w.sku, quantity: 1 },
        { sku: w.sku, quantity: 2 },
      ],
    }),
    status: 400,
    code: 'duplicate_line',
  },
  {
    name: 'an adjustment of a kit',
    path: () => '/erp/v1/inventory/adjustments',
    body: (w) => ({
      id: uniqueName('adj'),
      sku: w.kit,
      locationId: w.store,
      delta: 1,
      reason: 'received',
      occurredAt: now(),
    }),
    status: 422,
    code: 'kit_has_no_stock',
  },
  {
    name: 'an adjustment dated in the year 9999',
    path: () => '/erp/v1/inventory/adjustments',
    body: (w) => ({
      id: uniqueName('adj'),
      sku: w.sku,
      locationId: w.warehouse,
      delta: 1,
      reason: 'received',
      occurredAt: '9999-12-31T00:00:00Z',
    }),
    status: 422,
    code: 'adjustment_in_future',
  },
  {
    name: 'a return with an unknown disposition',
    path: () => '/erp/v1/inventory/returns',
    body: (w) => ({
      id: uniqueName('ret'),
      locationId: w.store,
      occurredAt: now(),
      lines: [{ sku: w.sku, quantity: 1, disposition: 'resell' }],
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    // Its goods' value would be journaled in 2099 while the stock is on hand now.
    name: 'a return dated in the year 2099',
    path: () => '/erp/v1/inventory/returns',
    body: (w) => ({
      id: uniqueName('ret'),
      locationId: w.store,
      occurredAt: '2099-01-01T00:00:00Z',
      lines: [{ sku: w.sku, quantity: 1, disposition: 'restock' }],
    }),
    status: 422,
    code: 'return_in_future',
  },
  {
    name: 'a return to an unknown location',
    path: () => '/erp/v1/inventory/returns',
    body: (w) => ({
      id: uniqueName('ret'),
      locationId: 'nowhere',
      occurredAt: now(),
      lines: [{ sku: w.sku, quantity: 1, disposition: 'restock' }],
    }),
    status: 422,
    code: 'unknown_location',
  },
  {
    name: 'a kit inside a kit',
    method: 'PUT',
    path: () => `/erp/v1/products/${uniqueName('KIT')}`,
    body: (w) => ({
      name: 'x',
      price: { amount: 1, currency: 'EUR' },
      kind: 'kit',
      components: [{ sku: w.kit, quantity: 1 }],
    }),
    status: 422,
    code: 'nested_kit',
  },
  {
    name: 'a kit of an unknown component',
    method: 'PUT',
    path: () => `/erp/v1/products/${uniqueName('KIT')}`,
    body: () => ({
      name: 'x',
      price: { amount: 1, currency: 'EUR' },
      kind: 'kit',
      components: [{ sku: 'NO-SUCH-SKU', quantity: 1 }],
    }),
    status: 422,
    code: 'unknown_sku',
  },
  {
    name: 'a kit containing itself',
    method: 'PUT',
    path: (w) => `/erp/v1/products/${w.kit}`,
    body: (w) => ({
      name: 'x',
      price: { amount: 1, currency: 'EUR' },
      kind: 'kit',
      components: [{ sku: w.kit, quantity: 1 }],
    }),
    status: 400,
    code: 'kit_cycle',
  },
];

describe.each(ENGINES)('inventory bad input gets a 4xx problem and changes nothing (%s)', (engine) => {
  let platform: TestPlatform;
  let world: World;
  beforeAll(async () => {
    platform = await startPlatform(engine);
    const [warehouse, store] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'store'),
    ];
    const sku = await putProduct(platform);
    const other = await putProduct(platform);
    await receive(platform, sku, warehouse, 10);
    const kit = await putProduct(platform, { kind: 'kit', components: [{ sku: other, quantity: 1 }] });
    const draft = uniqueName('tr');
    await platform.request('POST', '/erp/v1/transfers', {
      id: draft,
      sourceId: warehouse,
      destinationId: store,
      lines: [{ sku, quantity: 1 }],
    });
    world = { warehouse, store, sku, kit, draft };
  });
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  it.each(CASES)('$name → $status $code', async (testCase) => {
    const response = await platform.request(
      testCase.method ?? 'POST',
      testCase.path(world),
      testCase.body?.(world),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(testCase.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: testCase.code, status: testCase.status });
  });

  it('a standard product with stock cannot become a kit, and one used in a kit cannot either', async () => {
    const price = { amount: 1, currency: 'EUR' };
    const component = await putProduct(platform);
    const stocked = await platform.request('PUT', `/erp/v1/products/${world.sku}`, {
      name: 'x',
      price,
      kind: 'kit',
      components: [{ sku: component, quantity: 1 }],
    });
    expect(stocked.body.code).toBe('product_has_stock');
    const inKit = await platform.request('GET', `/erp/v1/products/${world.kit}`);
    const used = inKit.body.components[0].sku;
    const nested = await platform.request('PUT', `/erp/v1/products/${used}`, {
      name: 'x',
      price,
      kind: 'kit',
      components: [{ sku: component, quantity: 1 }],
    });
    expect(nested).toMatchObject({ status: 422, body: { code: 'nested_kit', skus: [world.kit] } });
  });

  it('wrote nothing: the stock is as received and holds nothing', async () => {
    const stock = await platform.request('GET', `/erp/v1/inventory/${world.sku}`);
    expect(stock.body.totals).toMatchObject({ onHand: 10, reserved: 0, inTransit: 0, damaged: 0 });
  });
});
