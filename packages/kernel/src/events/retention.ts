import type { Db, Tx } from '../db/port.js';
import type { Logger } from '../logger.js';
import { periodicJob } from '../periodic.js';
import { deleteInBatches, HOUR_MS } from '../retention-job.js';

/** An engine's hourly pruning of its outboxes and inboxes (pg-retention.ts, embedded-retention.ts). */
export interface Retention {
  /** Prunes this context's outbox once its rows are due. */
  watchOutbox(context: string, db: Db): void;
  /** Prunes the inbox of the consumers in this database. */
  watchInbox(db: Db): void;
  /** Deletes what is due now, in chunks, as the hourly pass does; resolves to the rows deleted. */
  prune(): Promise<{ outbox: number; inbox: number }>;
  stop(): Promise<void>;
}

/** Rows deleted per transaction: short transactions hold back neither writers nor (PostgreSQL) vacuum. */
export const RETENTION_CHUNK = 5_000;
/** Inbox rows outlive the events they guard by this much, for clocks that disagree. */
export const INBOX_MARGIN_MS = HOUR_MS;

/** Inbox rows processed before $1. `processed_at` is an ISO-8601 UTC string, which sorts as the time it names. */
export const DELETE_INBOX = `
  DELETE FROM inbox WHERE (consumer, event_id) IN (
    SELECT consumer, event_id FROM inbox WHERE processed_at < $1 LIMIT ${RETENTION_CHUNK})`;

export interface RetentionScope {
  outboxes: ReadonlyMap<string, Db>;
  inboxes: ReadonlyMap<string, Db>;
  /**
   * Runs `sql` (deleting at most a chunk, bound to `$1`) transaction after transaction until a chunk comes back
   * short or the retention stops; `mayDelete`, first in each transaction, can skip it (another instance prunes).
   * Logs what went.
   */
  deleteInChunks(
    db: Db,
    what: { table: string; sql: string; bound: string | number },
    mayDelete?: (tx: Tx) => Promise<boolean>,
  ): Promise<number>;
}

/** Runs an engine's retention `pass` every hour, one at a time, over the outboxes and inboxes it is shown. */
export function startRetentionPasses(options: {
  logger: Logger;
  pass(scope: RetentionScope): Promise<{ outbox: number; inbox: number }>;
}): Retention {
  const { logger } = options;
  const outboxes = new Map<string, Db>();
  const inboxes = new Map<string, Db>();
  let stopped = false;

  const scope: RetentionScope = {
    outboxes,
    inboxes,
    async deleteInChunks(db, { table, sql, bound }, mayDelete) {
      const deleted = await deleteInBatches(
        db,
        RETENTION_CHUNK,
        async (tx) => (!mayDelete || (await mayDelete(tx)) ? tx.execute(sql, [bound]) : 0),
        () => stopped,
      );
      if (deleted > 0)
        logger.info({ context: db.context, table, deleted, bound }, 'pruned rows past retention');
      return deleted;
    },
  };
  const prune = () => options.pass(scope);
  const job = periodicJob(prune, {
    intervalMs: HOUR_MS,
    logger,
    failure: 'pruning past retention failed',
  });
  job.start();

  return {
    watchOutbox(context, db) {
      outboxes.set(context, db);
    },
    watchInbox(db) {
      inboxes.set(db.context, db);
    },
    prune,
    async stop() {
      stopped = true;
      await job.stop();
    },
  };
}
