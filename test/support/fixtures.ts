import { gtinCheckDigit } from '@tillstream/contracts';
import { uniqueName } from '@tillstream/kernel/testing';
import { v7 as uuidv7 } from 'uuid';
import type { TestPlatform } from './platform.js';
import { eventually } from './platform.js';

export interface Shop {
  storeId: string;
  warehouseId: string;
  skus: string[];
}

/** A store, a warehouse and `skuCount` products with `stock` units received at the store. */
export async function seedShop(
  platform: TestPlatform,
  /** `unitCost`: what each unit received cost, so ERP values the stock (none: the stock is valued at nothing). */
  options: { skuCount?: number; stock?: number; price?: number; unitCost?: number } = {},
): Promise<Shop> {
  const storeId = uniqueName('store');
  const warehouseId = uniqueName('wh');
  const expectOk = (status: number, what: string, body: unknown) => {
    if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  };
  let response = await platform.request('PUT', `/erp/v1/locations/${storeId}`, {
    name: 'Test store',
    kind: 'store',
  });
  expectOk(response.status, 'put store', response.body);
  response = await platform.request('PUT', `/erp/v1/locations/${warehouseId}`, {
    name: 'Test warehouse',
    kind: 'warehouse',
  });
  expectOk(response.status, 'put warehouse', response.body);
  const skus: string[] = [];
  for (let index = 0; index < (options.skuCount ?? 2); index += 1) {
    const sku = uniqueName('SKU');
    response = await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: `Product ${index}`,
      price: { amount: options.price ?? 500, currency: 'EUR' },
    });
    expectOk(response.status, 'put product', response.body);
    response = await platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('receipt'),
      sku,
      locationId: storeId,
      delta: options.stock ?? 100,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
      ...(options.unitCost !== undefined ? { unitCost: options.unitCost } : {}),
    });
    expectOk(response.status, 'receive stock', response.body);
    skus.push(sku);
  }
  return { storeId, warehouseId, skus };
}

export function saleBody(
  shop: Shop,
  lines: Array<{ sku: string; quantity: number }>,
  overrides: Record<string, unknown> = {},
) {
  const withPrices = lines.map((line) => ({ ...line, unitPrice: 500 }));
  const total = withPrices.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return {
    id: uuidv7(),
    storeId: shop.storeId,
    terminalId: 'till-1',
    occurredAt: new Date().toISOString(),
    currency: 'EUR',
    lines: withPrices,
    payments: [{ method: 'card', amount: total }],
    ...overrides,
  };
}

export async function onHandAt(platform: TestPlatform, sku: string, locationId: string): Promise<number> {
  const response = await platform.request('GET', `/erp/v1/inventory/${sku}`);
  const location = (response.body.locations as Array<{ locationId: string; onHand: number }>).find(
    (row) => row.locationId === locationId,
  );
  return location?.onHand ?? 0;
}

export async function waitForOnHand(
  platform: TestPlatform,
  sku: string,
  locationId: string,
  expected: number,
  timeoutMs = 30_000,
) {
  return eventually(
    async () => (await onHandAt(platform, sku, locationId)) === expected,
    timeoutMs,
    `onHand of ${sku} = ${expected}`,
  );
}

/** All hub events of a type, paging through the cursor. */
export async function hubEvents(platform: TestPlatform, type?: string): Promise<any[]> {
  const events: any[] = [];
  let after = '';
  for (;;) {
    const query = new URLSearchParams({
      limit: '1000',
      ...(after ? { after } : {}),
      ...(type ? { type } : {}),
    });
    const response = await platform.request('GET', `/hub/v1/events?${query}`);
    if (response.status !== 200) throw new Error(`hub: ${response.status} ${JSON.stringify(response.body)}`);
    events.push(...response.body.events);
    if (response.body.events.length === 0) return events;
    after = response.body.next;
  }
}

let gtins = 0;
/** A UPC-A no other test uses: 11 digits of the time and a counter, then its check digit. */
export function uniqueGtin(): string {
  gtins += 1;
  const body = `${Date.now() % 1e8}${String(gtins).padStart(3, '0')}`.padStart(11, '0').slice(-11);
  return `${body}${gtinCheckDigit(body)}`;
}
