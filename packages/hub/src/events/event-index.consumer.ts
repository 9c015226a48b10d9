import type { CloudEvent } from '@tillstream/contracts';
import {
  placeholderRows,
  type Clock,
  type ConsumerSpec,
  type Db,
  type IdGenerator,
  type Tx,
} from '@tillstream/kernel';
import { matchesAny } from './event-patterns.js';
import { lockHubWrites } from '../hub-write-lock.js';
import { enqueueDeliveries } from '../webhooks/delivery.store.js';
import { subscriptionStore } from '../webhooks/subscription.store.js';

export interface EventIndexDeps {
  db: Db;
  sources: readonly string[];
  clock: Clock;
  ids: IdGenerator;
  /** Deliveries were enqueued in the transaction now committing. */
  onEnqueued(): void;
}

/** Events indexed per statement: seven values each, far below either engine's limit on parameters. */
const ROWS_PER_STATEMENT = 200;

const partitionKeyOf = (event: CloudEvent) => event.partitionkey ?? event.subject;

/**
 * The hub keeps its own ordered copy of every context's events: one log with one cursor for outside systems,
 * the same on both engines. Its order is the order in which the hub received them; each source's own order
 * is preserved. In the same transaction each event becomes one delivery per active webhook subscribed to its
 * type, so a delivery is enqueued exactly once, however often the event arrives.
 */
export function eventIndexConsumer(deps: EventIndexDeps): ConsumerSpec {
  // The active subscriptions, read once per transaction: every event of the batch it indexes is matched
  // against the same list. One committed meanwhile (PostgreSQL) applies from the next batch on, as if it had
  // been made a moment later; the events of this batch were all written before this transaction began.
  const activeIn = new WeakMap<Tx, ReturnType<typeof subscriptionStore.listActive>>();
  const activeSubscriptions = (tx: Tx) => {
    let active = activeIn.get(tx);
    if (!active) {
      active = subscriptionStore.listActive(tx);
      activeIn.set(tx, active);
    }
    return active;
  };
  /** Events handled in a batch and not yet indexed, per transaction. */
  const pendingIn = new WeakMap<Tx, CloudEvent[]>();

  /** Indexes the events (once each: an event seen before inserts nothing) and enqueues their deliveries. */
  async function index(tx: Tx, events: readonly CloudEvent[]): Promise<void> {
    const distinct = [...new Map(events.map((event) => [event.id, event])).values()];
    const positions = new Map<string, number>();
    const indexedAt = deps.clock.now().toISOString();
    for (let start = 0; start < distinct.length; start += ROWS_PER_STATEMENT) {
      const chunk = distinct.slice(start, start + ROWS_PER_STATEMENT);
      const rows = await tx.query<{ event_id: string; position: number | string }>(
        `INSERT INTO events (event_id, type, source, envelope, event_time, partition_key, indexed_at)
         VALUES ${placeholderRows(chunk.length, 7)} ON CONFLICT DO NOTHING RETURNING event_id, position`,
        chunk.flatMap((event) => [
          event.id,
          event.type,
          event.source,
          JSON.stringify(event),
          event.time,
          partitionKeyOf(event),
          indexedAt,
        ]),
      );
      for (const row of rows) positions.set(row.event_id, Number(row.position));
    }
    let enqueued = false;
    for (const event of distinct) {
      const position = positions.get(event.id);
      if (position === undefined) continue;
      const subscribed = (await activeSubscriptions(tx)).filter((subscription) =>
        matchesAny(subscription.events, event.type),
      );
      if (subscribed.length === 0) continue;
      await enqueueDeliveries(
        tx,
        subscribed.map((subscription) => ({
          id: deps.ids.next(),
          subscriptionId: subscription.id,
          eventId: event.id,
          eventPosition: position,
          eventType: event.type,
          partitionKey: partitionKeyOf(event),
          origin: 'event',
        })),
        deps.clock.now().toISOString(),
      );
      enqueued = true;
    }
    if (enqueued) deps.onEnqueued();
  }

  return {
    name: 'hub.event-index',
    db: deps.db,
    sources: deps.sources,
    types: '*',
    // The index's unique event id is this consumer's inbox: a redelivered event inserts nothing below.
    redeliverySafe: true,
    // The log's order is what webhook deliveries of a key follow. Instances indexing one source side by side
    // would commit its batches in either order; one instance at a time keeps the source's own order.
    exclusive: true,
    // Readers page by position. On PostgreSQL, workers of several sources insert concurrently, and a lower
    // identity value could commit after a higher one that a reader already passed. One writer at a time (the
    // lock is held to commit) makes position order commit order: a reader only ever sees a prefix. Taken once
    // for the batch, before its first insert: per event it was a round trip to PostgreSQL each.
    prepare: async (_events, tx) => {
      await lockHubWrites(tx);
      pendingIn.set(tx, []);
    },
    // Events are gathered and indexed together at the end of the batch, a statement per 200 rather than each.
    async handle(event: CloudEvent, tx) {
      const pending = pendingIn.get(tx);
      if (pending) pending.push(event);
      else await index(tx, [event]);
    },
    async finish(tx) {
      await index(tx, pendingIn.get(tx) ?? []);
      pendingIn.delete(tx);
    },
  };
}
