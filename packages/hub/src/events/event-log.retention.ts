import { gone, type Db, type Tx } from '@tillstream/kernel';
import { lockHubWrites } from '../hub-write-lock.js';

/** How far retention has pruned the hub log from its oldest end. */
export interface LogHorizon {
  /** Every event at or before this position is gone (0: none ever was). */
  prunedThrough: number;
  /** When the newest of the pruned events was indexed (null: none ever was). */
  prunedIndexedAt: string | null;
}

export async function readHorizon(db: Pick<Db, 'query'>): Promise<LogHorizon> {
  const [row] = await db.query<{ pruned_through: number | string; pruned_indexed_at: string }>(
    'SELECT pruned_through, pruned_indexed_at FROM event_log_horizon WHERE singleton = 1',
  );
  return row
    ? { prunedThrough: Number(row.pruned_through), prunedIndexedAt: row.pruned_indexed_at }
    : { prunedThrough: 0, prunedIndexedAt: null };
}

/**
 * Refuses a cursor that pruning has passed: the events after it up to the horizon are gone, and serving what
 * follows would hand the reader a gap it could not see. A cursor at the horizon missed nothing; 0 (or none)
 * reads from the oldest event still kept.
 */
export async function assertCursorRetained(db: Pick<Db, 'query'>, after: number): Promise<void> {
  if (after === 0) return;
  const { prunedThrough } = await readHorizon(db);
  if (after < prunedThrough)
    throw gone(
      'cursor_expired',
      `Events after position ${after} up to ${prunedThrough} were pruned from the hub log by its retention`,
      { oldestCursor: String(prunedThrough) },
    );
}

export interface IndexedEvent {
  position: number;
  indexedAt: string;
}

/**
 * How far the oldest events may be pruned: the longest run from the start that was indexed before the cutoff
 * and lies below `keepFrom` (the newest event, or the oldest one an open delivery still has to send). Null
 * when not even the first may go. Pruning only ever removes a prefix, so a position is either kept or behind
 * the horizon.
 */
export function prunableThrough(
  oldest: readonly IndexedEvent[],
  cutoff: string,
  keepFrom: number,
): IndexedEvent | null {
  let through: IndexedEvent | null = null;
  for (const event of oldest) {
    if (event.position >= keepFrom || event.indexedAt >= cutoff) break;
    through = event;
  }
  return through;
}

const MOVE_HORIZON = `
  INSERT INTO event_log_horizon (singleton, pruned_through, pruned_indexed_at) VALUES (1, $1, $2)
  ON CONFLICT (singleton) DO UPDATE SET
    pruned_through = CASE WHEN excluded.pruned_through > event_log_horizon.pruned_through
                          THEN excluded.pruned_through ELSE event_log_horizon.pruned_through END,
    pruned_indexed_at = CASE WHEN excluded.pruned_indexed_at > event_log_horizon.pruned_indexed_at
                             THEN excluded.pruned_indexed_at ELSE event_log_horizon.pruned_indexed_at END`;

/**
 * Open deliveries hold the log from their event on, but not for ever: those of a webhook disabled before the
 * cutoff (off longer than the retention itself) do not, so a forgotten endpoint cannot grow the log without
 * bound. A webhook disabled with no time recorded holds, to be safe.
 */
const OLDEST_HELD = `
  SELECT MIN(d.event_position) AS held FROM webhook_deliveries d
  JOIN webhook_subscriptions s ON s.id = d.subscription_id
  WHERE d.completed_at IS NULL AND (s.status = 'active' OR s.disabled_at IS NULL OR s.disabled_at >= $1)`;

export const PRUNED_WHILE_DISABLED =
  'Given up: its event was pruned from the hub log while the webhook was disabled (hubEventRetentionHours)';

/**
 * Gives up the open deliveries of the events pruning removed (only long-disabled webhooks have any), then lets
 * the next waiting delivery of each of their keys take the head, as a delivery finishing does.
 */
async function giveUpPrunedDeliveries(tx: Tx, through: number, now: string): Promise<void> {
  const givenUp = await tx.query<{ subscription_id: string; partition_key: string }>(
    `UPDATE webhook_deliveries SET status = 'failed', completed_at = $2, last_error = $3, lease_token = NULL,
       lease_until = NULL
     WHERE completed_at IS NULL AND event_position <= $1 RETURNING subscription_id, partition_key`,
    [through, now, PRUNED_WHILE_DISABLED],
  );
  const keys = new Map(givenUp.map((row) => [`${row.subscription_id} ${row.partition_key}`, row]));
  for (const { subscription_id: subscriptionId, partition_key: partitionKey } of keys.values())
    await tx.execute(
      `UPDATE webhook_deliveries SET status = 'pending' WHERE seq = (
         SELECT MIN(seq) FROM webhook_deliveries WHERE subscription_id = $1 AND partition_key = $2 AND status = 'queued')
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries
         WHERE subscription_id = $1 AND partition_key = $2 AND status = 'pending')`,
      [subscriptionId, partitionKey],
    );
}

/**
 * Deletes up to `limit` of the oldest events indexed before `cutoff` and moves the horizon, in the caller's
 * transaction; returns how many went. It holds the hub's write lock, so no delivery is enqueued for an event
 * (a replay) between reading what open deliveries hold and deleting.
 */
export async function pruneOldestEvents(tx: Tx, cutoff: string, limit: number, now: string): Promise<number> {
  await lockHubWrites(tx);
  const rows = await tx.query<{ position: number | string; indexed_at: string }>(
    'SELECT position, indexed_at FROM events ORDER BY position LIMIT $1',
    [limit],
  );
  if (rows.length === 0) return 0;
  const [head] = await tx.query<{ head: number | string }>('SELECT MAX(position) AS head FROM events');
  const [oldestHeld] = await tx.query<{ held: number | string | null }>(OLDEST_HELD, [cutoff]);
  const held = oldestHeld?.held ?? null;
  const keepFrom = Math.min(Number(head!.head), held === null ? Infinity : Number(held));
  const oldest = rows.map((row) => ({ position: Number(row.position), indexedAt: row.indexed_at }));
  const through = prunableThrough(oldest, cutoff, keepFrom);
  if (!through) return 0;
  const deleted = await tx.execute('DELETE FROM events WHERE position <= $1', [through.position]);
  await giveUpPrunedDeliveries(tx, through.position, now);
  await tx.execute(MOVE_HORIZON, [through.position, through.indexedAt]);
  return deleted;
}
