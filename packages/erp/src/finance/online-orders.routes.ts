import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, type Clock, type Db } from '@tillstream/kernel';
import {
  awaitingPage,
  decodeAwaitingCursor,
  decodeDepositCursor,
  depositPage,
  onlineOrderStanding,
  waitingCutoff,
} from './online-orders.decide.js';
import type { OnlineOrderReads } from './online-orders.store.js';
import {
  OnlineOrderParams,
  OnlineOrdersPage,
  OnlineOrdersQuery,
  OnlineOrderView,
} from './online-orders.schemas.js';

/** Online orders as finance holds them: one order's standing, the orders stuck or still holding deposits. */
export function onlineOrderRoutes(deps: {
  db: Db;
  clock: Clock;
  reads: OnlineOrderReads;
}): FastifyPluginAsync {
  const { db, clock, reads } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'finance'];

    app.get(
      '/finance/online-orders/:orderId',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'An online order’s standing in the books: its deposit, what it earned, its shipments',
          description:
            'What customer deposits (2400) hold for the order’s goods and its delivery and what left them ' +
            '(revenue as goods shipped, 4070 with the first parcel, refunds), its stock SKUs’ units ordered ' +
            'and shipped, the shipments booked with their `online_shipment` entries and those waiting for the ' +
            'order (`awaiting_order`: ERP shipped before finance read the placement). 404 ' +
            '`online_order_not_found` for an order finance has booked nothing of.',
          params: OnlineOrderParams,
          response: { 200: OnlineOrderView },
        },
      },
      async (request) => onlineOrderStanding(await reads.order(db, request.params.orderId)),
    );

    app.get(
      '/finance/online-orders',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Online orders whose shipments wait for their placement, or that still hold a deposit',
          description:
            '`status=awaiting_order`: orders ERP shipped whose placement finance has not read, oldest ' +
            'waiting first, each with how long its oldest shipment has waited; `olderThanMinutes` keeps those ' +
            'waiting at least that long. One waiting long usually means the `commerce.order.placed` event ' +
            'was dead-lettered: replay it (docs/finance.md). `status=deposit`: orders whose deposit still ' +
            'holds something, by order id. Page with `cursor` = the previous page’s `next` (opaque; anything ' +
            'else is 400 `invalid_cursor`).',
          querystring: OnlineOrdersQuery,
          response: { 200: OnlineOrdersPage },
        },
      },
      async (request) => {
        const { status, olderThanMinutes, cursor, limit } = request.query;
        const now = clock.now();
        // One more than asked: whether there is a next page, without an empty last one.
        if (status === 'awaiting_order') {
          const rows = await reads.awaiting(db, {
            ...(olderThanMinutes === undefined
              ? {}
              : { shippedBefore: waitingCutoff(now, olderThanMinutes) }),
            ...(cursor === undefined ? {} : { after: decodeAwaitingCursor(cursor) }),
            limit: limit + 1,
          });
          return awaitingPage(rows, limit, now);
        }
        if (olderThanMinutes !== undefined)
          throw invalid(
            'online_orders_query_invalid',
            '`olderThanMinutes` narrows `status=awaiting_order` only',
          );
        const rows = await reads.holdingDeposit(db, {
          ...(cursor === undefined ? {} : { after: decodeDepositCursor(cursor) }),
          limit: limit + 1,
        });
        return depositPage(rows, limit, now);
      },
    );
  };
}
