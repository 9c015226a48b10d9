import { periodicJob, type Clock, type Db, type Logger } from '@tillstream/kernel';
import { deleteFinishedBefore } from './delivery-log.store.js';

/** Deliveries deleted per transaction, so that pruning a long log never holds the hub's writers back. */
const BATCH = 1_000;
const HOUR_MS = 3_600_000;

/**
 * Keeps the delivery log to `retentionHours` (0 keeps it all): every hour, deliveries that finished longer
 * ago than that go, with their attempts. Several hub instances may prune at once; each deletes what the other
 * has not.
 */
export function createDeliveryLogPruner(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionHours: number;
}) {
  /** Deletes every finished delivery past the retention; returns how many. */
  const prune = async (): Promise<number> => {
    if (deps.retentionHours === 0) return 0;
    const before = new Date(deps.clock.now().getTime() - deps.retentionHours * HOUR_MS).toISOString();
    let total = 0;
    for (;;) {
      const deleted = await deps.db.transaction((tx) => deleteFinishedBefore(tx, before, BATCH));
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total > 0) deps.logger.info({ deleted: total, before }, 'pruned the webhook delivery log');
    return total;
  };

  const job = periodicJob(prune, {
    intervalMs: HOUR_MS,
    logger: deps.logger,
    failure: 'webhook delivery log pruning failed; retrying next hour',
  });
  return { prune, start: job.start, stop: job.stop };
}
