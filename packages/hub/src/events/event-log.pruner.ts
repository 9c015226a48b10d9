import { createRetentionJob, type Clock, type Db, type Logger } from '@tillstream/kernel';
import { pruneOldestEvents } from './event-log.retention.js';

/**
 * Keeps the hub log to `retentionHours` by when events were indexed (0 keeps it all): every hour the oldest
 * events past it go, up to the first one an open webhook delivery still has to send (unless its webhook has
 * been disabled longer than the retention: those deliveries are given up), never the newest.
 * Cursors behind what went are then refused (`cursor_expired`) instead of skipping silently.
 */
export function createEventLogPruner(deps: { db: Db; clock: Clock; logger: Logger; retentionHours: number }) {
  return createRetentionJob({
    ...deps,
    batch: 1_000,
    what: 'the hub event log',
    deleteBatch: (tx, cutoff, limit) => pruneOldestEvents(tx, cutoff, limit, deps.clock.now().toISOString()),
  });
}
