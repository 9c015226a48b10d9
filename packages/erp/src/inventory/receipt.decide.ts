import { fingerprintOf, unprocessable } from '@tillstream/kernel';
import { COUNT_CLOCK_SKEW_MS } from './count.decide.js';

/**
 * The business time of a receipt of goods (a purchase order's or a transfer's): when they arrived, now if not
 * said, in UTC. Late paperwork may be dated in the past; more than the device clock skew a count tolerates
 * ahead of the server clock is 422 `receipt_in_future`.
 */
export function receiptTime(occurredAt: string | undefined, now: Date): string {
  if (occurredAt === undefined) return now.toISOString();
  const at = new Date(occurredAt);
  if (at.getTime() > now.getTime() + COUNT_CLOCK_SKEW_MS)
    throw unprocessable('receipt_in_future', `A receipt cannot be dated ${occurredAt}, after now`);
  return at.toISOString();
}

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
