import type { CloudEvent } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';

/**
 * The hub keeps its own ordered copy of every context's events: one log with one cursor for outside systems,
 * the same on both engines. Its order is the order in which the hub received them; each source's own order
 * is preserved.
 */
export function eventIndexConsumer(db: Db, sources: readonly string[]): ConsumerSpec {
  return {
    name: 'hub.event-index',
    db,
    sources,
    types: '*',
    async handle(event: CloudEvent, tx) {
      // Readers page by position. On PostgreSQL, workers of several sources insert concurrently, and a lower
      // identity value could commit after a higher one that a reader already passed. One writer at a time
      // (the lock is held to commit) makes position order commit order: a reader only ever sees a prefix.
      if (tx.dialect === 'postgres')
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tillstream_hub_events']);
      await tx.execute(
        'INSERT INTO events (event_id, type, source, envelope) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [event.id, event.type, event.source, JSON.stringify(event)],
      );
    },
  };
}
