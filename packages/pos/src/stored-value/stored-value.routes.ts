import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { StoredValueNumber } from '@tillstream/contracts';
import { notFound, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import { posterOf } from '../poster.js';
import type { StoredValueCommands } from './stored-value.commands.js';
import {
  AccountView,
  ExceptionsView,
  ExpiringQuery,
  ExpiringView,
  IssueBody,
  IssueView,
  MovementsView,
  NumberParams,
  RedemptionBody,
  RedemptionView,
} from './stored-value.schemas.js';
import type { StoredValueStore } from './stored-value.store.js';

export function storedValueRoutes(deps: {
  db: Db;
  store: StoredValueStore;
  commands: StoredValueCommands;
}): FastifyPluginAsync {
  const { db, store, commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/stored-value/issues',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Sell a gift card or top one up, paid with ordinary tenders (idempotent by its id)',
          description:
            'Puts `amount` on the card `number` (opened on first use) and counts its payments in the shift. ' +
            'Publishes `pos.stored_value.issued`.',
          body: IssueBody,
          response: { 200: IssueView, 201: IssueView },
        },
      },
      async (request, reply) => {
        const { created, document } = await commands.issue(request.body, posterOf(request));
        return reply.code(created ? 201 : 200).send(document);
      },
    );

    app.get(
      '/stored-value/exceptions',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Sales rung offline that spent more of a card than it held, for review',
          querystring: Type.Object({
            number: Type.Optional(StoredValueNumber),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          }),
          response: { 200: ExceptionsView },
        },
      },
      async (request) => ({ exceptions: await store.exceptions(db, request.query) }),
    );

    app.get(
      '/stored-value/expiring',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Gift cards with value left that expire before an instant, soonest first',
          description:
            'The holders to remind before their value lapses, and (`outstanding`) the breakage to expect per ' +
            'currency. Cards past their expiry that the sweeper has not lapsed yet are included.',
          querystring: ExpiringQuery,
          response: { 200: ExpiringView },
        },
      },
      async (request) => {
        const { limit } = request.query;
        const before = new Date(request.query.before).toISOString();
        const [expiresAt, number] = request.query.after?.split('~') ?? [];
        const cards = await store.expiring(db, {
          before,
          after: expiresAt && number ? { expiresAt, number } : null,
          limit,
        });
        const last = cards.length === limit ? cards[cards.length - 1] : undefined;
        return {
          cards,
          next: last ? `${last.expiresAt}~${last.number}` : null,
          outstanding: await store.expiringTotals(db, before),
        };
      },
    );

    app.get(
      '/stored-value/:number',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'The balance of a gift card or store credit',
          params: NumberParams,
          response: { 200: AccountView },
        },
      },
      async (request) => {
        const account = await store.account(db, request.params.number);
        if (!account) throw notFound('stored_value_not_found', `No card ${request.params.number}`);
        return account;
      },
    );

    app.get(
      '/stored-value/:number/movements',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'The ledger of a gift card or store credit: its balance is the sum of these',
          params: NumberParams,
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
          response: { 200: MovementsView },
        },
      },
      async (request) => {
        const { number } = request.params;
        if (!(await store.account(db, number))) throw notFound('stored_value_not_found', `No card ${number}`);
        return { number, movements: await store.movements(db, number, request.query.limit) };
      },
    );

    app.post(
      '/stored-value/:number/redemptions',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Hold value of a card for a sale about to complete (online terminals; idempotent by id)',
          description:
            'Debits the balance now, or 409 `insufficient_balance` with the `balance` left: concurrent ' +
            'redemptions never take it below zero. The sale then names the hold in its payment ' +
            '(`redemptionId`); an abandoned sale cancels it. A hold no sale claims by `expiresAt` (the till ' +
            'crashed) goes back to the card by itself (`expired`); a sale naming it later still stands, debiting ' +
            'the card as if rung offline.',
          params: NumberParams,
          body: RedemptionBody,
          response: { 200: RedemptionView, 201: RedemptionView },
        },
      },
      async (request, reply) => {
        const { created, redemption } = await commands.redeem(
          { ...request.body, number: request.params.number },
          posterOf(request),
        );
        return reply.code(created ? 201 : 200).send(redemption);
      },
    );

    app.post(
      '/stored-value/redemptions/:id/cancel',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Give a held redemption back to its card (the sale was abandoned)',
          description:
            '409 `stored_value_redemption_claimed` when a sale used it already. Cancelling twice answers the same; ' +
            'a hold that expired is answered as it is (`expired`: back on the card already).',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: RedemptionView },
        },
      },
      async (request) => commands.cancel(request.params.id, posterOf(request)),
    );
  };
}
