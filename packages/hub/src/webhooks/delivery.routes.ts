import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { conflict, gone, notFound, type Clock, type Db, type IdGenerator } from '@tillstream/kernel';
import { subscriptionStore } from './subscription.store.js';
import { findDelivery, listAttempts, listDeliveries } from './delivery-log.store.js';
import { enqueueDeliveries } from './delivery.store.js';
import { replayDeliveries } from './delivery.replay.js';
import { WebhookParams } from './subscription.schemas.js';
import {
  DeliveryDetail,
  DeliveryList,
  DeliveryListQuery,
  DeliveryParams,
  DeliveryView,
  ReplayBody,
  ReplayResult,
} from './delivery.schemas.js';

export interface DeliveryRoutesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  /** Deliveries were enqueued: the worker should look now. */
  onEnqueued(): void;
}

/** The delivery log of a webhook (every attempt), resending one delivery and replaying a time range. */
export function deliveryRoutes(deps: DeliveryRoutesDeps): FastifyPluginAsync {
  const { db, clock } = deps;

  async function activeSubscription(webhookId: string) {
    const subscription = await subscriptionStore.find(db, webhookId);
    if (!subscription) throw notFound('webhook_not_found', `No webhook ${webhookId}`);
    if (subscription.status !== 'active')
      throw conflict('webhook_disabled', `Webhook ${webhookId} is disabled; enable it first`);
    return subscription;
  }

  async function existingDelivery(webhookId: string, deliveryId: string) {
    const delivery = await findDelivery(db, webhookId, deliveryId);
    if (!delivery)
      throw notFound('webhook_delivery_not_found', `Webhook ${webhookId} has no delivery ${deliveryId}`);
    return delivery;
  }

  const hidden = <T extends { seq: number; eventPosition: number }>({
    seq: _s,
    eventPosition: _p,
    ...view
  }: T) => view;
  const tags = ['hub: webhooks'];

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/webhooks/:webhookId/deliveries',
      {
        config: { scope: 'hub:read' },
        schema: {
          tags,
          summary: 'The delivery log of a webhook, newest first',
          params: WebhookParams,
          querystring: DeliveryListQuery,
          response: { 200: DeliveryList },
        },
      },
      async (request) => {
        if (!(await subscriptionStore.find(db, request.params.webhookId)))
          throw notFound('webhook_not_found', `No webhook ${request.params.webhookId}`);
        const { status, before, limit } = request.query;
        return listDeliveries(db, request.params.webhookId, {
          status,
          before: before === undefined ? undefined : Number(before),
          limit,
        });
      },
    );

    app.get(
      '/webhooks/:webhookId/deliveries/:deliveryId',
      {
        config: { scope: 'hub:read' },
        schema: {
          tags,
          summary: 'One delivery with every attempt',
          params: DeliveryParams,
          response: { 200: DeliveryDetail },
        },
      },
      async (request) => {
        const delivery = await existingDelivery(request.params.webhookId, request.params.deliveryId);
        return { ...hidden(delivery), log: await listAttempts(db, delivery.seq) };
      },
    );

    app.post(
      '/webhooks/:webhookId/deliveries/:deliveryId/resend',
      {
        config: { scope: 'hub:write' },
        schema: {
          tags,
          summary: 'Send an event again (same webhook-id), after the open deliveries of its key',
          params: DeliveryParams,
          response: { 202: DeliveryView },
        },
      },
      async (request, reply) => {
        const { webhookId, deliveryId } = request.params;
        await activeSubscription(webhookId);
        const original = await existingDelivery(webhookId, deliveryId);
        const id = deps.ids.next();
        const enqueued = await db.transaction((tx) =>
          enqueueDeliveries(
            tx,
            [{ ...original, id, subscriptionId: webhookId, origin: 'resend' }],
            clock.now().toISOString(),
          ),
        );
        if (enqueued === 0)
          throw gone(
            'delivery_event_pruned',
            'The event of this delivery was pruned from the hub log by its retention; it can no longer be sent',
          );
        deps.onEnqueued();
        return reply.code(202).send(hidden(await existingDelivery(webhookId, id)));
      },
    );

    app.post(
      '/webhooks/:webhookId/replay',
      {
        config: { scope: 'hub:write' },
        schema: {
          tags,
          summary:
            'Send every subscribed event of a time range again (or only the failed ones), in log order',
          params: WebhookParams,
          body: ReplayBody,
          response: { 202: ReplayResult },
        },
      },
      async (request, reply) => {
        const subscription = await activeSubscription(request.params.webhookId);
        const { since, until, failedOnly } = request.body;
        const enqueued = await replayDeliveries(
          db,
          deps.ids,
          subscription,
          {
            since: new Date(since).toISOString(),
            until: until === undefined ? undefined : new Date(until).toISOString(),
            failedOnly,
          },
          clock.now().toISOString(),
        );
        deps.onEnqueued();
        return reply.code(202).send({ enqueued });
      },
    );
  };
}
