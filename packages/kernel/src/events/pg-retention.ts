import type { Clock } from '../clock.js';
import type { Db } from '../db/port.js';
import type { Logger } from '../logger.js';
import { periodicJob } from '../periodic.js';

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

export interface Retention {
  /** Prunes the outbox of this context once relayed rows are due. */
  watchOutbox(context: string, db: Db): void;
  /** Prunes the inbox of this context's consumers. */
  watchInbox(db: Db): void;
  /** Deletes what is due now, in chunks, as the hourly pass does; resolves to the rows deleted. */
  prune(): Promise<{ outbox: number; inbox: number }>;
  stop(): Promise<void>;
}

/** Rows deleted per transaction: short transactions hold back neither the relay's snapshot nor vacuum. */
const CHUNK = 5_000;
const HOUR_MS = 3_600_000;
/** Rows become due by the hour. */
const PASS_EVERY_MS = HOUR_MS;
const INBOX_MARGIN_MS = HOUR_MS;

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
    LIMIT ${CHUNK})`;

/** `processed_at` is an ISO-8601 UTC string, which sorts as the time it names. */
const DELETE_INBOX = `
  DELETE FROM inbox WHERE (consumer, event_id) IN (
    SELECT consumer, event_id FROM inbox WHERE processed_at < $1 LIMIT ${CHUNK})`;

export function startRetention(options: {
  logger: Logger;
  clock: Clock;
  settings: RetentionSettings;
}): Retention {
  const { logger, clock, settings } = options;
  const outboxes = new Map<string, Db>();
  const inboxes = new Map<string, Db>();
  let stopped = false;

  /**
   * Deletes chunk after chunk of `sql` in one context's database. Of several instances of the context one
   * prunes a table at a time; the others skip it this pass.
   */
  async function deleteDue(db: Db, table: string, sql: string, before: string): Promise<number> {
    const lock = `tillstream_prune_${table}_${db.context}`;
    let deleted = 0;
    while (!stopped) {
      const chunk = await db.transaction(async (tx) => {
        const [row] = await tx.query<{ took: boolean }>(
          'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS took',
          [lock],
        );
        return row?.took ? tx.execute(sql, [before]) : 0;
      });
      deleted += chunk;
      if (chunk < CHUNK) break;
    }
    if (deleted > 0)
      logger.info({ context: db.context, table, deleted, before }, 'pruned rows past retention');
    return deleted;
  }

  async function pass(): Promise<{ outbox: number; inbox: number }> {
    const now = clock.now().getTime();
    let outbox = 0;
    let inbox = 0;
    if (settings.outboxHours > 0) {
      const before = new Date(now - settings.outboxHours * HOUR_MS).toISOString();
      for (const db of outboxes.values()) outbox += await deleteDue(db, 'outbox', DELETE_RELAYED, before);
    }
    if (settings.eventHours > 0) {
      const before = new Date(now - settings.eventHours * HOUR_MS - INBOX_MARGIN_MS).toISOString();
      for (const db of inboxes.values()) inbox += await deleteDue(db, 'inbox', DELETE_INBOX, before);
    }
    return { outbox, inbox };
  }

  const job = periodicJob(pass, {
    intervalMs: PASS_EVERY_MS,
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
