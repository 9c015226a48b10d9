import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { keepOrigin, notFound, type Clock, type Db, type IdGenerator, type Outbox } from '@tillstream/kernel';
import { decideCreate, decideRotate, decideUpdate, type Subscription } from './subscription.decide.js';
import { subscriptionStore as store } from './subscription.store.js';
import { resumeDeliveries } from './delivery.store.js';
import { newSecret } from './signing.js';
import type { UrlPolicy } from './url-policy.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  RotatedSecret,
  RotateSecretBody,
  UpdateWebhookBody,
  WebhookParams,
  WebhookView,
} from './subscription.schemas.js';

export interface SubscriptionRoutesDeps {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  policy: UrlPolicy;
  /** Published event types, which every subscribed pattern must match. */
  knownTypes: readonly string[];
  rotationGraceSeconds: number;
  /** Deliveries became due (a subscription was enabled again). */
  onResumed(): void;
}

/** What the API shows of a subscription: everything but its secrets. */
export const viewOf = ({ secret: _secret, previousSecret: _previous, ...view }: Subscription) => view;

const missing = (id: string) => notFound('webhook_not_found', `No webhook ${id}`);

export function subscriptionRoutes(deps: SubscriptionRoutesDeps): FastifyPluginAsync {
  const { db, clock, knownTypes } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const write = { config: { scope: 'hub:write' as const } };
    // Answers a signing secret, shown once: an Idempotency-Key replay says so rather than show it again.
    const writeSecret = { config: { scope: 'hub:write' as const, secretInAnswer: true as const } };
    const read = { config: { scope: 'hub:read' as const } };
    const tags = ['hub: webhooks'];

    app.post(
      '/webhooks',
      {
        ...writeSecret,
        schema: {
          tags,
          summary: 'Subscribe an endpoint to event types; answers its signing secret once',
          body: CreateWebhookBody,
          response: { 201: CreatedWebhook },
        },
      },
      async (request, reply) => {
        const url = await deps.policy.check(request.body.url);
        const now = clock.now().toISOString();
        const subscription = decideCreate(
          { ...request.body, url: url.href },
          { id: deps.ids.next(), secret: newSecret(), now, knownTypes },
        );
        await db.transaction((tx) => store.insert(tx, subscription));
        return reply.code(201).send({ ...viewOf(subscription), secret: subscription.secret });
      },
    );

    app.get(
      '/webhooks',
      {
        ...read,
        schema: {
          tags,
          summary: 'List webhooks',
          response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }) },
        },
      },
      async () => ({ webhooks: (await store.list(db)).map(viewOf) }),
    );

    app.get(
      '/webhooks/:webhookId',
      {
        ...read,
        schema: { tags, summary: 'Get a webhook', params: WebhookParams, response: { 200: WebhookView } },
      },
      async (request) => {
        const subscription = await store.find(db, request.params.webhookId);
        if (!subscription) throw missing(request.params.webhookId);
        return viewOf(subscription);
      },
    );

    app.patch(
      '/webhooks/:webhookId',
      {
        ...write,
        schema: {
          tags,
          summary: 'Change the URL, the event types or the description; disable or enable',
          params: WebhookParams,
          body: UpdateWebhookBody,
          response: { 200: WebhookView },
        },
      },
      async (request) => {
        const { webhookId } = request.params;
        const inRequest = keepOrigin();
        const url =
          request.body.url === undefined ? undefined : (await deps.policy.check(request.body.url)).href;
        const now = clock.now().toISOString();
        const change = await inRequest(() =>
          db.transaction(async (tx) => {
            const current = await store.findForUpdate(tx, webhookId);
            if (!current) throw missing(webhookId);
            const decided = decideUpdate(current, { ...request.body, url }, { now, knownTypes });
            if (!decided.changed) return decided;
            await store.save(tx, decided.state);
            await deps.outbox.append(tx, decided.events);
            if (decided.resumed) await resumeDeliveries(tx, webhookId, now);
            return decided;
          }),
        );
        if (change.resumed) deps.onResumed();
        return viewOf(change.state);
      },
    );

    app.delete(
      '/webhooks/:webhookId',
      {
        ...write,
        schema: {
          tags,
          summary: 'Delete a webhook with its delivery log',
          params: WebhookParams,
          response: { 204: Type.Null({ description: 'Deleted' }) },
        },
      },
      async (request, reply) => {
        const deleted = await db.transaction((tx) => store.delete(tx, request.params.webhookId));
        if (!deleted) throw missing(request.params.webhookId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/webhooks/:webhookId/rotate-secret',
      {
        ...writeSecret,
        schema: {
          tags,
          summary: 'Replace the signing secret; the old one keeps signing beside it for a grace period',
          params: WebhookParams,
          body: RotateSecretBody,
          response: { 200: RotatedSecret },
        },
      },
      async (request) => {
        const { webhookId } = request.params;
        const grace = request.body.graceSeconds ?? deps.rotationGraceSeconds;
        const rotated = await db.transaction(async (tx) => {
          const current = await store.findForUpdate(tx, webhookId);
          if (!current) throw missing(webhookId);
          const next = decideRotate(current, newSecret(), clock.now(), grace);
          await store.save(tx, next);
          return next;
        });
        return {
          id: rotated.id,
          secret: rotated.secret,
          previousSecretExpiresAt: rotated.previousSecretExpiresAt,
        };
      },
    );
  };
}
