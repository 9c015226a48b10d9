import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, placeholders, type Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { kitChannelUnits, stockUnits } from './channel.availability.js';
import type { ChannelStore } from './channel.store.js';
import { ChannelName } from './reservation.schemas.js';
import { toBalance, type BalanceRow } from './stock.store.js';

const SKU_LIST = '^[A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*){0,99}$';

const Units = Type.Object({ locationId: Type.String(), available: Type.Integer({ minimum: 0 }) });

const AvailabilityView = Type.Object({
  channel: Type.String(),
  locations: Type.Array(Type.String(), { description: "The channel's locations, in allocation order" }),
  safetyStock: Type.Integer(),
  configured: Type.Boolean(),
  products: Type.Array(
    Type.Object({
      sku: Type.String(),
      kind: Type.String(),
      available: Type.Integer({ minimum: 0, description: 'Units the channel can reserve now' }),
      locations: Type.Optional(Type.Array(Units, { description: 'Standard products: per channel location' })),
      components: Type.Optional(
        Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), available: Type.Integer() }), {
          description: 'Kits: each component with its units per kit and its channel units',
        }),
      ),
    }),
  ),
});

/** ERP's per-channel availability: the source of truth the storefront's projection converges to. */
export function availabilityRoutes(deps: {
  db: Db;
  catalog: CatalogStore;
  channels: ChannelStore;
}): FastifyPluginAsync {
  const { db, catalog, channels } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/availability',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'What a sales channel can sell now, per product',
          description:
            "Per standard product: on-hand − reserved − the channel's safety stock at each of the channel's " +
            'locations, never below zero, summed. Per kit: the minimum over components of floor(component ' +
            'units / units per kit). The same figures a reservation for the channel works with.',
          querystring: Type.Object(
            {
              channel: ChannelName,
              skus: Type.String({
                pattern: SKU_LIST,
                maxLength: 6_600,
                description: 'Up to 100 SKUs, comma-separated',
              }),
            },
            { additionalProperties: false },
          ),
          response: { 200: AvailabilityView },
        },
      },
      async (request) => {
        const skus = [...new Set(request.query.skus.split(','))];
        const channel = await channels.resolve(db, request.query.channel);
        const products = await catalog.findProducts(db, skus);
        const missing = skus.filter((sku) => !products.some((product) => product.sku === sku));
        if (missing.length > 0)
          throw notFound('product_not_found', `No product ${missing.join(', ')}`, { skus: missing });
        const stockSkus = [
          ...new Set(
            products.flatMap((product) =>
              product.kind === 'kit' ? product.components.map((component) => component.sku) : [product.sku],
            ),
          ),
        ];
        const balances = (
          await db.query<BalanceRow>(
            `SELECT * FROM stock_balances WHERE sku IN (${placeholders(stockSkus.length)})`,
            stockSkus,
          )
        ).map(toBalance);
        return {
          channel: channel.channel,
          locations: channel.locations,
          safetyStock: channel.safetyStock,
          configured: channel.configured,
          products: skus.map((sku) => {
            const product = products.find((each) => each.sku === sku)!;
            if (product.kind === 'kit')
              return { sku, kind: product.kind, ...kitChannelUnits(product.components, balances, channel) };
            return { sku, kind: product.kind, ...stockUnits(sku, balances, channel) };
          }),
        };
      },
    );
  };
}
