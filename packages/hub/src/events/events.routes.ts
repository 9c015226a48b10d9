import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, type Db } from '@tillstream/kernel';
import { EventTypeFilter, splitFilter } from './event-patterns.js';
import { readLog } from './event-log.reader.js';

/** Cursors are log positions as decimal strings; `after` omitted or empty starts from the beginning. */
export const Cursor = Type.String({
  pattern: '^(0|[1-9][0-9]{0,15})?$',
  maxLength: 16,
  description: `A log position, at most ${Number.MAX_SAFE_INTEGER}`,
});

/**
 * The position a cursor names. Positions are handled as numbers, exact up to 2^53 − 1 only: a larger cursor
 * would be rounded (and come back as a `next` that no longer matches the pattern), so it is refused.
 */
export function cursorPosition(value: string | undefined, where: { in: string; path: string }): number {
  const position = Number(value || '0');
  if (!Number.isSafeInteger(position))
    throw invalid('validation_failed', `A cursor is a log position up to ${Number.MAX_SAFE_INTEGER}`, {
      errors: [{ ...where, message: `must be at most ${Number.MAX_SAFE_INTEGER}` }],
    });
  return position;
}

const EXAMPLE_EVENT = {
  specversion: '1.0',
  id: '0195f3a2-7e02-7a94-b1c3-5d7e9f1a2b3c',
  source: '/tillstream/erp',
  type: 'erp.stock.changed',
  time: '2026-03-02T10:15:02.409Z',
  subject: 'stock/TEE-001@store-amsterdam',
  datacontenttype: 'application/json',
  dataschema: 'urn:tillstream:event:erp.stock.changed:v1',
  sequence: 7,
  partitionkey: 'TEE-001',
  data: { sku: 'TEE-001', locationId: 'store-amsterdam', version: 7, onHand: 10, reserved: 0, available: 10 },
};

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
          description:
            'Without `after` (or with 0) reading starts at the oldest event the log keeps. Where the log is ' +
            'pruned (`TILLSTREAM_HUB_EVENT_RETENTION_HOURS`), a cursor behind what was pruned gets 410 ' +
            '`cursor_expired` with the `oldestCursor` to read on from once the reader has resynchronised. A ' +
            'cursor beyond the newest event (forged, or from a log this one was restored over) gets 409 ' +
            '`cursor_ahead` with the `headCursor`.',
          querystring: Type.Object({
            after: Type.Optional(Cursor),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            type: Type.Optional(EventTypeFilter),
          }),
          response: {
            200: Type.Object(
              {
                events: Type.Array(Type.Unknown({ description: 'CloudEvents 1.0 (JSON)' })),
                next: Type.String({
                  description:
                    'Pass as `after` to continue; past every event looked at, so a filtered read never rescans. ' +
                    'Unchanged when there is nothing new',
                }),
              },
              { examples: [{ events: [EXAMPLE_EVENT], next: '1042' }] },
            ),
          },
        },
      },
      async (request) => {
        const page = await readLog(deps.db, {
          after: cursorPosition(request.query.after, { in: 'querystring', path: '/after' }),
          limit: request.query.limit,
          patterns: splitFilter(request.query.type),
        });
        return {
          events: page.entries.map((entry) => JSON.parse(entry.envelope) as unknown),
          next: String(page.next),
        };
      },
    );
  };
}
