import { expect } from 'vitest';
import type { CloudEvent } from '@tillstream/contracts';
import { type HarnessDialect, uniqueName } from '@tillstream/kernel/testing';
import { S1, startedErp, W1 } from './started-erp.js';

export { pgUrl } from './started-erp.js';

/**
 * ERP on a real database of the dialect with a warehouse W1 and a store S1, and the calls the purchase order
 * suites make. Call inside a describe: it starts ERP before the suite and closes it after.
 */
export function purchaseOrderRig(dialect: HarnessDialect) {
  const { erp, call, ok, receive, storeSale } = startedErp(dialect, {
    holdSweepIntervalMs: 60_000,
    locations: [W1, S1],
  });
  const product = async (extra: object = {}) => {
    const sku = uniqueName('PO-SKU');
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 900, currency: 'EUR' }, ...extra });
    return sku;
  };
  const stockAt = async (sku: string, locationId: string) =>
    ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find((row) => row.locationId === locationId);
  const order = (lines: Array<{ sku: string; quantity: number; unitCost: number }>, locationId = 'W1') => ({
    id: uniqueName('po'),
    supplier: { id: 'acme', name: 'Acme Textiles' },
    locationId,
    expectedAt: '2026-11-08T09:00:00Z',
    currency: 'EUR',
    lines,
  });
  /** A submitted order of these lines at W1. */
  const ordered = async (lines: Array<{ sku: string; quantity: number; unitCost: number }>) => {
    const body = order(lines);
    await ok('POST', '/purchase-orders', body);
    await ok('POST', `/purchase-orders/${body.id}/submit`);
    return body.id;
  };
  const receipt = (lines: Array<{ sku: string; quantity: number }>, extra: object = {}) => ({
    id: uniqueName('rcpt'),
    lines,
    ...extra,
  });
  /** A payment to the supplier in EUR under an id of its own; `extra` adds allocations, a date, a reference. */
  const supplierPayment = (supplierId: string, amount: number, extra: object = {}) => ({
    id: uniqueName('pay'),
    supplierId,
    currency: 'EUR',
    amount,
    ...extra,
  });
  const eventsOf = async (id: string) =>
    (await erp().published()).filter((event) => event.subject === `purchase-order/${id}`);
  const expectLedgerTrue = async () => expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  let delivered = 0;
  /**
   * Feeds what ERP published since the last call back to it, as its own event log would (so its finance
   * values stock and posts invoices), once every commit is readable; answers those events.
   */
  const deliverOwnEvents = async (): Promise<CloudEvent[]> => {
    const published = await erp().published();
    const fresh = published.slice(delivered);
    delivered = published.length;
    await erp().deliverAll('erp', fresh);
    await erp().allFinished();
    return fresh;
  };

  return {
    erp,
    call,
    ok,
    receive,
    storeSale,
    product,
    stockAt,
    order,
    ordered,
    receipt,
    eventsOf,
    expectLedgerTrue,
    deliverOwnEvents,
    supplierPayment,
  };
}
