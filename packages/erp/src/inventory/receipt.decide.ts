import { fingerprintOf, unprocessable } from '@tillstream/kernel';
import { COUNT_CLOCK_SKEW_MS } from './count.decide.js';

/**
 * The business time of a document the paperwork dates (a receipt, a supplier's invoice, a payment): the instant it says,
 * now if none, in UTC. Late paperwork may be dated in the past; more than the device clock skew a count
 * tolerates ahead of the server clock is 422 with `futureCode`.
 */
export function businessTime(
  at: string | undefined,
  now: Date,
  futureCode: 'receipt_in_future' | 'invoice_in_future' | 'supplier_payment_in_future' | 'return_in_future',
): string {
  if (at === undefined) return now.toISOString();
  const instant = new Date(at);
  if (instant.getTime() > now.getTime() + COUNT_CLOCK_SKEW_MS)
    throw unprocessable(futureCode, `A document cannot be dated ${at}, after now`);
  return instant.toISOString();
}

/** When goods of a receipt (a purchase order's or a transfer's) arrived: 422 `receipt_in_future` past now. */
export const receiptTime = (occurredAt: string | undefined, now: Date): string =>
  businessTime(occurredAt, now, 'receipt_in_future');

/**
 * What tells a faithful retry of a receipt (a transfer's or a purchase order's) from another receipt under the
 * same id: its date as sent, its close flag and its lines.
 */
export const receiptFingerprint = (receipt: {
  occurredAt?: string | undefined;
  close: boolean;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
}) =>
  fingerprintOf([
    receipt.occurredAt ?? null,
    receipt.close,
    receipt.lines.map((line) => [line.sku, line.quantity]),
  ]);
