import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import {
  DELETE_INBOX,
  INBOX_MARGIN_MS,
  RETENTION_CHUNK,
  startRetentionPasses,
  type Retention,
} from './retention.js';
import { HOUR_MS } from '../retention-job.js';

const MARK_HEAD = `
  INSERT INTO outbox_marks (marked_at, position) VALUES ($1, (SELECT COALESCE(MAX(position), 0) FROM outbox))
  ON CONFLICT (marked_at) DO NOTHING`;
/** The newest mark at least the retention old: every row at or behind its position is due by age. */
const DUE_BY_AGE = 'SELECT MAX(position) AS position FROM outbox_marks WHERE marked_at <= $1';
/** Rows at or behind $1, oldest first; the newest row stays whatever its age: the log's head is its position. */
const DELETE_OUTBOX = `
  DELETE FROM outbox WHERE position IN (
    SELECT position FROM outbox
    WHERE position <= $1 AND position < (SELECT MAX(position) FROM outbox)
    ORDER BY position LIMIT ${RETENTION_CHUNK})`;
/** Marks older than the one that dates the rows now due have dated rows already gone. */
const DELETE_OLD_MARKS = `
  DELETE FROM outbox_marks WHERE marked_at < (SELECT MAX(marked_at) FROM outbox_marks WHERE marked_at <= $1)`;

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
export function startEmbeddedRetention(options: {
  logger: Logger;
  clock: Clock;
  eventHours: number;
  /** The lowest position every consumer of `context` has read up to; null while one has not said. */
  readUpTo(context: string): Promise<number | null>;
}): Retention {
  const { clock, eventHours } = options;
  return startRetentionPasses({
    logger: options.logger,
    async pass({ outboxes, inboxes, deleteInChunks }) {
      if (eventHours === 0) return { outbox: 0, inbox: 0 };
      const now = clock.now().getTime();
      const cutoff = new Date(now - eventHours * HOUR_MS).toISOString();
      let outbox = 0;
      for (const [context, db] of outboxes) {
        await db.transaction((tx) => tx.execute(MARK_HEAD, [new Date(now).toISOString()]));
        const [due] = await db.query<{ position: number | null }>(DUE_BY_AGE, [cutoff]);
        const readUpTo = await options.readUpTo(context);
        if (due?.position == null || readUpTo === null) continue;
        const bound = Math.min(Number(due.position), readUpTo);
        outbox += await deleteInChunks(db, { table: 'outbox', sql: DELETE_OUTBOX, bound });
        await db.transaction((tx) => tx.execute(DELETE_OLD_MARKS, [cutoff]));
      }
      let inbox = 0;
      const bound = new Date(now - eventHours * HOUR_MS - INBOX_MARGIN_MS).toISOString();
      for (const db of inboxes.values())
        inbox += await deleteInChunks(db, { table: 'inbox', sql: DELETE_INBOX, bound });
      return { outbox, inbox };
    },
  });
}
