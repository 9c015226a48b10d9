import type { FastifyPluginAsync } from 'fastify';
import { EVENT_CATALOG } from '@tillstream/contracts';
import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { hubMigrations } from './hub.migrations.js';
import { eventIndexConsumer } from './events/event-index.consumer.js';
import { eventRoutes } from './events/events.routes.js';
import { createEventLogPruner } from './events/event-log.pruner.js';
import { createEventTail } from './stream/event-tail.js';
import { streamRoutes } from './stream/stream.routes.js';
import { subscriptionRoutes } from './webhooks/subscription.routes.js';
import { deliveryRoutes } from './webhooks/delivery.routes.js';
import { startDeliveryWorker, type DeliveryWorker } from './webhooks/delivery.worker.js';
import { createSender } from './webhooks/delivery.sender.js';
import { createDeliveryLogPruner } from './webhooks/delivery-log.pruner.js';
import { createUrlPolicy } from './webhooks/url-policy.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/webhook.settings.js';

export interface HubDeps extends ContextDeps {
  /** The contexts whose events the hub serves; its own (`hub.*`) are always included. */
  sources: readonly string[];
  webhooks?: Partial<WebhookSettings>;
}

/**
 * Integration hub: the platform's events for outside systems, as one ordered, resumable stream (paged or
 * live over SSE) and as signed webhooks with retries, a delivery log, resend and replay.
 */
export function createHub(deps: HubDeps): ContextModule {
  const settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...deps.webhooks };
  const { db, clock, ids } = deps;
  const policy = createUrlPolicy({ allowedHosts: settings.allowedHosts, resolve: settings.resolve });
  const knownTypes = [...new Set(EVENT_CATALOG.map((contract) => contract.type))];
  const tail = createEventTail(db, { pollIntervalMs: settings.pollIntervalMs, logger: deps.logger });
  let worker: DeliveryWorker | null = null;
  const logPruner = createDeliveryLogPruner({
    db,
    clock,
    logger: deps.logger,
    retentionHours: settings.logRetentionHours,
  });
  const eventPruner = createEventLogPruner({
    db,
    clock,
    logger: deps.logger,
    retentionHours: settings.eventRetentionHours,
  });
  const wakeWorker = () => worker?.wake();

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(eventRoutes({ db }));
    await app.register(streamRoutes({ db, tail, heartbeatMs: settings.streamHeartbeatMs }));
    await app.register(
      subscriptionRoutes({
        ...deps,
        policy,
        knownTypes,
        rotationGraceSeconds: settings.rotationGraceSeconds,
        onResumed: wakeWorker,
      }),
    );
    await app.register(deliveryRoutes({ db, clock, ids, onEnqueued: wakeWorker }));
  };

  return {
    name: 'hub',
    migrations: hubMigrations,
    routes,
    consumers: [
      eventIndexConsumer({
        db,
        clock,
        ids,
        sources: [...new Set([...deps.sources, 'hub'])],
        onEnqueued: wakeWorker,
      }),
    ],
    async start() {
      worker ??= startDeliveryWorker({
        ...deps,
        sender: createSender({
          policy,
          timeoutMs: settings.attemptTimeoutMs,
          maxSockets: settings.concurrency,
        }),
        policy: settings.policy,
        concurrency: settings.concurrency,
        attemptTimeoutMs: settings.attemptTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        random: settings.random,
      });
      logPruner.start();
      eventPruner.start();
    },
    async stop() {
      tail.close();
      await logPruner.stop();
      await eventPruner.stop();
      await worker?.stop();
      worker = null;
    },
  };
}
