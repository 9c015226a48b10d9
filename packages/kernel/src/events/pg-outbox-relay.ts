import type { Db } from '../db/port.js';
import type { Logger } from '../logger.js';
import type { OutboxStatus } from './port.js';
import { Wakeup } from './wakeup.js';
import { planRelayRound } from './relay-order.js';

/** One committed outbox row on its way to the bus. */
export interface RelayedRow {
  position: number;
  id: string;
  type: string;
  envelope: string;
}

export interface PgOutboxRelayOptions {
  context: string;
  db: Db;
  logger: Logger;
  /** Rows published per round (one relay transaction). */
  batchSize: number;
  /** Safety net besides the wake on every local outbox commit: rows written by other instances. */
  pollIntervalMs: number;
  /** Publishes the rows in order and resolves only once the bus has stored every one of them. */
  publish(rows: readonly RelayedRow[]): Promise<void>;
}

export interface PgOutboxRelay {
  wake(): void;
  status(): Promise<OutboxStatus>;
  /** The error of the last round while rounds keep failing (the bus or the database is down); else none. */
  failure(): string | undefined;
  /** Stops the loop after relaying what is committed now. */
  close(): Promise<void>;
}

/** How long a standby instance waits for the relay lock before trying again at its next wake. */
const RELAY_LOCK_TIMEOUT = '5s';
const LOCK_NOT_AVAILABLE = '55P03';
const MAX_FAILURE_BACKOFF_MS = 30_000;

const CREATE_CHECKPOINT = `
  CREATE TABLE IF NOT EXISTS outbox_relay (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_tx_id xid8 NOT NULL,
    last_position BIGINT NOT NULL,
    relayed_at TIMESTAMPTZ
  );
  INSERT INTO outbox_relay (id, last_tx_id, last_position) VALUES (1, '0', 0) ON CONFLICT (id) DO NOTHING;`;

/*
 * Gap safety: a row is taken only once its transaction id is below the xmin of the statement's snapshot.
 * Every transaction below xmin has finished, and any transaction that writes later gets a larger id, so no
 * row can ever appear behind the (tx_id, position) checkpoint: a lower position that commits late still
 * sorts after the checkpoint because its transaction id does.
 *
 * Per-subject order (relay-order.ts): `sequence` grows by one per change of a subject, so for every batch row
 * the same snapshot also returns the row one `sequence` below it when that row lies after the batch (found
 * through `outbox_subject_sequence`), marked relayable or not. A predecessor before the batch is relayed
 * already; one two sequences back is the predecessor of the row one back, found once that row is in the batch.
 * $4/$5, when set, widen the batch through that key instead of stopping at $3 rows.
 */
const NEXT_ROWS = `
  WITH horizon AS MATERIALIZED (
    SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin
  ), batch AS MATERIALIZED (
    SELECT o.position, o.id, o.type, o.subject, o.envelope, o.tx_id, o.sequence
    FROM outbox o, horizon h
    WHERE (o.tx_id, o.position) > ($1::xid8, $2::bigint)
      AND o.tx_id < h.xmin
      AND ($4::xid8 IS NULL OR (o.tx_id, o.position) <= ($4::xid8, $5::bigint))
    ORDER BY o.tx_id, o.position
    LIMIT $3
  ), tail AS MATERIALIZED (
    SELECT tx_id, position FROM batch ORDER BY tx_id DESC, position DESC LIMIT 1
  ), wanted AS (
    SELECT DISTINCT subject, sequence - 1 AS sequence FROM batch WHERE sequence > 1
  )
  SELECT position, id, type, subject, envelope, tx_id, sequence, true AS relayable, true AS in_batch
  FROM batch
  UNION ALL
  SELECT o.position, NULL, NULL, o.subject, NULL, o.tx_id, o.sequence, o.tx_id < h.xmin, false
  FROM tail t
  CROSS JOIN horizon h
  JOIN wanted w ON true
  JOIN outbox o ON o.subject = w.subject AND o.sequence = w.sequence
  WHERE (o.tx_id, o.position) > (t.tx_id, t.position)
  ORDER BY tx_id, position`;

/**
 * Whether anything committed lies past the checkpoint, asked without a transaction or the lock: a poll that
 * finds nothing (nearly every poll of an idle context) then costs one statement instead of a locked round's
 * seven. A missing checkpoint row counts as something, so the round that follows reports it.
 */
const ANYTHING_PAST_CHECKPOINT = `
  SELECT NOT EXISTS (SELECT 1 FROM outbox_relay WHERE id = 1)
      OR EXISTS (SELECT 1 FROM outbox o, outbox_relay r
                 WHERE r.id = 1 AND (o.tx_id, o.position) > (r.last_tx_id, r.last_position)) AS anything`;

interface RoundRow {
  position: number;
  id: string | null;
  type: string | null;
  subject: string;
  envelope: string | null;
  /** xid8 arrives as text. */
  tx_id: string;
  sequence: string | number | null;
  relayable: boolean;
  in_batch: boolean;
}

function relayedRow(row: RoundRow): RelayedRow {
  return { position: row.position, id: row.id!, type: row.type!, envelope: row.envelope! };
}

/** How soon to look again when committed rows wait behind an older open transaction. */
const PENDING_RECHECK_MS = 5;
/** Under steady load some transaction is nearly always open; never wait longer than this for it to end. */
const PENDING_RECHECK_MAX_MS = 40;
/** How long close() keeps relaying rows that wait behind other transactions. */
const CLOSE_FLUSH_MS = 3_000;

const STATUS = `
  SELECT (SELECT COUNT(*) FROM outbox o
          WHERE (o.tx_id, o.position) > (r.last_tx_id, r.last_position)) AS backlog,
         (SELECT COALESCE(MAX(position), 0) FROM outbox) AS head
  FROM outbox_relay r WHERE r.id = 1`;

/**
 * Relays one context's PostgreSQL outbox to the bus, gap-safe and in commit order. Progress is a
 * checkpoint row; each round holds a transaction-scoped advisory lock of the context, so of several
 * instances of the context one relays at a time while the others stand by. The checkpoint moves only after
 * the bus acknowledged the rows; a crash in between re-publishes them, which the bus drops as duplicates of
 * the same message id.
 */
export async function startPgOutboxRelay(options: PgOutboxRelayOptions): Promise<PgOutboxRelay> {
  const { db, logger, context } = options;
  // Advisory, not a row lock: an idle round then takes no transaction id, so polling neither burns ids nor
  // holds back the snapshot xmin that decides which rows may be relayed.
  const relayLock = `tillstream_outbox_relay_${context}`;
  await db.transaction(async (tx) => {
    // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin; the lock makes it so.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [relayLock]);
    await tx.exec(CREATE_CHECKPOINT);
  });

  const wakeup = new Wakeup();
  let closing = false;
  let lastFailure: string | undefined;

  /**
   * Relays one batch. 'more': the batch was full; 'pending': committed-or-not rows exist past the checkpoint
   * but an older transaction still holds back the xmin, so they are not yet safe to relay; 'idle': nothing.
   * `lookFirst` when the loop woke from its poll rather than for a local commit: a local commit means rows to
   * relay, while a poll, the safety net for rows of other instances, usually finds none.
   */
  async function relayRound(lookFirst: boolean): Promise<'more' | 'pending' | 'idle'> {
    if (lookFirst) {
      const [row] = await db.query<{ anything: boolean }>(ANYTHING_PAST_CHECKPOINT);
      if (!row?.anything) return 'idle';
    }
    return db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL lock_timeout = '${RELAY_LOCK_TIMEOUT}'`);
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [relayLock]);
      const [checkpoint] = await tx.query<{ last_tx_id: string; last_position: number }>(
        'SELECT last_tx_id::text AS last_tx_id, last_position FROM outbox_relay WHERE id = 1',
      );
      if (!checkpoint) throw new Error(`outbox relay checkpoint of ${context} is missing`);
      let through: RoundRow | null = null;
      for (;;) {
        const rows: RoundRow[] = await tx.query<RoundRow>(NEXT_ROWS, [
          checkpoint.last_tx_id,
          checkpoint.last_position,
          through ? null : options.batchSize,
          through?.tx_id ?? null,
          through?.position ?? null,
        ]);
        const batchCount = rows.filter((row) => row.in_batch).length;
        if (batchCount === 0) {
          const [waiting] = await tx.query<{ waiting: boolean }>(
            'SELECT EXISTS (SELECT 1 FROM outbox WHERE (tx_id, position) > ($1::xid8, $2)) AS waiting',
            [checkpoint.last_tx_id, checkpoint.last_position],
          );
          return waiting?.waiting ? 'pending' : 'idle';
        }
        const plan = planRelayRound(
          rows.map((row) => ({
            subject: row.subject,
            sequence: row.sequence === null ? null : Number(row.sequence),
            relayable: row.relayable,
          })),
          batchCount,
        );
        if (plan.take === 0) {
          if (plan.held === 'open') return 'pending';
          // A predecessor is relayable but lies past the batch: take the batch through it, in this round.
          through = rows[plan.through!]!;
          continue;
        }
        await options.publish(plan.order.map((index) => relayedRow(rows[index]!)));
        const last = rows[plan.take - 1]!;
        await tx.execute(
          'UPDATE outbox_relay SET last_tx_id = $1::xid8, last_position = $2, relayed_at = now() WHERE id = 1',
          [last.tx_id, last.position],
        );
        if (plan.held === 'open') return 'pending';
        return plan.held === 'beyond' || batchCount >= options.batchSize ? 'more' : 'idle';
      }
    });
  }

  /** Relays one batch, logging a failure; the outcome decides how long the loop sleeps. */
  async function relayRoundSafely(lookFirst = false): Promise<'more' | 'pending' | 'idle' | 'failed'> {
    try {
      const outcome = await relayRound(lookFirst);
      lastFailure = undefined;
      return outcome;
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
        logger.debug({ context }, 'outbox relay busy in another instance');
        // The database answers and another instance relays: nothing of this one to report.
        lastFailure = undefined;
        return 'idle';
      }
      lastFailure = String(error);
      logger.warn({ err: error, context }, 'outbox relay round failed');
      return 'failed';
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    let pendingStreak = 0;
    let polled = false;
    while (!closing) {
      const outcome = await relayRoundSafely(polled);
      polled = false;
      failures = outcome === 'failed' ? failures + 1 : 0;
      if (outcome === 'more') continue;
      // Rows written but held back by an older open transaction become relayable as soon as it ends:
      // look again shortly rather than a whole poll interval later.
      if (outcome === 'pending') {
        pendingStreak += 1;
        await wakeup.wait(
          Math.min(PENDING_RECHECK_MAX_MS, PENDING_RECHECK_MS * 2 ** Math.min(pendingStreak, 10)),
        );
        continue;
      }
      pendingStreak = 0;
      // While the bus or the database is down, back off instead of logging a failure every poll.
      polled = !(await wakeup.wait(Math.min(MAX_FAILURE_BACKOFF_MS, options.pollIntervalMs * 2 ** failures)));
    }
    // On close, relay everything committed, waiting a bounded while for transactions that hold back the xmin.
    const deadline = Date.now() + CLOSE_FLUSH_MS;
    for (;;) {
      const outcome = await relayRoundSafely();
      if (outcome === 'idle' || outcome === 'failed' || Date.now() > deadline) break;
      if (outcome === 'pending') await new Promise((resolve) => setTimeout(resolve, PENDING_RECHECK_MS));
    }
  }

  const running = run();
  db.onOutboxCommit(() => wakeup.wake());

  return {
    wake: () => wakeup.wake(),
    failure: () => lastFailure,
    async status() {
      const [row] = await db.query<{ backlog: number; head: number }>(STATUS);
      return { context, backlog: Number(row?.backlog ?? 0), head: Number(row?.head ?? 0) };
    },
    async close() {
      closing = true;
      wakeup.wake();
      await running;
    },
  };
}
