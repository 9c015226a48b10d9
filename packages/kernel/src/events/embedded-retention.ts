import type { Clock } from '../clock.js';
import type { Db } from '../db/port.js';
import type { Logger } from '../logger.js';
import { periodicJob } from '../periodic.js';

/**
 * What the embedded engine stops keeping once `eventHours` is set (0 keeps everything).
 *
 * Each context's outbox is its event log, read in place by every consumer of the context. A row goes once it
 * is older than the retention and every consumer of the context has read past it (a consumer that is behind,
 * or stopped on an error, holds the log back). SQLite's outbox rows carry no write time: the hot path would
 * pay for one on every event. Instead each hourly pass records the head position with the time (a mark), and
 * every row at or behind a mark made at least `eventHours` ago is at least that old. So rows become due a
 * retention after the first pass that saw them, and the first pruning comes a retention after it is enabled.
 * The newest row always stays: the log's head is its position.
 *
 * An inbox row guards its consumer against applying an event twice. Here a consumer reads an event again only
 * from its checkpoint, which its effects moved past the event in the same transaction; rows older than the
 * retention (and an hour of margin) go with the events they guarded.
 *
 * A consumer added later (a new version's) starts at the oldest event kept, as a new durable consumer on the
 * scale-out engine starts at the oldest its stream still holds.
 */
export interface EmbeddedRetention {
  /** Prunes this context's outbox; `readUpTo` says where all of its consumers have read (null: unknown). */
  watchOutbox(context: string, db: Db): void;
  /** Prunes the inbox of the consumers in this database. */
  watchInbox(db: Db): void;
  /** Marks the heads and deletes what is due now, as the hourly pass does; resolves to the rows deleted. */
  prune(): Promise<{ outbox: number; inbox: number }>;
  stop(): Promise<void>;
}

/** Rows deleted per transaction: a short write transaction holds back neither producers nor the checkpointer. */
const CHUNK = 5_000;
const HOUR_MS = 3_600_000;
const INBOX_MARGIN_MS = HOUR_MS;

const MARK_HEAD = `
  INSERT INTO outbox_marks (marked_at, position) VALUES ($1, (SELECT COALESCE(MAX(position), 0) FROM outbox))
  ON CONFLICT (marked_at) DO NOTHING`;
/** The newest mark at least the retention old: every row at or behind its position is due by age. */
const DUE_BY_AGE = 'SELECT MAX(position) AS position FROM outbox_marks WHERE marked_at <= $1';
const DELETE_OUTBOX = `
  DELETE FROM outbox WHERE position IN (
    SELECT position FROM outbox
    WHERE position <= $1 AND position < (SELECT MAX(position) FROM outbox)
    ORDER BY position LIMIT ${CHUNK})`;
/** Marks older than the one that dates the rows now due have dated rows already gone. */
const DELETE_OLD_MARKS = `
  DELETE FROM outbox_marks WHERE marked_at < (SELECT MAX(marked_at) FROM outbox_marks WHERE marked_at <= $1)`;
/** `processed_at` is an ISO-8601 UTC string, which sorts as the time it names. */
const DELETE_INBOX = `
  DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox WHERE processed_at < $1 LIMIT ${CHUNK})`;

export function startEmbeddedRetention(options: {
  logger: Logger;
  clock: Clock;
  eventHours: number;
  /** The lowest position every consumer of `context` has read up to; null while one has not said. */
  readUpTo(context: string): Promise<number | null>;
}): EmbeddedRetention {
  const { logger, clock, eventHours } = options;
  const outboxes = new Map<string, Db>();
  const inboxes = new Map<string, Db>();
  let stopped = false;

  async function deleteInChunks(db: Db, sql: string, bound: string | number): Promise<number> {
    let deleted = 0;
    while (!stopped) {
      const chunk = await db.transaction((tx) => tx.execute(sql, [bound]));
      deleted += chunk;
      if (chunk < CHUNK) break;
    }
    return deleted;
  }

  async function pruneOutbox(context: string, db: Db, now: string, cutoff: string): Promise<number> {
    await db.transaction((tx) => tx.execute(MARK_HEAD, [now]));
    const [due] = await db.query<{ position: number | null }>(DUE_BY_AGE, [cutoff]);
    const readUpTo = await options.readUpTo(context);
    if (due?.position == null || readUpTo === null) return 0;
    const deleted = await deleteInChunks(db, DELETE_OUTBOX, Math.min(Number(due.position), readUpTo));
    await db.transaction((tx) => tx.execute(DELETE_OLD_MARKS, [cutoff]));
    if (deleted > 0) logger.info({ context, deleted, before: cutoff }, 'pruned outbox rows past retention');
    return deleted;
  }

  async function pass(): Promise<{ outbox: number; inbox: number }> {
    if (eventHours === 0) return { outbox: 0, inbox: 0 };
    const now = clock.now().getTime();
    const cutoff = new Date(now - eventHours * HOUR_MS).toISOString();
    let outbox = 0;
    for (const [context, db] of outboxes)
      outbox += await pruneOutbox(context, db, new Date(now).toISOString(), cutoff);
    let inbox = 0;
    const inboxCutoff = new Date(now - eventHours * HOUR_MS - INBOX_MARGIN_MS).toISOString();
    for (const db of inboxes.values()) {
      const deleted = await deleteInChunks(db, DELETE_INBOX, inboxCutoff);
      if (deleted > 0)
        logger.info(
          { context: db.context, deleted, before: inboxCutoff },
          'pruned inbox rows past retention',
        );
      inbox += deleted;
    }
    return { outbox, inbox };
  }

  const job = periodicJob(pass, {
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
    prune: pass,
    async stop() {
      stopped = true;
      await job.stop();
    },
  };
}
