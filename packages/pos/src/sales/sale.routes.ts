import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { conflict, notFound, unprocessable } from '@tillstream/kernel';
import { Type } from 'typebox';
import { authorizePoster, decideSale, saleFingerprint } from './sale.decide.js';
import type { SaleStore } from './sale.store.js';
import type { Directory } from '../directory/directory.js';
import { SaleBody, SaleView } from './sale.schemas.js';

export function saleRoutes(deps: { sales: SaleStore; directory: Directory }): FastifyPluginAsync {
  const { sales, directory } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/sales',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Record a completed store sale (idempotent by its client-made id)',
          description:
            '201 the first time; 200 with the same answer when the same id comes again with the same body; ' +
            '409 `id_conflict` when the id comes with another body. Never refused for stock.',
          body: SaleBody,
          response: { 200: SaleView, 201: SaleView },
        },
      },
      async (request, reply) => {
        const command = request.body;
        authorizePoster(
          { terminalId: request.principal?.terminalId ?? null, storeId: request.principal?.storeId ?? null },
          command,
        );
        const requestHash = saleFingerprint(command);
        const replay = (stored: { requestHash: string; sale: unknown }) => {
          if (stored.requestHash !== requestHash)
            throw conflict('id_conflict', `Sale ${command.id} exists with another body`);
          return reply.code(200).send(stored.sale as never);
        };
        const existing = await sales.find(sales.reader, command.id);
        if (existing) return replay(existing);
        const store = await directory.location(command.storeId);
        if (!store) throw unprocessable('unknown_location', `No location ${command.storeId}`);
        if (store.kind !== 'store')
          throw unprocessable('location_kind_mismatch', `${command.storeId} is a ${store.kind}, not a store`);
        const unknown = await directory.unknownSkus(command.lines.map((line) => line.sku));
        if (unknown.length > 0)
          throw unprocessable('unknown_sku', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
        const { created, stored } = await sales.insert(decideSale(command), requestHash);
        return created ? reply.code(201).send(stored.sale) : replay(stored);
      },
    );

    app.get(
      '/sales/:id',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Get a sale',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: SaleView },
        },
      },
      async (request) => {
        const stored = await sales.find(sales.reader, request.params.id);
        if (!stored) throw notFound('sale_not_found', `No sale ${request.params.id}`);
        return stored.sale;
      },
    );
  };
}
