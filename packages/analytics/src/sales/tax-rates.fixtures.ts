import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  SaleCompletedV1Data,
  SalesTaxBookedV1Data,
} from '@tillstream/contracts';
import type { RateFigures } from './tax-rates.decide.js';

/**
 * Documents for the tax-per-rate tests: the one-document cases and the bucket property build the same sales,
 * bookings, orders and refunds, so they are written once here (the online delivery tests take the time, refunds
 * and rate figures from here too).
 */

export const AT = '2026-03-02T10:00:00Z';
export const rate = (ratePpm: number | null, over: Partial<RateFigures>): RateFigures => ({
  ratePpm,
  net: 0,
  tax: 0,
  returnsNet: 0,
  returnsTax: 0,
  ...over,
});

export const sale = (lines: SaleCompletedV1Data['lines'], tax?: number): SaleCompletedV1Data => ({
  saleId: 's1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: AT,
  currency: 'EUR',
  lines,
  payments: [],
  total: 0,
  ...(tax === undefined ? {} : { tax }),
});

export const booked = (over: Partial<SalesTaxBookedV1Data>): SalesTaxBookedV1Data => ({
  kind: 'sale',
  documentId: 's1',
  storeId: 'store-a',
  occurredAt: AT,
  currency: 'EUR',
  included: 0,
  added: 0,
  total: 0,
  ...over,
});

export const order = (
  lines: OrderPlacedV1Data['lines'],
  shipping?: OrderPlacedV1Data['shipping'],
): OrderPlacedV1Data => ({
  orderId: 'o1',
  cartId: 'c1',
  reservationId: 'h1',
  channel: 'web',
  email: 'a@example.com',
  currency: 'EUR',
  lines,
  ...(shipping ? { shipping } : {}),
  total: lines.reduce((sum, line) => sum + line.lineTotal, 0) + (shipping?.amount ?? 0),
  payment: { method: 'test', reference: 'p1' },
  placedAt: AT,
});

export const refund = (amount: number, refunded: number): OrderRefundedV1Data => ({
  orderId: 'o1',
  refundId: `f${refunded}`,
  currency: 'EUR',
  amount,
  refunded,
  reason: 'cancelled',
  returnId: null,
  payment: { method: 'test', reference: 'p1' },
  refundedAt: AT,
});

/** A 21 % tee at 12.10 and a 9 % loaf at 2 × 2.18, both with their tax inside the price. */
export const inclusiveOrder = order([
  {
    lineNo: 1,
    sku: 'TEE',
    quantity: 1,
    unitPrice: 1210,
    lineTotal: 1210,
    tax: { ratePpm: 210_000, inclusive: true, amount: 210 },
  },
  {
    lineNo: 2,
    sku: 'BREAD',
    quantity: 2,
    unitPrice: 218,
    lineTotal: 436,
    tax: { ratePpm: 90_000, inclusive: true, amount: 36 },
  },
]);
