import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, notFound } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { SaleCommands } from './sale.commands.js';
import type { SaleStore } from './sale.store.js';
import { SaleBody, SaleView } from './sale.schemas.js';
import { TerminalId } from '../pos.schemas.js';
import { posterOf } from '../poster.js';

export function saleRoutes(deps: { sales: SaleStore; commands: SaleCommands }): FastifyPluginAsync {
  const { sales, commands } = deps;
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
        const { created, document } = await commands.record(request.body, posterOf(request));
        return reply.code(created ? 201 : 200).send(document);
      },
    );

    app.get(
      '/sales',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Sales of a terminal or a shift, in the order they happened (a terminal key sees its own)',
          querystring: Type.Object({
            terminalId: Type.Optional(TerminalId),
            shiftId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          }),
          response: { 200: Type.Object({ sales: Type.Array(SaleView) }) },
        },
      },
      async (request) => {
        const terminalId = request.principal?.terminalId ?? request.query.terminalId;
        const { shiftId, limit } = request.query;
        if (terminalId === undefined && shiftId === undefined)
          throw invalid('validation_failed', 'Name a terminalId or a shiftId');
        return { sales: await sales.list({ terminalId, shiftId, limit }) };
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
