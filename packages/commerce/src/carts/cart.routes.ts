import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { applyCoupon, clearShipping, decideCart, removeCoupon } from './cart.decide.js';
import type { CartCommands } from './cart.commands.js';
import {
  AddLineBody,
  CartCouponParams,
  CartLineParams,
  CartParams,
  CartView,
  CouponBody,
  SetLineBody,
  ShippingChoiceBody,
  ShippingOptionsQuery,
  ShippingOptionsView,
  createCartBody,
} from './cart.schemas.js';

const TAGS = ['commerce'];

/**
 * Shopper routes: a cart id is the shopper's capability, so they are public. A cart sells only on one of
 * `channels` (the storefront's own; the first is the default).
 */
export function cartRoutes(
  commands: CartCommands,
  channels: readonly [string, ...string[]],
): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const config = { scope: 'public' } as const;

    app.post(
      '/carts',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'Create an empty cart',
          body: createCartBody(channels),
          response: { 201: CartView },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await commands.create({ channel: channels[0], ...request.body })),
    );

    app.get(
      '/carts/:id',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'A cart with its live quote',
          params: CartParams,
          response: { 200: CartView },
        },
      },
      async (request) => commands.find(request.params.id),
    );

    app.post(
      '/carts/:id/lines',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'Add units of a SKU (adds to its line when it has one)',
          params: CartParams,
          body: AddLineBody,
          response: { 200: CartView },
        },
      },
      async (request) =>
        commands.change(request.params.id, (cart, now) =>
          decideCart(cart, { type: 'add', ...request.body }, now),
        ),
    );

    app.put(
      '/carts/:id/lines/:sku',
      {
        config,
        schema: {
          tags: TAGS,
          summary: "Set a line's quantity (0 removes it)",
          params: CartLineParams,
          body: SetLineBody,
          response: { 200: CartView },
        },
      },
      async (request) =>
        commands.change(request.params.id, (cart, now) =>
          decideCart(cart, { type: 'set', sku: request.params.sku, quantity: request.body.quantity }, now),
        ),
    );

    app.delete(
      '/carts/:id/lines/:sku',
      {
        config,
        schema: { tags: TAGS, summary: 'Remove a line', params: CartLineParams, response: { 200: CartView } },
      },
      async (request) =>
        commands.change(request.params.id, (cart, now) =>
          decideCart(cart, { type: 'remove', sku: request.params.sku }, now),
        ),
    );

    app.post(
      '/carts/:id/coupons',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'Apply a coupon code; the quote shows whether it applies',
          params: CartParams,
          body: CouponBody,
          response: { 200: CartView },
        },
      },
      async (request) =>
        commands.change(request.params.id, (cart, now) => applyCoupon(cart, request.body.code, now)),
    );

    app.delete(
      '/carts/:id/coupons/:code',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'Remove a coupon code (e.g. one checkout refused as used up)',
          params: CartCouponParams,
          response: { 200: CartView },
        },
      },
      async (request) =>
        commands.change(request.params.id, (cart, now) => removeCoupon(cart, request.params.code, now)),
    );

    app.get(
      '/carts/:id/shipping-options',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'The delivery methods that can take this cart to a country, priced, cheapest first',
          params: CartParams,
          querystring: ShippingOptionsQuery,
          response: { 200: ShippingOptionsView },
        },
      },
      async (request) => commands.shippingOptions(request.params.id, request.query),
    );

    app.put(
      '/carts/:id/shipping',
      {
        config,
        schema: {
          tags: TAGS,
          summary:
            'Choose the delivery: a method and the address, or for a collection who collects (checked by ' +
            'quoting the cart with it)',
          params: CartParams,
          body: ShippingChoiceBody,
          response: { 200: CartView },
        },
      },
      async (request) => commands.chooseShipping(request.params.id, request.body),
    );

    app.delete(
      '/carts/:id/shipping',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'Clear the chosen delivery',
          params: CartParams,
          response: { 200: CartView },
        },
      },
      async (request) => commands.change(request.params.id, (cart, now) => clearShipping(cart, now)),
    );
  };
}
