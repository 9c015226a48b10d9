import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, PriceMismatchDetectedV1 } from '@tillstream/contracts';
import { invalid, notFound, type Clock, type Db } from '@tillstream/kernel';
import { MismatchView } from './pricing.schemas.js';
import type { MismatchStore } from './mismatch.store.js';

const MismatchParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The review list of store sales ERP priced differently on arrival: paged, filtered, and marked reviewed. */
export function mismatchRoutes(deps: {
  db: Db;
  clock: Clock;
  mismatches: MismatchStore;
}): FastifyPluginAsync {
  const { db, clock, mismatches } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'pricing'];

    app.get(
      '/price-mismatches',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Store sales ERP priced differently on arrival, oldest first',
          description:
            'Open ones by default (`status=resolved|all` for the others), narrowed by `storeId`, `reason` and ' +
            "`saleId`. Pages by keyset: pass the previous page's `next` as `after`; 400 `invalid_cursor` when " +
            'it names no mismatch.',
          querystring: Type.Object({
            status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], {
              default: 'open',
            }),
            storeId: Type.Optional(LocationId),
            reason: Type.Optional(PriceMismatchDetectedV1.dataSchema.properties.reason),
            saleId: Type.Optional(Type.String({ maxLength: 64 })),
            after: Type.String({ default: '', maxLength: 64 }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: {
            200: Type.Object({
              mismatches: Type.Array(MismatchView),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { after, limit, ...filter } = request.query;
        // The cursor is a mismatch id: its (raisedAt, id) is the place to go on from, whatever its status now.
        const from = after === '' ? null : await mismatches.find(db, after);
        if (after !== '' && !from)
          throw invalid('invalid_cursor', `No price mismatch ${after} to page after`);
        const rows = await mismatches.page(db, { ...filter, after: from, limit });
        const page = rows.slice(0, limit);
        return { mismatches: page, next: rows.length > limit ? page[page.length - 1]!.mismatchId : null };
      },
    );

    app.post(
      '/price-mismatches/:id/resolve',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags,
          summary: 'Mark a price mismatch as reviewed',
          description:
            'Idempotent: resolving a resolved mismatch answers it unchanged (its first `resolvedAt`). 404 ' +
            '`price_mismatch_not_found` for an unknown id. Nothing else changes: the sale stands as it was.',
          params: MismatchParams,
          response: { 200: MismatchView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const resolved = await db.transaction((tx) => mismatches.resolve(tx, id, clock.now().toISOString()));
        if (!resolved) throw notFound('price_mismatch_not_found', `No price mismatch ${id}`);
        return resolved;
      },
    );
  };
}
