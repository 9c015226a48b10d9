import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Money, Sku } from '@tillstream/contracts';
import { notFound, type Db } from '@tillstream/kernel';

const ProductView = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  price: Money,
  kind: Type.String(),
  available: Type.Integer({
    description: 'Units available to sell online, summed over locations (never negative)',
  }),
  inStock: Type.Boolean(),
  backorderable: Type.Boolean(),
  version: Type.String({ description: 'Changes whenever the product or its stock changes; also the ETag' }),
});

interface Row {
  sku: string;
  name: string;
  price_amount: number;
  currency: string;
  kind: string;
  backorderable: number | boolean;
  version: number;
  available: number | null;
  stock_version: number | null;
}

/** Online availability never counts a location's negative stock against another location's. */
const PRODUCT_QUERY = `
  SELECT p.*, (SELECT SUM(CASE WHEN s.available > 0 THEN s.available ELSE 0 END) FROM stock_levels s WHERE s.sku = p.sku) AS available,
         (SELECT SUM(s.version) FROM stock_levels s WHERE s.sku = p.sku) AS stock_version
  FROM catalog_products p`;

const toView = (row: Row) => {
  const available = Number(row.available ?? 0);
  const version = createHash('sha1')
    .update(`${row.version}:${row.stock_version ?? 0}`)
    .digest('base64url')
    .slice(0, 16);
  return {
    sku: row.sku,
    name: row.name,
    price: { amount: Number(row.price_amount), currency: row.currency },
    kind: row.kind,
    available,
    inStock: available > 0,
    backorderable: Boolean(row.backorderable),
    version,
  };
};

export function storefrontRoutes(deps: { db: Db; cacheMaxAgeSeconds: number }): FastifyPluginAsync {
  const { db } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/products/:sku',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['commerce'],
          summary: 'A product as the storefront shows it (eventually consistent with ERP)',
          params: Type.Object({ sku: Sku }),
          response: { 200: ProductView },
        },
      },
      async (request, reply) => {
        const [row] = await db.query<Row>(`${PRODUCT_QUERY} WHERE p.sku = $1`, [request.params.sku]);
        if (!row) throw notFound('product_not_found', `No product ${request.params.sku}`);
        const view = toView(row);
        const etag = `"${view.version}"`;
        reply.header('etag', etag).header('cache-control', `public, max-age=${deps.cacheMaxAgeSeconds}`);
        if (request.headers['if-none-match'] === etag) return (reply as FastifyReply).code(304).send();
        return view;
      },
    );

    app.get(
      '/products',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['commerce'],
          summary: 'Storefront product list in SKU order',
          querystring: Type.Object({
            after: Type.String({ default: '', maxLength: 64 }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          }),
          response: {
            200: Type.Object({
              products: Type.Array(ProductView),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request, reply) => {
        const rows = await db.query<Row>(`${PRODUCT_QUERY} WHERE p.sku > $1 ORDER BY p.sku LIMIT $2`, [
          request.query.after,
          request.query.limit,
        ]);
        reply.header('cache-control', `public, max-age=${deps.cacheMaxAgeSeconds}`);
        return {
          products: rows.map(toView),
          next: rows.length === request.query.limit ? rows[rows.length - 1]!.sku : null,
        };
      },
    );
  };
}
