import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CartParams } from '../carts/cart.schemas.js';
import type { Checkout } from '../checkout/checkout.commands.js';
import type { OrderCommands } from './order.commands.js';
import { CancelBody, CheckoutBody, OrderParams, OrderView } from './order.schemas.js';

const TAGS = ['commerce'];

export function orderRoutes(deps: { checkout: Checkout; orders: OrderCommands }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/carts/:id/checkout',
      {
        config: { scope: 'public' },
        schema: {
          tags: TAGS,
          summary: 'Check out: hold the stock in ERP, take payment, place the order',
          description:
            'All or nothing: 409 `insufficient_stock` names the short lines and holds nothing. A declined ' +
            'payment (422 `payment_declined`) or a provider timeout (503 `payment_timeout`) releases the hold ' +
            'and leaves the cart open. ERP unreachable: 503 `service_unavailable` with `Retry-After`, nothing ' +
            'held. A cart becomes at most one order: checking it out again answers 200 with that order. ' +
            'Payment method `test` approves unless `outcome` asks otherwise.',
          params: CartParams,
          body: CheckoutBody,
          response: { 200: OrderView, 201: OrderView },
        },
      },
      async (request, reply) => {
        const { created, order } = await deps.checkout(request.params.id, request.body);
        return reply.code(created ? 201 : 200).send(order);
      },
    );

    app.get(
      '/orders/:id',
      {
        config: { scope: 'public' },
        schema: {
          tags: TAGS,
          summary: 'An order and its status (the id is the shopper’s receipt)',
          params: OrderParams,
          response: { 200: OrderView },
        },
      },
      async (request) => deps.orders.find(request.params.id),
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: { scope: 'commerce:write' },
        schema: {
          tags: TAGS,
          summary: 'Cancel before shipping: the held stock goes back (409 after shipping)',
          params: OrderParams,
          body: CancelBody,
          response: { 200: OrderView },
        },
      },
      async (request) =>
        deps.orders.apply(request.params.id, { type: 'cancel', reason: request.body.reason }),
    );
  };
}
