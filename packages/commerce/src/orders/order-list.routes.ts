import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, utcInstant, type Db } from '@tillstream/kernel';
import { decideOrderListFilter, pageOf } from './order-list.decide.js';
import { OrderListQuery, OrderPage } from './order-list.schemas.js';
import { orderListStore } from './order-list.store.js';

/** `GET /orders`: the back office's and customer service's list of online orders. */
export function orderListRoutes(deps: { db: Db }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/orders',
      {
        // Not public like one order (whose id is the shopper's receipt): the list shows every shopper's email.
        config: { scope: 'commerce:read' },
        schema: {
          tags: ['commerce'],
          summary: 'List online orders, newest first, by status, shopper email and time placed',
          description:
            'A summary per order (status, email, totals, line and unit counts); `GET /orders/{id}` shows one ' +
            'in full. Newest first: by `placedAt`, then by id, both descending. Pages by keyset: pass the ' +
            "previous page's `next` as `after` (`next` is null on the last page); orders placed meanwhile are " +
            'on the first page, never shifted into later ones. Filters combine: `status` (one or several, ' +
            'comma-separated), `email` (exact, case of A–Z ignored), `from` and `to` (the period [from, to)). ' +
            '400 `invalid_cursor` for an `after` this list did not give; 400 `validation_failed` for an ' +
            'unknown status or parameter, a `limit` outside 1–200, an instant that is not RFC 3339; 422 ' +
            '`order_period_reversed` when `from` is after `to`.',
          querystring: OrderListQuery,
          response: { 200: OrderPage },
        },
      },
      async (request) => {
        const { from, to, ...query } = request.query;
        const filter = decideOrderListFilter({
          ...query,
          ...(from ? { from: utcInstant(from) } : {}),
          ...(to ? { to: utcInstant(to) } : {}),
        });
        const rows = await orderListStore.page(deps.db, filter);
        if (!rows)
          throw invalid('invalid_cursor', `${filter.after?.slice(0, 100)} names no order to page after`);
        const { items, next } = pageOf(rows, filter.limit);
        return { orders: items, next };
      },
    );
  };
}
