import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, Wakeup, type Db } from '@tillstream/kernel';
import { EventTypeFilter, splitFilter } from '../events/event-patterns.js';
import { Cursor, cursorPosition } from '../events/events.routes.js';
import { assertCursorRetained } from '../events/event-log.retention.js';
import { assertCursorNotAhead, logHead } from '../events/event-log.reader.js';
import type { EventTail } from './event-tail.js';
import { streamEvents } from './event-stream.js';

const CURSOR = /^(0|[1-9][0-9]{0,15})$/;

function startCursor(lastEventId: string | string[] | undefined, after: string | undefined): number {
  const header = Array.isArray(lastEventId) ? lastEventId[0] : lastEventId;
  if (header === undefined || header === '')
    return cursorPosition(after, { in: 'querystring', path: '/after' });
  const where = { in: 'headers', path: '/last-event-id' };
  if (!CURSOR.test(header.trim()))
    throw invalid('validation_failed', 'Last-Event-ID must be a position this stream sent', {
      errors: [{ ...where, message: 'must be a decimal log position' }],
    });
  return cursorPosition(header.trim(), where);
}

/**
 * The live tail of the hub log over Server-Sent Events. Streams stay open until the client leaves; when the
 * server closes they are ended first (`preClose`), so a shutdown never waits on them.
 */
export function streamRoutes(deps: { db: Db; tail: EventTail; heartbeatMs: number }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const open = new Set<{ end(): void }>();
    app.addHook('preClose', async () => {
      for (const stream of open) stream.end();
    });

    app.get(
      '/events/stream',
      {
        config: { scope: 'hub:read' },
        schema: {
          tags: ['hub'],
          summary: 'Live tail of the event log as Server-Sent Events; resumes from Last-Event-ID',
          description:
            'Each event is an SSE message whose `id` is its log position and whose `data` is the CloudEvent ' +
            '(JSON). Reconnect with the `Last-Event-ID` header (EventSource does) to resume after the last one ' +
            'received; without it, `after` or the oldest event kept. Comment lines are heartbeats. A cursor behind ' +
            'what retention pruned gets 410 `cursor_expired`, one beyond the newest event 409 `cursor_ahead` ' +
            '(see GET /hub/v1/events).',
          querystring: Type.Object({ after: Type.Optional(Cursor), type: Type.Optional(EventTypeFilter) }),
          headers: Type.Object({
            'last-event-id': Type.Optional(
              Type.String({ maxLength: 32, description: 'Resume after this position' }),
            ),
          }),
          response: {
            200: {
              description: 'An endless text/event-stream',
              content: {
                'text/event-stream': {
                  schema: Type.String({
                    examples: ['id: 1042\ndata: {"specversion":"1.0","type":"erp.stock.changed",…}\n\n'],
                  }),
                },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const cursor = startCursor(request.headers['last-event-id'], request.query.after);
        // Before the stream starts, so a cursor pruning has passed gets its problem document, not a 200.
        await assertCursorRetained(deps.db, cursor);
        assertCursorNotAhead(cursor, await logHead(deps.db));
        let closed = false;
        const wakeup = new Wakeup();
        const stream = {
          end: () => {
            closed = true;
            wakeup.wake();
            reply.raw.end();
          },
        };
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          // Not kept alive once it ends: a stream ended at shutdown would otherwise leave a keep-alive
          // connection that Fastify's close has already passed over when looking for idle ones, and the
          // server waits out the keep-alive timeout. A reconnecting EventSource opens a new connection anyway.
          connection: 'close',
          'x-accel-buffering': 'no',
          'x-trace-id': String(request.id),
        });
        // HEAD gets a GET's headers and nothing more: Node sends a HEAD answer's headers only when it ends, so
        // a HEAD that streamed would never be answered and would hold a stream open until the client gave up.
        if (request.method === 'HEAD') return void reply.raw.end();
        reply.raw.on('close', stream.end);
        open.add(stream);
        try {
          await streamEvents({
            db: deps.db,
            tail: deps.tail,
            response: reply.raw,
            cursor,
            patterns: splitFilter(request.query.type),
            heartbeatMs: deps.heartbeatMs,
            closed: () => closed,
            wakeup,
          });
        } catch (error) {
          request.log.warn({ err: error }, 'event stream ended by an error');
        } finally {
          open.delete(stream);
          reply.raw.off('close', stream.end);
          if (!reply.raw.writableEnded) reply.raw.end();
        }
      },
    );
  };
}
