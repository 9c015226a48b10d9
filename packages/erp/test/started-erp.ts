import { afterAll, beforeAll } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  type ContextHarness,
  type HarnessDialect,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface SeededLocation {
  id: string;
  name: string;
  kind: 'store' | 'warehouse';
}

/**
 * ERP on a real database of the dialect, started (its consumers and sweepers too) with these locations before
 * the suite and stopped and closed after, and the calls every suite makes of its API. Call inside a
 * describe; `erp()` is the harness once the suite runs.
 */
export function startedErp(
  dialect: HarnessDialect,
  options: { holdSweepIntervalMs: number; locations: readonly SeededLocation[] },
) {
  let erp: ContextHarness;
  const call = (method: Method, url: string, payload?: object) => erp.api(method, url, payload);
  /** The body of a 2xx answer; anything else fails the test with what ERP said. */
  const ok = async (method: Method, url: string, payload?: object) => {
    const response = await call(method, url, payload);
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  /**
   * Stock received at a location outside any order: an adjustment with reason `received`, at `unitCost` per
   * unit (none: at no cost, the stock is not valued).
   */
  const receive = (
    sku: string,
    locationId: string,
    delta: number,
    occurredAt = '2026-11-01T08:00:00Z',
    unitCost?: number,
  ) =>
    ok('POST', '/inventory/adjustments', {
      id: uniqueName('rcv'),
      sku,
      locationId,
      delta,
      reason: 'received',
      occurredAt,
      ...(unitCost === undefined ? {} : { unitCost }),
    });
  /** A store sale of one line at 9.00 a unit, as POS publishes it, applied by ERP's sales consumer. */
  const storeSale = (
    sku: string,
    storeId: string,
    quantity: number,
    occurredAt = '2026-11-01T10:00:00.000Z',
  ) => {
    const saleId = uniqueName('sale');
    return erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId,
        terminalId: 't1',
        occurredAt,
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity, unitPrice: 900, lineTotal: 900 * quantity }],
        payments: [{ method: 'cash', amount: 900 * quantity }],
        total: 900 * quantity,
      }),
    );
  };

  beforeAll(async () => {
    erp = await createContextHarness(
      (deps) => createErp({ ...deps, holdSweepIntervalMs: options.holdSweepIntervalMs }),
      { dialect, pgUrl, name: 'erp' },
    );
    for (const { id, name, kind } of options.locations) await ok('PUT', `/locations/${id}`, { name, kind });
    await erp.module.start?.();
  });
  afterAll(async () => {
    await erp?.module.stop?.();
    await erp?.close();
  });

  return { erp: () => erp, call, ok, receive, storeSale };
}

export const W1: SeededLocation = { id: 'W1', name: 'Warehouse 1', kind: 'warehouse' };
export const W2: SeededLocation = { id: 'W2', name: 'Warehouse 2', kind: 'warehouse' };
export const S1: SeededLocation = { id: 'S1', name: 'Store 1', kind: 'store' };
export const S2: SeededLocation = { id: 'S2', name: 'Store 2', kind: 'store' };
