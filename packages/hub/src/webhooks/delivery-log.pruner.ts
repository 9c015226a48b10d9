import { createRetentionJob, type Clock, type Db, type Logger } from '@tillstream/kernel';
import { deleteFinishedBefore } from './delivery-log.store.js';

/**
 * Keeps the delivery log to `retentionHours` (0 keeps it all): every hour, deliveries that finished longer
 * ago than that go, with their attempts; open ones stay.
 */
export function createDeliveryLogPruner(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionHours: number;
}) {
  return createRetentionJob({
    ...deps,
    batch: 1_000,
    what: 'the webhook delivery log',
    deleteBatch: deleteFinishedBefore,
  });
}
