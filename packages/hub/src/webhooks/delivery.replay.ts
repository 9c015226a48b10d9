import { unprocessable, type Db, type IdGenerator } from '@tillstream/kernel';
import { typeCondition } from '../events/event-patterns.js';
import { readHorizon } from '../events/event-log.retention.js';
import { enqueueDeliveries, type NewDelivery } from './delivery.store.js';

/** Events enqueued per transaction, and the most one replay request may enqueue. */
const CHUNK = 500;
export const REPLAY_MAX_EVENTS = 100_000;
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

export interface ReplayRange {
  /** Inclusive; compared with the CloudEvents `time` of the events (UTC, normalised by the caller). */
  since: string;
  until?: string;
  /** Only events whose deliveries to this webhook all failed (gave up), e.g. after a long outage. */
  failedOnly?: boolean;
}

interface Candidate {
  position: number;
  eventId: string;
  type: string;
  partitionKey: string;
}

type Row = Record<string, string | number>;

async function candidates(
  db: Db,
  subscription: { id: string; events: string[] },
  range: ReplayRange,
): Promise<Candidate[]> {
  const until = range.until ?? END_OF_TIME;
  if (range.failedOnly) {
    const rows = await db.query<Row>(
      `SELECT DISTINCT d.event_position, d.event_id, d.event_type, d.partition_key FROM webhook_deliveries d
       JOIN events e ON e.position = d.event_position
       WHERE d.subscription_id = $1 AND d.status = 'failed' AND e.event_time >= $2 AND e.event_time < $3
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
                         WHERE x.subscription_id = d.subscription_id AND x.event_id = d.event_id AND x.status <> 'failed')
       ORDER BY d.event_position LIMIT $4`,
      [subscription.id, range.since, until, REPLAY_MAX_EVENTS + 1],
    );
    return rows.map((row) => ({
      position: Number(row.event_position),
      eventId: String(row.event_id),
      type: String(row.event_type),
      partitionKey: String(row.partition_key),
    }));
  }
  const filter = typeCondition(subscription.events, 4);
  const rows = await db.query<Row>(
    `SELECT position, event_id, type, partition_key FROM events
     WHERE event_time >= $1 AND event_time < $2 AND ${filter.sql} ORDER BY position LIMIT $3`,
    [range.since, until, REPLAY_MAX_EVENTS + 1, ...filter.params],
  );
  return rows.map((row) => ({
    position: Number(row.position),
    eventId: String(row.event_id),
    type: String(row.type),
    partitionKey: String(row.partition_key),
  }));
}

/**
 * Enqueues every event of a time range that the webhook subscribes to (or only the ones whose deliveries
 * failed), in log order, behind whatever is still open for each key. Returns how many were enqueued.
 */
export async function replayDeliveries(
  db: Db,
  ids: IdGenerator,
  subscription: { id: string; events: string[] },
  range: ReplayRange,
  now: string,
): Promise<number> {
  const { prunedIndexedAt } = await readHorizon(db);
  // Events indexed up to then may be gone, and with them any of the range's: refused, not replayed in part.
  if (prunedIndexedAt !== null && range.since <= prunedIndexedAt) {
    const retainedSince = new Date(Date.parse(prunedIndexedAt) + 1).toISOString();
    throw unprocessable(
      'replay_beyond_retention',
      `The hub log no longer holds events from before ${retainedSince}; replay from then on`,
      { retainedSince },
    );
  }
  const found = await candidates(db, subscription, range);
  if (found.length > REPLAY_MAX_EVENTS)
    throw unprocessable('replay_too_large', `More than ${REPLAY_MAX_EVENTS} events match; narrow the range`, {
      maxEvents: REPLAY_MAX_EVENTS,
    });
  let enqueued = 0;
  for (let start = 0; start < found.length; start += CHUNK) {
    const chunk: NewDelivery[] = found.slice(start, start + CHUNK).map((event) => ({
      id: ids.next(),
      subscriptionId: subscription.id,
      eventId: event.eventId,
      eventPosition: event.position,
      eventType: event.type,
      partitionKey: event.partitionKey,
      origin: 'replay',
    }));
    // An event pruned since the read above is skipped (see enqueueDeliveries).
    enqueued += await db.transaction((tx) => enqueueDeliveries(tx, chunk, now));
  }
  return enqueued;
}
