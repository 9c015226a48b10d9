import { periodicJob, type Clock, type Db, type Logger } from '@tillstream/kernel';

const HOUR_MS = 3_600_000;
/** Versions deleted per transaction: each holds a whole catalog's prices. */
const CHUNK = 100;

/**
 * Versions no longer in effect at $1: every one below the newest minted at or before it. That one stays, as
 * the snapshot a till that kept polling held at the cutoff, and so do all newer ones (the newest among them,
 * which mints the next number, whatever its age).
 */
const DELETE_SUPERSEDED = `
  DELETE FROM pricing_snapshots WHERE version IN (
    SELECT version FROM pricing_snapshots
    WHERE version < (SELECT MAX(version) FROM pricing_snapshots WHERE created_at <= $1)
    ORDER BY version LIMIT ${CHUNK})`;

/**
 * Keeps minted pricing snapshots `retentionHours` past the moment a newer one replaced them (0 keeps them
 * all): every snapshot holds the whole catalog, and one is minted per change that a till or the storefront
 * then reads. Only a sale priced offline for longer than the retention names a version that is gone; ERP then
 * prices it again with live pricing, as one naming an unknown version (docs/pricing.md).
 */
export function createSnapshotPruner(deps: { db: Db; clock: Clock; logger: Logger; retentionHours: number }) {
  const prune = async (): Promise<number> => {
    if (deps.retentionHours === 0) return 0;
    const before = new Date(deps.clock.now().getTime() - deps.retentionHours * HOUR_MS).toISOString();
    let total = 0;
    for (;;) {
      const deleted = await deps.db.transaction((tx) => tx.execute(DELETE_SUPERSEDED, [before]));
      total += deleted;
      if (deleted < CHUNK) break;
    }
    if (total > 0) deps.logger.info({ deleted: total, before }, 'pruned superseded pricing snapshots');
    return total;
  };
  const job = periodicJob(prune, {
    intervalMs: HOUR_MS,
    logger: deps.logger,
    failure: 'pruning pricing snapshots failed; retrying next hour',
  });
  return { prune, start: job.start, stop: job.stop };
}
