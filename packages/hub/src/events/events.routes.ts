import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '@tillstream/kernel';

/** Cursors are log positions as decimal strings; `after` omitted or empty starts from the beginning. */
const Cursor = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})?$', maxLength: 16 });

export function eventRoutes(deps: { db: Db }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/events',
      {
        config: { scope: 'hub:read' },
        schema: {
          tags: ['hub'],
          summary: "Every context's events as CloudEvents, in log order, from a cursor",
          querystring: Type.Object({
            after: Type.Optional(Cursor),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            type: Type.Optional(Type.String({ maxLength: 100, description: 'Only events of this type' })),
          }),
          response: {
            200: Type.Object({
              events: Type.Array(Type.Unknown({ description: 'CloudEvents 1.0 (JSON)' })),
              next: Type.String({
                description: 'Pass as `after` to continue; unchanged when there is nothing new',
              }),
            }),
          },
        },
      },
      async (request) => {
        const after = Number(request.query.after || '0');
        const filter = request.query.type ? 'AND type = $3' : '';
        const params = request.query.type
          ? [after, request.query.limit, request.query.type]
          : [after, request.query.limit];
        const rows = await deps.db.query<{ position: number; envelope: string }>(
          `SELECT position, envelope FROM events WHERE position > $1 ${filter} ORDER BY position LIMIT $2`,
          params,
        );
        const last = rows[rows.length - 1];
        return {
          events: rows.map((row) => JSON.parse(row.envelope) as unknown),
          next: String(last ? Number(last.position) : after),
        };
      },
    );
  };
}
