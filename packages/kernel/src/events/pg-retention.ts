import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/port.js';
import type { Logger } from '../logger.js';
import {
  DELETE_INBOX,
  INBOX_MARGIN_MS,
  RETENTION_CHUNK,
  startRetentionPasses,
  type Retention,
} from './retention.js';
import { HOUR_MS } from '../retention-job.js';

export type { Retention } from './retention.js';

/**
 * What the scale-out engine stops keeping, and when.
 *
 * An outbox row has done its work once the relay published it: the context's stream holds the event from then
 * on, and nothing reads a row behind the relay's checkpoint again (the relay's per-subject look-ups only reach
 * past its batch). Relayed rows are kept `outboxHours` all the same, for inspection and for publishing again
 * by hand should a stream be lost.
 *
 * An inbox row guards against a second delivery of its event. JetStream delivers an event again only while
 * the stream still holds it: after an ack wait, or when a durable consumer created anew replays the stream
 * from its start. With streams that keep events `eventHours` (their max age), an event still in a stream was
 * published, and so processed, less than that long ago: older inbox rows guard nothing and go, an hour of
 * margin after (for clocks that disagree). While streams keep every event, so does every inbox.
 *
 * The embedded engine's outbox is its event log; embedded-retention.ts prunes it and its inboxes.
 */
export interface RetentionSettings {
  /** Hours a relayed outbox row is kept; 0 keeps every row. */
  outboxHours: number;
  /** Hours the streams keep an event; 0 (they keep every event) keeps every inbox row. */
  eventHours: number;
}

/**
 * Rows the relay passed ((tx_id, position) at or behind its checkpoint, the order it relays in) and written
 * before $1, oldest first. The newest row stays whatever its age: the outbox head (a metric) is its position.
 */
const DELETE_RELAYED = `
  DELETE FROM outbox WHERE position IN (
    SELECT o.position FROM outbox o, outbox_relay r
    WHERE r.id = 1
      AND (o.tx_id, o.position) <= (r.last_tx_id, r.last_position)
      AND o.written_at < $1
      AND o.position < (SELECT MAX(position) FROM outbox)
    ORDER BY o.tx_id, o.position
    LIMIT ${RETENTION_CHUNK})`;

/** Of several instances of a context, one prunes a table at a time; the others skip it this pass. */
const oneInstanceAtATime = (table: string, db: Db) => async (tx: Tx) => {
  const [row] = await tx.query<{ took: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS took', [
    `tillstream_prune_${table}_${db.context}`,
  ]);
  return row?.took === true;
};

export function startRetention(options: {
  logger: Logger;
  clock: Clock;
  settings: RetentionSettings;
}): Retention {
  const { clock, settings } = options;
  return startRetentionPasses({
    logger: options.logger,
    async pass({ outboxes, inboxes, deleteInChunks }) {
      const now = clock.now().getTime();
      let outbox = 0;
      let inbox = 0;
      if (settings.outboxHours > 0) {
        const bound = new Date(now - settings.outboxHours * HOUR_MS).toISOString();
        for (const db of outboxes.values())
          outbox += await deleteInChunks(
            db,
            { table: 'outbox', sql: DELETE_RELAYED, bound },
            oneInstanceAtATime('outbox', db),
          );
      }
      if (settings.eventHours > 0) {
        const bound = new Date(now - settings.eventHours * HOUR_MS - INBOX_MARGIN_MS).toISOString();
        for (const db of inboxes.values())
          inbox += await deleteInChunks(
            db,
            { table: 'inbox', sql: DELETE_INBOX, bound },
            oneInstanceAtATime('inbox', db),
          );
      }
      return { outbox, inbox };
    },
  });
}
