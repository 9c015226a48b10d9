import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { SaleCommands } from './sale.commands.js';
import type { SaleStore } from './sale.store.js';
import { SaleBody, SaleView } from './sale.schemas.js';
import { ReceiptNo, TerminalId } from '../pos.schemas.js';
import { canSee, readerOf, salesFilter } from '../read-scope.js';
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
          summary:
            'Sales of a terminal or a shift, or the sale of a receipt number, in the order they happened',
          description:
            "A terminal's key lists its own sales, and finds a `receiptNo` among every till of its store (a " +
            "return at another till); never another store's.",
          querystring: Type.Object({
            terminalId: Type.Optional(TerminalId),
            shiftId: Type.Optional(Type.String({ format: 'uuid' })),
            receiptNo: Type.Optional(ReceiptNo),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          }),
          response: { 200: Type.Object({ sales: Type.Array(SaleView) }) },
        },
      },
      async (request) => {
        const filter = salesFilter(readerOf(request), request.query);
        return { sales: await sales.list({ ...filter, limit: request.query.limit }) };
      },
    );

    app.get(
      '/sales/:id',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: "Get a sale (of the key's own store: another store's is 404)",
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: SaleView },
        },
      },
      async (request) => {
        const stored = await sales.find(sales.reader, request.params.id);
        if (!stored || !canSee(readerOf(request), stored.sale))
          throw notFound('sale_not_found', `No sale ${request.params.id}`);
        return stored.sale;
      },
    );
  };
}
