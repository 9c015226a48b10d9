import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { hubMigrations } from './hub.migrations.js';
import { eventIndexConsumer } from './events/event-index.consumer.js';
import { eventRoutes } from './events/events.routes.js';

export interface HubDeps extends ContextDeps {
  /** The contexts whose events the hub serves. */
  sources: readonly string[];
}

/** Integration hub: the platform's events for outside systems, as one ordered, resumable stream. */
export function createHub(deps: HubDeps): ContextModule {
  return {
    name: 'hub',
    migrations: hubMigrations,
    routes: eventRoutes({ db: deps.db }),
    consumers: [eventIndexConsumer(deps.db, deps.sources)],
  };
}
