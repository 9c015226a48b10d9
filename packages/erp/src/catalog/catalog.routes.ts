import { Type } from 'typebox';
import { Gtin, ProductStatus } from '@tillstream/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { conflict, notFound, unprocessable, type Clock, type Db } from '@tillstream/kernel';
import { decideLocation, decideProduct } from './catalog.decide.js';
import type { CatalogStore } from './catalog.store.js';
import { assertKitStructure } from '../inventory/kit.decide.js';
import {
  LocationParams,
  LocationView,
  ProductView,
  PutLocationBody,
  PutProductBody,
  RepublishBody,
  RepublishView,
  SkuParams,
} from './catalog.schemas.js';

export function catalogRoutes(deps: { db: Db; clock: Clock; catalog: CatalogStore }): FastifyPluginAsync {
  const { db, clock, catalog } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.put(
      '/locations/:locationId',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Create or update a store or warehouse',
          params: LocationParams,
          body: PutLocationBody,
          response: { 200: LocationView, 201: LocationView },
        },
      },
      async (request, reply) => {
        const result = await db.transaction(async (tx) => {
          const upsert = decideLocation(
            await catalog.lockLocation(tx, request.params.locationId),
            request.params.locationId,
            request.body,
          );
          if (upsert.changed) await catalog.saveLocation(tx, upsert.state, clock.now().toISOString());
          return upsert;
        });
        return reply.code(result.created ? 201 : 200).send(result.state);
      },
    );

    app.post(
      '/locations/republish',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Publish every location again, so every projection catches up with ERP',
          description:
            'Each location is one version more with its content unchanged, and `erp.location.upserted` goes ' +
            'out for it, as `POST /products/republish` does for products. A chain has few locations: one call.',
          response: { 200: Type.Object({ republished: Type.Integer() }) },
        },
      },
      async () => {
        const locations = await db.transaction((tx) =>
          catalog.republishLocations(tx, clock.now().toISOString()),
        );
        return { republished: locations.length };
      },
    );

    app.get(
      '/locations',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'List locations',
          response: { 200: Type.Object({ locations: Type.Array(LocationView) }) },
        },
      },
      async () => ({ locations: await catalog.listLocations(db) }),
    );

    app.get(
      '/locations/:locationId',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'Get a location',
          params: LocationParams,
          response: { 200: LocationView },
        },
      },
      async (request) => {
        const location = await catalog.findLocation(db, request.params.locationId);
        if (!location) throw notFound('location_not_found', `No location ${request.params.locationId}`);
        return location;
      },
    );

    app.put(
      '/products/:sku',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Create or update a product (standard SKU or kit)',
          params: SkuParams,
          body: PutProductBody,
          response: { 200: ProductView, 201: ProductView },
        },
      },
      async (request, reply) => {
        const { sku } = request.params;
        const result = await db.transaction(async (tx) => {
          // Only a kit can break a kit rule; the lock comes before every read the checks below rely on.
          if (request.body.kind === 'kit') await catalog.lockStructure(tx, 'exclusive');
          const upsert = decideProduct(await catalog.lockProduct(tx, sku), sku, request.body);
          const componentSkus = upsert.state.components.map((component) => component.sku);
          const found = await catalog.findProducts(tx, componentSkus);
          const missing = componentSkus.filter(
            (component) => !found.some((product) => product.sku === component),
          );
          if (missing.length > 0)
            throw unprocessable('unknown_sku', 'Kit components must be existing standard products', {
              skus: missing,
            });
          if (upsert.changed && upsert.state.kind === 'kit') {
            assertKitStructure(sku, 'kit', found, await catalog.kitsContaining(tx, sku));
            if (await catalog.hasStock(tx, sku))
              throw conflict('product_has_stock', `${sku} has stock and cannot become a kit`);
          }
          if (upsert.changed) await catalog.saveProduct(tx, upsert.state, clock.now().toISOString());
          return upsert;
        });
        return reply.code(result.created ? 201 : 200).send(result.state);
      },
    );

    app.get(
      '/products/:sku',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'Get a product',
          params: SkuParams,
          response: { 200: ProductView },
        },
      },
      async (request) => {
        const product = await catalog.findProduct(db, request.params.sku);
        if (!product) throw notFound('product_not_found', `No product ${request.params.sku}`);
        return product;
      },
    );

    app.get(
      '/products',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'List products in SKU order, optionally of one status or the one a barcode is printed on',
          querystring: Type.Object({
            after: Type.String({ default: '', maxLength: 64 }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            status: Type.Optional(ProductStatus),
            barcode: Type.Optional({
              ...Gtin,
              description:
                'A scanned GTIN, in any of its forms (UPC-A and EAN-13 of one number find the same)',
            }),
          }),
          response: {
            200: Type.Object({
              products: Type.Array(ProductView),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { limit } = request.query;
        const products = await catalog.listProducts(db, request.query);
        const next = products.length === limit ? products[products.length - 1]!.sku : null;
        return { products, next };
      },
    );

    app.post(
      '/products/republish',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Publish products again, a page at a time, so every projection catches up with ERP',
          description:
            'Each product of the page is one version more with its content unchanged, and `erp.product.upserted` ' +
            'goes out for it: the storefront, the tills, the hub and webhooks apply it like any change. For a ' +
            'projection that gained a field with an upgrade (the storefront’s GTINs), was restored from a ' +
            'backup, or was added after the events it needs left the log. Call with `after` = `next` until ' +
            '`next` is null; stopping half way is harmless.',
          body: RepublishBody,
          response: { 200: RepublishView },
        },
      },
      async (request) => {
        const { after = '', limit } = request.body;
        const products = await db.transaction((tx) =>
          catalog.republishProducts(tx, after, limit, clock.now().toISOString()),
        );
        return {
          republished: products.length,
          next: products.length === limit ? products[products.length - 1]!.sku : null,
        };
      },
    );
  };
}
