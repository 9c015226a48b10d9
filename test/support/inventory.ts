import { expect } from 'vitest';
import type { TestPlatform } from './platform.js';
import { uniqueName } from '@tillstream/kernel/testing';

const expectOk = (status: number, what: string, body: unknown) => {
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
};

/** Every balance equals its ledger and every `reserved` what held reservations hold: run after each test. */
export async function expectLedgerTrue(platform: TestPlatform): Promise<void> {
  const response = await platform.request('GET', '/erp/v1/inventory/ledger-check');
  expect(response.status).toBe(200);
  expect(response.body, JSON.stringify(response.body)).toMatchObject({
    ok: true,
    mismatches: [],
    holdMismatches: [],
  });
}

export async function putLocation(platform: TestPlatform, kind: 'store' | 'warehouse'): Promise<string> {
  const locationId = uniqueName(kind === 'store' ? 'store' : 'wh');
  const response = await platform.request('PUT', `/erp/v1/locations/${locationId}`, {
    name: locationId,
    kind,
  });
  expectOk(response.status, 'put location', response.body);
  return locationId;
}

export async function putProduct(
  platform: TestPlatform,
  extra: {
    kind?: 'kit';
    components?: Array<{ sku: string; quantity: number }>;
    backorderable?: boolean;
  } = {},
): Promise<string> {
  const sku = uniqueName(extra.kind === 'kit' ? 'KIT' : 'SKU');
  const response = await platform.request('PUT', `/erp/v1/products/${sku}`, {
    name: sku,
    price: { amount: 500, currency: 'EUR' },
    ...extra,
  });
  expectOk(response.status, 'put product', response.body);
  return sku;
}

export async function receive(
  platform: TestPlatform,
  sku: string,
  locationId: string,
  delta: number,
  occurredAt = '2026-11-01T08:00:00Z',
): Promise<void> {
  const response = await platform.request('POST', '/erp/v1/inventory/adjustments', {
    id: uniqueName('receipt'),
    sku,
    locationId,
    delta,
    reason: 'received',
    occurredAt,
  });
  expectOk(response.status, 'receive', response.body);
}

/** One location's row of GET /erp/v1/inventory/{sku} (zeros where ERP has no row). */
export async function stockAt(platform: TestPlatform, sku: string, locationId: string) {
  const response = await platform.request('GET', `/erp/v1/inventory/${sku}`);
  expectOk(response.status, 'inventory', response.body);
  interface Row {
    locationId: string;
    onHand: number;
    reserved: number;
    available: number;
    inTransit: number;
    damaged: number;
  }
  const row = (response.body.locations as Row[]).find((candidate) => candidate.locationId === locationId);
  return row ?? { locationId, onHand: 0, reserved: 0, available: 0, inTransit: 0, damaged: 0 };
}

export const reservation = (
  lines: Array<{ sku: string; quantity: number; locationId?: string }>,
  extra: { channel?: string; expiresInSeconds?: number } = {},
) => ({
  id: uniqueName('res'),
  channel: extra.channel ?? 'web',
  lines,
  expiresInSeconds: extra.expiresInSeconds ?? 600,
});

/**
 * `count` reservations of one unit each, all sent at once; returns the answers. The race the inventory must
 * win: however they interleave (and on however many ERP instances), the database lets exactly the stock through.
 */
export async function race(platform: TestPlatform, sku: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, () =>
      platform.request('POST', '/erp/v1/reservations', reservation([{ sku, quantity: 1 }])),
    ),
  );
}
