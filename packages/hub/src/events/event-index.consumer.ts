import type { CloudEvent } from '@tillstream/contracts';
import type { Clock, ConsumerSpec, Db, IdGenerator, Tx } from '@tillstream/kernel';
import { matchesAny } from './event-patterns.js';
import { enqueueDeliveries, lockHubWrites } from '../webhooks/delivery.store.js';
import { subscriptionStore } from '../webhooks/subscription.store.js';

export interface EventIndexDeps {
  db: Db;
  sources: readonly string[];
  clock: Clock;
  ids: IdGenerator;
  /** Deliveries were enqueued in the transaction now committing. */
  onEnqueued(): void;
}

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
  return {
    name: 'hub.event-index',
    db: deps.db,
    sources: deps.sources,
    types: '*',
    // The index's unique event id is this consumer's inbox: a redelivered event inserts nothing below.
    redeliverySafe: true,
    // Readers page by position. On PostgreSQL, workers of several sources insert concurrently, and a lower
    // identity value could commit after a higher one that a reader already passed. One writer at a time (the
    // lock is held to commit) makes position order commit order: a reader only ever sees a prefix. Taken once
    // for the batch, before its first insert: per event it was a round trip to PostgreSQL each.
    prepare: (_events, tx) => lockHubWrites(tx),
    async handle(event: CloudEvent, tx) {
      const partitionKey = event.partitionkey ?? event.subject;
      const indexed = await tx.insert(
        `INSERT INTO events (event_id, type, source, envelope, event_time, partition_key)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [event.id, event.type, event.source, JSON.stringify(event), event.time, partitionKey],
        'position',
      );
      if (indexed === null) return;
      const subscribed = (await activeSubscriptions(tx)).filter((subscription) =>
        matchesAny(subscription.events, event.type),
      );
      if (subscribed.length === 0) return;
      await enqueueDeliveries(
        tx,
        subscribed.map((subscription) => ({
          id: deps.ids.next(),
          subscriptionId: subscription.id,
          eventId: event.id,
          eventPosition: indexed,
          eventType: event.type,
          partitionKey,
          origin: 'event',
        })),
        deps.clock.now().toISOString(),
      );
      deps.onEnqueued();
    },
  };
}
