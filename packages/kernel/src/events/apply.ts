import type { CloudEvent } from '@tillstream/contracts';
import type { Db, Tx } from '../db/port.js';
import type { ConsumerSpec } from './port.js';
import { causedBy } from './origin.js';

export interface LogItem {
  event: CloudEvent;
  /** Position in the source log (outbox position, or JetStream stream sequence). */
  position: number;
}

const UPSERT_CHECKPOINT = `
  INSERT INTO consumer_checkpoints (consumer, source, position, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (consumer, source) DO UPDATE SET
    position = CASE WHEN excluded.position > consumer_checkpoints.position
                    THEN excluded.position ELSE consumer_checkpoints.position END,
    updated_at = excluded.updated_at`;

/**
 * Inserts the inbox rows of these events; returns the ids that were not there yet. On PostgreSQL in one
 * statement: each statement is a round trip, and a `writev` that wakes the server, a third of a consuming
 * service's CPU under load. On SQLite, in process, one per event (RETURNING there costs as much as the insert).
 */
async function recordInInbox(
  tx: Tx,
  consumer: string,
  events: readonly CloudEvent[],
  now: string,
): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (events.length === 0) return fresh;
  if (tx.dialect === 'postgres') {
    const rows = events.map((_, index) => `($1, $2, $${index + 3})`).join(', ');
    const inserted = await tx.query<{ event_id: string }>(
      `INSERT INTO inbox (consumer, processed_at, event_id) VALUES ${rows} ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, now, ...events.map((event) => event.id)],
    );
    for (const row of inserted) fresh.add(row.event_id);
    return fresh;
  }
  for (const event of events) {
    const inserted = await tx.execute(
      'INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [consumer, event.id, now],
    );
    if (inserted > 0) fresh.add(event.id);
  }
  return fresh;
}

/** Whether the consumer handles this event; the others only move its position. */
export function wants(spec: Pick<ConsumerSpec, 'types'>, event: CloudEvent): boolean {
  return spec.types === '*' || spec.types.includes(event.type);
}

/**
 * Applies events exactly once in effect: for each, an inbox row (consumer, event id) is inserted and the
 * handler runs only if that row is new (unless its own effects make a second delivery change nothing, see
 * `redeliverySafe`); the checkpoint moves in the same transaction. A crash before commit
 * leaves nothing behind, so redelivery is harmless. Returns how many events were new.
 */
export async function applyEvents(
  spec: ConsumerSpec,
  source: string,
  items: readonly LogItem[],
  now: string,
  /** Runs last inside the transaction; throwing rolls the whole batch back (an exclusive consumer's fence). */
  beforeCommit?: (tx: Tx) => Promise<void>,
): Promise<number> {
  if (items.length === 0) return 0;
  return spec.db.transaction(async (tx) => {
    let applied = 0;
    const events = items.map((item) => item.event).filter((event) => wants(spec, event));
    if (spec.prepare && events.length > 0) await spec.prepare(events, tx);
    const fresh = spec.redeliverySafe ? null : await recordInInbox(tx, spec.name, events, now);
    const opened = tx.origin;
    for (const event of events) {
      // Deleted as it is handled: an event delivered twice within one batch is handled once.
      if (fresh && !fresh.delete(event.id)) continue;
      // Each event's effects are its own: what they write is caused by it, in its trace, under its
      // correlation, although the batch shares one transaction.
      tx.origin = causedBy(event);
      await spec.handle(event, tx);
      applied += 1;
    }
    // What `finish` writes belongs to the whole batch, to no one event.
    tx.origin = opened;
    if (spec.finish && events.length > 0) await spec.finish(tx);
    const last = items[items.length - 1]!;
    await tx.execute(UPSERT_CHECKPOINT, [spec.name, source, last.position, now]);
    await beforeCommit?.(tx);
    return applied;
  });
}

/** The reason stored beside a dead letter: the error's name and message, never its stack. */
export function failureReason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Parks an event that kept failing, with the reason, and moves the consumer past it. */
export async function deadLetter(
  spec: ConsumerSpec,
  source: string,
  item: LogItem,
  error: unknown,
  attempts: number,
  now: string,
): Promise<void> {
  const reason = failureReason(error);
  await spec.db.transaction(async (tx) => {
    await tx.execute(
      `INSERT INTO dead_letters (event_id, consumer, source, position, type, envelope, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (consumer, event_id) DO UPDATE SET
         error = excluded.error, attempts = excluded.attempts, failed_at = excluded.failed_at, redriven_at = NULL`,
      [
        item.event.id,
        spec.name,
        source,
        item.position,
        item.event.type,
        JSON.stringify(item.event),
        reason,
        attempts,
        now,
      ],
    );
    await tx.execute(UPSERT_CHECKPOINT, [spec.name, source, item.position, now]);
  });
}

export async function readCheckpoint(db: Db, consumer: string, source: string): Promise<number> {
  const rows = await db.query<{ position: number | string }>(
    'SELECT position FROM consumer_checkpoints WHERE consumer = $1 AND source = $2',
    [consumer, source],
  );
  return rows[0] ? Number(rows[0].position) : 0;
}

export async function countDeadLetters(db: Db, consumer: string): Promise<number> {
  const rows = await db.query<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM dead_letters WHERE consumer = $1 AND redriven_at IS NULL',
    [consumer],
  );
  return Number(rows[0]?.n ?? 0);
}
