import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { ReturnCommands } from './return.commands.js';
import { lineValue, uncollectedShare, valueReturned, type NoReceiptPolicy } from './return.decide.js';
import { NoReceiptPolicyView, ReturnableView, ReturnBody, ReturnView } from './return.schemas.js';
import type { ReturnStore } from './return.store.js';
import { posterOf } from '../poster.js';
import { canSee, readerOf } from '../read-scope.js';

export function returnRoutes(deps: {
  db: Db;
  returns: ReturnStore;
  commands: ReturnCommands;
  policy: NoReceiptPolicy;
}): FastifyPluginAsync {
  const { db, returns, commands, policy } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/returns',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Record a return, against a receipt or without one (idempotent by its client-made id)',
          description:
            'With `originalSaleId` each line names the sold line it returns; more than sold minus already ' +
            'returned is 409 `return_exceeds_sold`, and the price paid is refunded. Without, the store policy ' +
            'caps the amount and refund methods. Publishes `pos.return.completed`.',
          body: ReturnBody,
          response: { 200: ReturnView, 201: ReturnView },
        },
      },
      async (request, reply) => {
        const { created, document } = await commands.record(request.body, posterOf(request));
        return reply.code(created ? 201 : 200).send(document);
      },
    );

    app.get(
      '/return-policy',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'The policy for returns without a receipt, for terminals to check before they refund',
          description:
            'A no-receipt return refunding more than `maxTotal` (minor units of the sale currency), or in a ' +
            'method outside `refundMethods`, or any when not `allowed`, is refused: 422 `return_policy_violation`.',
          response: { 200: NoReceiptPolicyView },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'private, max-age=60');
        return { ...policy, refundMethods: [...policy.refundMethods] };
      },
    );

    app.get(
      '/returns/:id',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Get a return',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: ReturnView },
        },
      },
      async (request) => {
        const stored = await returns.find(db, request.params.id);
        if (!stored || !canSee(readerOf(request), stored.saleReturn))
          throw notFound('return_not_found', `No return ${request.params.id}`);
        return stored.saleReturn;
      },
    );

    app.get(
      '/sales/:id/returnable',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'What of a sale can still be returned, line by line, and what it refunds',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: ReturnableView },
        },
      },
      async (request) => {
        const original = await returns.original(db, request.params.id);
        if (!original || !canSee(readerOf(request), original.sale))
          throw notFound('sale_not_found', `No sale ${request.params.id}`);
        const { sale, returned } = original;
        const before = valueReturned(sale, returned);
        return {
          saleId: sale.id,
          currency: sale.currency,
          returnIds: original.returnIds,
          lines: sale.lines.map((line) => {
            const returnedOfLine = returned.get(line.lineNo) ?? 0;
            const returnable = line.quantity - returnedOfLine;
            const value = lineValue(line, returnedOfLine, returnable);
            return {
              lineNo: line.lineNo,
              sku: line.sku,
              sold: line.quantity,
              returned: returnedOfLine,
              returnable,
              lineTotal: line.lineTotal,
              ...(line.tax ? { tax: line.tax.amount } : {}),
              refundable:
                value -
                uncollectedShare({ total: sale.total, uncollected: original.uncollected }, before, value),
            };
          }),
          uncollected: original.uncollected,
        };
      },
    );
  };
}
