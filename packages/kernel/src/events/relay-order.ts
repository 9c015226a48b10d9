/**
 * Per-subject order for the PostgreSQL outbox relay.
 *
 * The relay walks finished transactions in transaction-id order, but a transaction takes its id when it
 * first writes, not when it takes the row lock that decides a subject's next `sequence`. Two concurrent
 * changes of one subject can therefore sit in the id order opposite to their `sequence`. What makes a fix
 * possible: the writer of `sequence` n + 1 read n under the subject's lock, so the writer of n had committed
 * before it, and its row is visible to any snapshot in which n + 1 is relayable. The relay can see every
 * predecessor it must not overtake; this module decides, over one round's rows, how far it may go and in
 * which order it publishes.
 */

/** An outbox row as the relay's round sees it, in (transaction id, position) order. */
export interface OrderCandidate {
  subject: string;
  /** The row's per-subject `sequence`; null (a row from before the outbox recorded it) stays in place. */
  sequence: number | null;
  /** Its transaction is below the snapshot's xmin: finished, and safe to relay gap-wise. */
  relayable: boolean;
}

export interface RelayPlan {
  /** How many of the batch's leading rows may be relayed now (the checkpoint goes to the last of them). */
  take: number;
  /** Indexes of those rows in publishing order: each subject's rows in `sequence` order, on its own slots. */
  order: number[];
  /**
   * Why rows of the batch stay behind: 'open', a predecessor's transaction has not passed the xmin yet;
   * 'beyond', a predecessor is relayable but past the batch (the caller widens the batch through `through`).
   */
  held: 'none' | 'open' | 'beyond';
  /** With 'beyond': the index (in `rows`) of the furthest predecessor the batch has to include. */
  through?: number;
}

/**
 * Plans one round. `rows` are the batch (its first `batchCount` rows, all relayable) followed by rows after
 * it that are predecessors (same subject, lower `sequence`) of batch rows: the relay passes the row one
 * `sequence` below each. A batch row may go only if every predecessor placed after it in transaction order
 * goes in the same round; the cut is the longest prefix for which that holds, so a batch boundary never
 * splits an inverted pair.
 */
export function planRelayRound(rows: readonly OrderCandidate[], batchCount: number): RelayPlan {
  const bySubject = new Map<string, number[]>();
  rows.forEach((row, index) => {
    if (row.sequence === null) return;
    const group = bySubject.get(row.subject);
    if (group) group.push(index);
    else bySubject.set(row.subject, [index]);
  });

  const furthest = furthestPredecessors(rows, bySubject, batchCount);
  let furthestNeeded = -1;
  let take = 0;
  for (let index = 0; index < batchCount; index += 1) {
    furthestNeeded = Math.max(furthestNeeded, furthest[index]!);
    if (furthestNeeded <= index) take = index + 1;
  }
  const order = publishingOrder(rows, bySubject, take);
  if (take === batchCount) return { take, order, held: 'none' };
  if (furthestNeeded === Number.POSITIVE_INFINITY) return { take, order, held: 'open' };
  return { take, order, held: 'beyond', through: furthestNeeded };
}

/**
 * For each batch row, the furthest later row of its subject with a lower `sequence`: -1 if there is none,
 * Infinity if that row is not relayable yet. Rows not yet relayable all come after the relayable ones (their
 * transaction ids are at or above the xmin), so the furthest predecessor alone decides. A suffix minimum of
 * the sequences per subject makes it a binary search, not a scan: a hot subject can have thousands of rows.
 */
function furthestPredecessors(
  rows: readonly OrderCandidate[],
  bySubject: ReadonlyMap<string, number[]>,
  batchCount: number,
): number[] {
  const furthest = new Array<number>(batchCount).fill(-1);
  for (const group of bySubject.values()) {
    if (group.length < 2 || group[0]! >= batchCount) continue;
    const suffixMin = new Array<number>(group.length);
    for (let k = group.length - 1, min = Number.POSITIVE_INFINITY; k >= 0; k -= 1) {
      min = Math.min(min, rows[group[k]!]!.sequence!);
      suffixMin[k] = min;
    }
    group.forEach((index, position) => {
      if (index >= batchCount) return;
      const sequence = rows[index]!.sequence!;
      // suffixMin never decreases along the group: find its last entry below this row's sequence.
      let low = position + 1;
      let high = group.length - 1;
      let found = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (suffixMin[middle]! < sequence) {
          found = middle;
          low = middle + 1;
        } else {
          high = middle - 1;
        }
      }
      if (found < 0) return;
      const predecessor = group[found]!;
      furthest[index] = rows[predecessor]!.relayable ? predecessor : Number.POSITIVE_INFINITY;
    });
  }
  return furthest;
}

/** The first `take` rows in transaction order, except that each subject's rows swap among their own slots. */
function publishingOrder(
  rows: readonly OrderCandidate[],
  bySubject: ReadonlyMap<string, number[]>,
  take: number,
): number[] {
  const order = Array.from({ length: take }, (_, index) => index);
  for (const group of bySubject.values()) {
    const slots = group.filter((index) => index < take);
    if (slots.length < 2) continue;
    // Stable: rows of equal sequence keep their transaction order.
    const bySequence = [...slots].sort((a, b) => rows[a]!.sequence! - rows[b]!.sequence! || a - b);
    slots.forEach((slot, n) => (order[slot] = bySequence[n]!));
  }
  return order;
}
