import { unprocessable } from '@tillstream/kernel';
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
