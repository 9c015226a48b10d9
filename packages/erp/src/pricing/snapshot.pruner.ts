import { createRetentionJob, type Clock, type Db, type Logger } from '@tillstream/kernel';

/**
 * Up to $2 versions no longer in effect at $1: every one below the newest minted at or before it. That one
 * stays, as the snapshot a till that kept polling held at the cutoff, and so do all newer ones (the newest
 * among them, which mints the next number, whatever its age).
 */
const DELETE_SUPERSEDED = `
  DELETE FROM pricing_snapshots WHERE version IN (
    SELECT version FROM pricing_snapshots
    WHERE version < (SELECT MAX(version) FROM pricing_snapshots WHERE created_at <= $1)
    ORDER BY version LIMIT $2)`;

/**
 * Keeps minted pricing snapshots `retentionHours` past the moment a newer one replaced them (0 keeps them
 * all): every snapshot holds the whole catalog, and one is minted per change that a till or the storefront
 * then reads, so they go a hundred per transaction. Only a sale priced offline for longer than the retention
 * names a version that is gone; ERP then prices it again with live pricing, as one naming an unknown version
 * (docs/pricing.md).
 */
export function createSnapshotPruner(deps: { db: Db; clock: Clock; logger: Logger; retentionHours: number }) {
  return createRetentionJob({
    ...deps,
    batch: 100,
    what: 'superseded pricing snapshots',
    deleteBatch: (tx, before, limit) => tx.execute(DELETE_SUPERSEDED, [before, limit]),
  });
}
