import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { keepOrigin } from '@tillstream/kernel';
import { CartParams } from '../carts/cart.schemas.js';
import type { Checkout } from '../checkout/checkout.commands.js';
import type { OrderCommands } from './order.commands.js';
import type { Order } from './order.store.js';
import { orderView } from './order.view.js';
import type { Refunds } from './refund.commands.js';
import type { Returns } from './return.commands.js';
import {
  CancelBody,
  CheckoutBody,
  OrderParams,
  OrderView,
  RefundBody,
  RefundView,
  ReturnBody,
  ReturnView,
} from './order.schemas.js';

const TAGS = ['commerce'];

export function orderRoutes(deps: {
  checkout: Checkout;
  orders: OrderCommands;
  refunds: Refunds;
  returns: Returns;
}): FastifyPluginAsync {
  const view = async (order: Order) => orderView(order, await deps.returns.returnedOf(order.id));
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
            'held. A payment approved so late that the hold may have expired is placed on a fresh hold; if the ' +
            'stock is gone by then the payment is refunded and the answer is 409 `insufficient_stock`. A cart ' +
            'becomes at most one order: checking it out again answers 200 with that order. An abandoned cart ' +
            'is 409 `cart_expired`. Payment method `test` approves unless `outcome` asks otherwise.',
          params: CartParams,
          body: CheckoutBody,
          response: { 200: OrderView, 201: OrderView },
        },
      },
      async (request, reply) => {
        const { created, order } = await deps.checkout(request.params.id, request.body);
        return reply.code(created ? 201 : 200).send(orderView(order, new Map()));
      },
    );

    app.get(
      '/orders/:id',
      {
        config: { scope: 'public' },
        schema: {
          tags: TAGS,
          summary: 'An order and its status (the id is the shopper’s receipt)',
          description:
            'Status: placed → allocated → shipped → delivered, or cancelled before shipping; `refunded` once a ' +
            'delivered order was paid back in full. Lines show units still backordered and units returned.',
          params: OrderParams,
          response: { 200: OrderView },
        },
      },
      async (request) => view(await deps.orders.find(request.params.id)),
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: { scope: 'commerce:write' },
        schema: {
          tags: TAGS,
          summary: 'Cancel before shipping: the held stock goes back and the payment is refunded',
          description: '409 `order_transition_invalid` after shipping. Repeating a cancel changes nothing.',
          params: OrderParams,
          body: CancelBody,
          response: { 200: OrderView },
        },
      },
      async (request) =>
        view(await deps.orders.apply(request.params.id, { type: 'cancel', reason: request.body.reason })),
    );

    app.get(
      '/orders/:id/refunds',
      {
        config: { scope: 'commerce:read' },
        schema: {
          tags: TAGS,
          summary: 'The refunds of an order',
          params: OrderParams,
          response: { 200: Type.Object({ refunds: Type.Array(RefundView) }) },
        },
      },
      async (request) => {
        await deps.orders.find(request.params.id);
        return { refunds: await deps.refunds.ofOrder(request.params.id) };
      },
    );

    app.post(
      '/orders/:id/refunds',
      {
        config: { scope: 'commerce:write' },
        schema: {
          tags: TAGS,
          summary: 'Refund part or all of an order through its payment provider (idempotent by `id`)',
          description:
            '422 `refund_exceeds_paid` beyond what is left to refund, `refund_shipping_exceeds_paid` when ' +
            '`shipping` names more delivery than is left to give back; 503 `refund_failed` when the provider ' +
            'refuses (nothing recorded; retry with the same id); 409 `id_conflict` for a reused id with another ' +
            'body. A delivered order refunded in full becomes `refunded`.',
          params: OrderParams,
          body: RefundBody,
          response: { 200: RefundView, 201: RefundView },
        },
      },
      async (request, reply) => {
        const inRequest = keepOrigin();
        const order = await deps.orders.find(request.params.id);
        const { created, refund } = await inRequest(() =>
          deps.refunds.refund(order, {
            ...request.body,
            shipping: request.body.shipping ?? null,
            returnId: null,
          }),
        );
        return reply.code(created ? 201 : 200).send(refund);
      },
    );

    app.post(
      '/orders/:id/returns',
      {
        config: { scope: 'commerce:write' },
        schema: {
          tags: TAGS,
          summary:
            'Record units of a shipped order that came back; ERP restocks them and the shopper is refunded',
          description:
            'Each line names a SKU of the order, how many units and their disposition: `restock` (back on the ' +
            'shelf) or `damaged`. 422 `return_exceeds_shipped` beyond what shipped minus what came back ' +
            'already; 422 `return_line_not_in_order`; 409 `order_transition_invalid` before the order shipped. ' +
            'ERP books the units through `commerce.return.received`; the refund is the units’ share of what ' +
            'was paid. Repeating an `id` answers the same return (and finishes a refund the provider failed).',
          params: OrderParams,
          body: ReturnBody,
          response: { 200: ReturnView, 201: ReturnView },
        },
      },
      async (request, reply) => {
        const { created, value } = await deps.returns.receive(request.params.id, request.body);
        return reply.code(created ? 201 : 200).send(value);
      },
    );
  };
}
