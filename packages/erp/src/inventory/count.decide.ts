import { unprocessable } from '@tillstream/kernel';
import { changeOf, countTimeOf, type Movement, type StockBalance } from './stock.decide.js';

/** How far ahead of the server clock a count may be dated (device clocks drift). */
export const COUNT_CLOCK_SKEW_MS = 60_000;

export interface CountDecision {
  /** On-hand the ledger says there was at the count's time. */
  expected: number;
  /** counted − expected: what the `counted` movement changes. */
  variance: number;
}

/**
 * The business time a count is recorded at: `countedAt`, but never later than now. A device clock a little
 * ahead is tolerated (further ahead is 422 `count_in_future`), yet a count dated after its own arrival would
 * look older than movements ERP dates by its clock meanwhile (a commit, a shipment) and offset them as if the
 * shelf had seen them: a count has seen nothing that happens after it reaches ERP.
 */
export function countTime(countedAt: string, now: Date): string {
  if (new Date(countedAt).getTime() > now.getTime() + COUNT_CLOCK_SKEW_MS)
    throw unprocessable('count_in_future', `A count cannot be dated ${countedAt}, after now`);
  return countTimeOf(countedAt, now.toISOString());
}

/**
 * A physical count is an absolute on-hand at a business time T. The ledger's on-hand at T is today's on-hand
 * less what movements dated after T changed; the count replaces that, and movements after T stay on top:
 * new on-hand = counted + (changes dated after T). A count dated at or before the latest count of its key
 * says nothing the later one did not (null: the caller refuses it).
 *
 * @param changedAfter sum of on-hand changes of the key's movements dated after `countedAt`.
 */
export function decideCount(
  balance: StockBalance,
  counted: number,
  countedAt: string,
  changedAfter: number,
): CountDecision | null {
  if (balance.lastCountedAt !== null && countedAt <= balance.lastCountedAt) return null;
  const expected = balance.onHand - changedAfter;
  return { expected, variance: counted - expected };
}

export function countMovement(
  countId: string,
  balance: StockBalance,
  variance: number,
  countedAt: string,
): Movement {
  const reference = `count/${countId}`;
  return {
    id: `${reference}/${balance.sku}@${balance.locationId}`,
    sku: balance.sku,
    locationId: balance.locationId,
    kind: 'counted',
    change: changeOf({ onHand: variance }),
    occurredAt: countedAt,
    reference,
  };
}
