import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, notFound, type Clock, type Db } from '@tillstream/kernel';
import { StockExceptionView } from './inventory.schemas.js';
import type { StockExceptionStore } from './stock-exception.store.js';

const ExceptionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function stockExceptionRoutes(deps: {
  db: Db;
  clock: Clock;
  exceptions: StockExceptionStore;
}): FastifyPluginAsync {
  const { db, clock, exceptions } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/stock-exceptions',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary:
            'Stock exceptions (negative on-hand after a store sale, goods handed over for a cancelled order), ' +
            'oldest first',
          description:
            'Open ones by default (`status=resolved|all` for the others). Pages by keyset: pass the previous ' +
            "page's `next` as `after`; 400 `invalid_cursor` when it names no exception.",
          querystring: Type.Object({
            after: Type.String({ default: '', maxLength: 64 }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], {
              default: 'open',
            }),
          }),
          response: {
            200: Type.Object({
              exceptions: Type.Array(StockExceptionView),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { after, limit, status } = request.query;
        // The cursor is an exception id: its (raisedAt, id) is the place to go on from, whatever its status now.
        const from = after === '' ? null : await exceptions.find(db, after);
        if (after !== '' && !from)
          throw invalid('invalid_cursor', `No stock exception ${after} to page after`);
        const rows = await exceptions.page(db, { after: from, status, limit });
        const page = rows.slice(0, limit);
        return { exceptions: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
      },
    );

    app.post(
      '/stock-exceptions/:id/resolve',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Mark a stock exception as reviewed',
          description:
            'Idempotent: resolving a resolved exception answers it unchanged (its first `resolvedAt`). ' +
            '404 `stock_exception_not_found` for an unknown id.',
          params: ExceptionParams,
          response: { 200: StockExceptionView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const resolved = await db.transaction((tx) => exceptions.resolve(tx, id, clock.now().toISOString()));
        if (!resolved) throw notFound('stock_exception_not_found', `No stock exception ${id}`);
        return resolved;
      },
    );
  };
}
