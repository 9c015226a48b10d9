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
      await tx.execute(
        'INSERT INTO events (event_id, type, source, envelope) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [event.id, event.type, event.source, JSON.stringify(event)],
      );
    },
  };
}
