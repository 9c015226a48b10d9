/** One queued backorder as the allocation sees it. */
export interface QueueEntry {
  backorderId: number;
  quantity: number;
  filled: number;
}

export interface Fill {
  backorderId: number;
  /** Units allocated now. */
  take: number;
  /** Units allocated in total after this fill. */
  filled: number;
  remaining: number;
}

/**
 * Arriving stock goes to the queue before anyone else, oldest backorder first, each taking what it still
 * needs until the units run out. A backorder is never skipped for a younger one that would fit better: first
 * come, first served is the promise made to the customers in the queue.
 */
export function fillQueue(queue: readonly QueueEntry[], available: number): Fill[] {
  const fills: Fill[] = [];
  let left = available;
  for (const entry of queue) {
    if (left <= 0) break;
    const take = Math.min(left, entry.quantity - entry.filled);
    if (take <= 0) continue;
    left -= take;
    fills.push({
      backorderId: entry.backorderId,
      take,
      filled: entry.filled + take,
      remaining: entry.quantity - entry.filled - take,
    });
  }
  return fills;
}
