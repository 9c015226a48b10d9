import { v7 as uuidv7 } from 'uuid';
import {
  createContextHarness,
  foreignEvent,
  type ContextHarness,
  type HarnessDialect,
} from '@tillstream/kernel/testing';
import { createPos, type ErpLookup, type PosDeps } from '../src/index.js';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** ERP is not reachable in these suites: POS must rely on what the events told it. */
export const noErp: ErpLookup = {
  location: async () => null,
  product: async () => null,
  pricingSnapshot: async () => null,
  pricingSnapshotDelta: async () => 'gone',
};

/** POS on a real database of the dialect, without ERP, with extra dependencies (e.g. terminal keys) as given. */
export const startPos = (dialect: HarnessDialect, extra: Partial<PosDeps> = {}) =>
  createContextHarness((deps) => createPos({ ...deps, erp: noErp, ...extra }), {
    dialect,
    pgUrl,
    name: 'pos',
  });

/** What ERP would have announced about a location. */
export const announceLocation = (pos: ContextHarness, locationId: string, kind = 'store', name = 'Store') =>
  pos.deliver(
    'erp',
    foreignEvent('erp', 'erp.location.upserted', `location/${locationId}`, 1, {
      locationId,
      name,
      kind,
      version: 1,
    }),
  );

/** What ERP announces of a store, with its cash rounding increment when it rounds. */
export const announceStore = (pos: ContextHarness, locationId: string, version: number, increment?: number) =>
  pos.deliver(
    'erp',
    foreignEvent('erp', 'erp.location.upserted', `location/${locationId}`, version, {
      locationId,
      name: `Store ${locationId}`,
      kind: 'store',
      version,
      ...(increment === undefined ? {} : { cashRoundingIncrement: increment }),
    }),
  );

/** What ERP would have announced about a standard product at a base price. */
export const announceProduct = (
  pos: ContextHarness,
  sku: string,
  amount = 500,
  version = 1,
  extra: Record<string, unknown> = {},
) =>
  pos.deliver(
    'erp',
    foreignEvent('erp', 'erp.product.upserted', `product/${sku}`, version, {
      sku,
      name: `Product ${sku}`,
      price: { amount, currency: 'EUR' },
      kind: 'standard',
      backorderable: false,
      version,
      ...extra,
    }),
  );

/** Calls the POS API as the admin (the harness made later, in beforeAll) and answers status and parsed body. */
export const posApi =
  (pos: () => ContextHarness) => (method: 'GET' | 'POST', url: string, payload?: object) =>
    pos().api(method, url, payload);

/** A card's ledger as its movements list shows it. */
export type Movement = { kind: string; amount: number; reference: string };

/**
 * A terminal's gift card calls at store S1, as the stored-value suites make them: sell one (paid in cash, at a
 * fixed time unless `extra` says otherwise), hold value of one online, and read its movements.
 */
export const storedValueCalls = (call: ReturnType<typeof posApi>, terminalId: string) => ({
  issue: (number: string, amount: number, extra: object = {}) =>
    call('POST', '/stored-value/issues', {
      id: uuidv7(),
      number,
      kind: 'gift_card',
      amount,
      currency: 'EUR',
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T09:00:00Z',
      payments: [{ method: 'cash', amount }],
      ...extra,
    }),
  redeem: (number: string, amount: number) =>
    call('POST', `/stored-value/${number}/redemptions`, {
      id: uuidv7(),
      amount,
      currency: 'EUR',
      storeId: 'S1',
      terminalId,
    }),
  movements: async (number: string) =>
    (await call('GET', `/stored-value/${number}/movements?limit=1000`)).body.movements as Movement[],
});
