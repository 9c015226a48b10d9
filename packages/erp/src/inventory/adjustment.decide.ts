import { unprocessable } from '@tillstream/kernel';
import { COUNT_CLOCK_SKEW_MS } from './count.decide.js';

/**
 * The business time of an adjustment. Late paperwork may be dated in the past, however far; a date more than
 * the device clock skew a count tolerates ahead of the server clock is refused (422 `adjustment_in_future`).
 */
export function adjustmentTime(occurredAt: string, now: Date): string {
  const at = new Date(occurredAt);
  if (at.getTime() > now.getTime() + COUNT_CLOCK_SKEW_MS)
    throw unprocessable('adjustment_in_future', `An adjustment cannot be dated ${occurredAt}, after now`);
  return at.toISOString();
}
