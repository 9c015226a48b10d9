import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Currency, PickupPoint } from '@tillstream/contracts';
import { notFound } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { CartPricing } from '../carts/cart.pricing.js';
import type { CatalogCache } from './catalog.cache.js';
import { ProductParams } from './storefront.schemas.js';

const PickupQuery = Type.Object(
  {
    quantity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Units the shopper wants' }),
    ),
    currency: Type.Optional({
      ...Currency,
      default: 'EUR',
      description: 'The cart’s currency (default EUR)',
    }),
  },
  { additionalProperties: false },
);

const PickupAvailability = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer(),
  points: Type.Array(
    Type.Object({
      methodId: Type.String({ description: 'The collection method to choose (`PUT /carts/{id}/shipping`)' }),
      name: Type.String(),
      pickup: PickupPoint,
      available: Type.Integer({
        minimum: 0,
        description: 'Units a checkout could hold there now: on-hand − reserved − the channel’s safety stock',
      }),
      inStock: Type.Boolean({ description: 'Whether `quantity` units could be held there now' }),
    }),
  ),
});

/**
 * "Collect today at …": where a shopper could collect a product, and whether the store has it. Answered from
 * the storefront's in-memory catalog (stock per location, as ERP's events left it) and ERP's pricing snapshot
 * (the collection methods), so it trails ERP as the product page does; checkout's hold at the store decides.
 */
export function pickupRoutes(deps: { cache: CatalogCache; pricing: CartPricing }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/products/:sku/pickup',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['commerce'],
          summary: 'Where a product can be collected (click and collect), with the units each store has',
          description:
            'Every collection method the web channel offers in the currency, by name, with the units of the ' +
            'product (a kit through its components) a checkout could hold at its store now. 404 ' +
            '`product_not_found` for a SKU the storefront does not sell. Eventually consistent with ERP.',
          params: ProductParams,
          querystring: PickupQuery,
          response: { 200: PickupAvailability },
        },
      },
      async (request, reply) => {
        const { sku } = request.params;
        const { quantity = 1, currency = 'EUR' } = request.query;
        if (!deps.cache.isWarm()) await deps.cache.warm;
        const offered = await deps.pricing.pickupPoints({ channel: 'web', currency });
        const units = deps.cache.availableAt(
          sku,
          offered.map((point) => point.pickup.locationId),
        );
        if (!units) throw notFound('product_not_found', `No product ${sku}`);
        reply.header('cache-control', 'no-cache');
        return {
          sku,
          quantity,
          points: offered.map((point) => {
            const available = units.get(point.pickup.locationId) ?? 0;
            return { ...point, available, inStock: available >= quantity };
          }),
        };
      },
    );
  };
}
