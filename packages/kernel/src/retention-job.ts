import type { Clock } from './clock.js';
import type { Db, Tx } from './db/port.js';
import type { Logger } from './logger.js';
import { periodicJob } from './periodic.js';

export const HOUR_MS = 3_600_000;

/**
 * Runs `deleteBatch` transaction after transaction until one deletes fewer than `batch` rows, or `stopped`
 * says so; returns how many went. Short transactions hold back neither writers nor (PostgreSQL) vacuum.
 */
export async function deleteInBatches(
  db: Db,
  batch: number,
  deleteBatch: (tx: Tx) => Promise<number>,
  stopped: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const deleted = await db.transaction(deleteBatch);
    total += deleted;
    if (deleted < batch) break;
  }
  return total;
}

export interface RetentionJob {
  /** Deletes everything past the retention now; returns how many rows went. */
  prune(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Keeps a context's record to `retentionHours` (0 keeps it all): every hour, what is older goes, `batch` rows
 * per transaction, so that pruning a long table never holds the context's writers back for long. Several
 * instances of a context may prune at once, so `deleteBatch` deletes only what is still there.
 */
export function createRetentionJob(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionHours: number;
  batch: number;
  /** What is pruned, for the logs: "the webhook delivery log". */
  what: string;
  /** Deletes up to `limit` rows older than `before` in the transaction; returns how many. */
  deleteBatch(tx: Tx, before: string, limit: number): Promise<number>;
}): RetentionJob {
  const prune = async (): Promise<number> => {
    if (deps.retentionHours === 0) return 0;
    const before = new Date(deps.clock.now().getTime() - deps.retentionHours * HOUR_MS).toISOString();
    const total = await deleteInBatches(deps.db, deps.batch, (tx) =>
      deps.deleteBatch(tx, before, deps.batch),
    );
    if (total > 0) deps.logger.info({ deleted: total, before }, `pruned ${deps.what}`);
    return total;
  };
  const job = periodicJob(prune, {
    intervalMs: HOUR_MS,
    logger: deps.logger,
    failure: `pruning ${deps.what} failed; retrying next hour`,
  });
  return { prune, start: job.start, stop: job.stop };
}
