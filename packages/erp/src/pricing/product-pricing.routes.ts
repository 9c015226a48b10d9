import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ProductPricingBody } from '@tillstream/contracts';
import { notFound, unprocessable, type Clock, type Db } from '@tillstream/kernel';
import type { PricingStores } from './pricing.stores.js';
import { ProductPricingView, SkuParams } from './pricing.schemas.js';

/**
 * What pricing knows of a product beyond the catalog: its tax category, its promotion categories and its weight
 * for delivery rates.
 */
export function productPricingRoutes(deps: {
  db: Db;
  clock: Clock;
  stores: PricingStores;
}): FastifyPluginAsync {
  const { db, clock, stores } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'pricing'];

    app.put(
      '/product-pricing/:sku',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags,
          summary:
            "Set a product's tax category, the categories promotions target, and its weight for delivery",
          description:
            'Products without one are in tax category `standard`, no category and without weight. The body ' +
            'replaces all three: a body without `weightGrams` leaves the product without weight (it then weighs ' +
            'nothing for shipping rates by weight).',
          params: SkuParams,
          body: ProductPricingBody,
          response: { 200: ProductPricingView, 201: ProductPricingView },
        },
      },
      async (request, reply) => {
        const { sku } = request.params;
        const categories = [...request.body.categories].sort();
        const weightGrams = request.body.weightGrams ?? null;
        const outcome = await db.transaction(async (tx) => {
          const [product] = await tx.query('SELECT sku FROM products WHERE sku = $1', [sku]);
          if (!product) throw unprocessable('unknown_sku', `No product ${sku}`, { skus: [sku] });
          const current = await stores.productPricing.find(tx, sku);
          if (
            current &&
            current.taxCategory === request.body.taxCategory &&
            JSON.stringify(current.categories) === JSON.stringify(categories) &&
            current.weightGrams === weightGrams
          )
            return { created: false, state: current };
          const state = {
            sku,
            taxCategory: request.body.taxCategory,
            categories,
            weightGrams,
            version: (current?.version ?? 0) + 1,
          };
          await stores.productPricing.save(tx, state, clock.now().toISOString());
          return { created: !current, state };
        });
        return reply.code(outcome.created ? 201 : 200).send(outcome.state);
      },
    );

    app.get(
      '/product-pricing/:sku',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: "A product's pricing attributes",
          params: SkuParams,
          response: { 200: ProductPricingView },
        },
      },
      async (request) => {
        const { sku } = request.params;
        const found = await stores.productPricing.find(db, sku);
        if (found) return found;
        const [product] = await db.query('SELECT sku FROM products WHERE sku = $1', [sku]);
        if (!product) throw notFound('product_not_found', `No product ${sku}`);
        return { sku, taxCategory: 'standard', categories: [], weightGrams: null, version: 0 };
      },
    );
  };
}
