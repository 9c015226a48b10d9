import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { noneMatchHits, notFound } from '@tillstream/kernel';
import type { CatalogCache } from './catalog.cache.js';
import { parseListRequest } from './catalog-query.decide.js';
import { ListQuerystring, ProductPage, ProductParams, ProductView } from './storefront.schemas.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Storefront reads, answered from the in-memory catalog: the view is serialized when it changes, so a read
 * is a map look-up. Both routes send a strong ETag and answer 304 to a matching `If-None-Match`.
 */
export function storefrontRoutes(deps: {
  cache: CatalogCache;
  cacheMaxAgeSeconds: number;
}): FastifyPluginAsync {
  const { cache } = deps;
  const cacheControl = `public, max-age=${deps.cacheMaxAgeSeconds}`;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/products/:sku',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['commerce'],
          summary: 'A product as the storefront shows it: web price and web availability',
          description:
            'Eventually consistent with ERP: served from memory, updated as ERP events are applied. ' +
            'Send `If-None-Match` with the ETag to get 304 while nothing changed.',
          params: ProductParams,
          response: { 200: ProductView },
        },
      },
      async (request, typedReply) => {
        // The body is sent pre-serialized, past the typed reply.
        const reply = typedReply as FastifyReply;
        if (!cache.isWarm()) await cache.warm;
        const cached = cache.get(request.params.sku);
        if (!cached) throw notFound('product_not_found', `No product ${request.params.sku}`);
        reply.header('etag', cached.etag).header('cache-control', cacheControl);
        if (noneMatchHits(request.headers['if-none-match'], cached.etag)) return reply.code(304).send();
        return reply.type(JSON_TYPE).send(cached.json);
      },
    );

    app.get(
      '/products',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['commerce'],
          summary: 'Search, filter and page through the storefront catalog',
          description:
            '`q` matches text in the SKU or name (any case); `gtin` finds the product carrying a GTIN, compared ' +
            'as GTIN-14 so UPC-A and EAN-13 forms of one number match; `inStock`, `kind` and ' +
            '`minPrice`/`maxPrice` (web price, minor units, inclusive) filter; `sort` orders (ties by SKU). ' +
            'Follow `next` as `cursor` for the next page: the cursor keeps its place while products change. ' +
            '400 `invalid_cursor` for a cursor of another sort, `invalid_price_range` when minPrice > maxPrice, ' +
            '`invalid_barcode` for a `gtin` that is not one (length, digits or check digit).',
          querystring: ListQuerystring,
          response: { 200: ProductPage },
        },
      },
      async (request, typedReply) => {
        const reply = typedReply as FastifyReply;
        const query = parseListRequest(request.query);
        if (!cache.isWarm()) await cache.warm;
        const page = cache.list(query);
        reply.header('etag', page.etag).header('cache-control', cacheControl);
        if (noneMatchHits(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
        return reply.type(JSON_TYPE).send(page.json);
      },
    );
  };
}
