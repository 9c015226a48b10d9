import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden, keepOrigin, notFound, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import { authorizePoster } from '../sales/sale.decide.js';
import { TerminalId } from '../pos.schemas.js';
import { posterOf } from '../poster.js';
import { canSeeTill, readerOf } from '../read-scope.js';
import type { ShiftCommands } from './shift.commands.js';
import type { Shift } from './shift.decide.js';
import { ShiftCloseBody, ShiftOpenBody, ShiftView } from './shift.schemas.js';
import type { ShiftStore } from './shift.store.js';

export function shiftRoutes(deps: {
  db: Db;
  shifts: ShiftStore;
  commands: ShiftCommands;
}): FastifyPluginAsync {
  const { db, shifts, commands } = deps;
  const view = async (shift: Shift) => ({
    id: shift.id,
    terminalId: shift.terminalId,
    storeId: shift.storeId,
    seq: shift.seq,
    currency: shift.currency,
    status: shift.closedAt === null ? ('open' as const) : ('closed' as const),
    openedAt: shift.openedAt,
    openingFloat: shift.openingFloat,
    closedAt: shift.closedAt,
    countedCash: shift.countedCash,
    revision: shift.revision,
    report: await shifts.report(db, shift),
  });
  const load = async (id: string) => {
    const shift = await shifts.find(db, id);
    if (!shift) throw notFound('shift_not_found', `No shift ${id}`);
    return shift;
  };
  const params = Type.Object({ id: Type.String({ format: 'uuid' }) });

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/shifts',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Open a shift with its cash float (idempotent by its client-made id)',
          body: ShiftOpenBody,
          response: { 200: ShiftView, 201: ShiftView },
        },
      },
      async (request, reply) => {
        const { created, shift } = await commands.open(request.body, posterOf(request));
        return reply.code(created ? 201 : 200).send(await view(shift));
      },
    );

    app.post(
      '/shifts/:id/close',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Close a shift with the counted cash: over/short and the Z-report',
          description:
            'The same close again answers 200; another close of a closed shift is 409 `shift_already_closed`. ' +
            'Publishes `pos.shift.closed`.',
          params,
          body: ShiftCloseBody,
          response: { 200: ShiftView, 201: ShiftView },
        },
      },
      async (request, reply) => {
        const inRequest = keepOrigin();
        const shift = await load(request.params.id);
        const poster = posterOf(request);
        authorizePoster(poster, shift);
        const { created, shift: closed } = await inRequest(() =>
          commands.close({ ...shift, ...request.body, shiftId: shift.id }, poster),
        );
        return reply.code(created ? 201 : 200).send(await view(closed));
      },
    );

    app.get(
      '/shifts/:id',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            'A shift and its Z-report (sales, returns, tenders, cash over/short), late arrivals included',
          params,
          response: { 200: ShiftView },
        },
      },
      async (request) => {
        const shift = await load(request.params.id);
        if (!canSeeTill(readerOf(request), shift))
          throw notFound('shift_not_found', `No shift ${request.params.id}`);
        return view(shift);
      },
    );

    app.get(
      '/shifts',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: "A terminal's shifts, newest first",
          querystring: Type.Object({
            terminalId: TerminalId,
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: { 200: Type.Object({ shifts: Type.Array(ShiftView) }) },
        },
      },
      async (request) => {
        const reader = readerOf(request);
        if (reader.terminalId !== null && reader.terminalId !== request.query.terminalId)
          throw forbidden('terminal_mismatch', `This key belongs to terminal ${reader.terminalId}`);
        // A terminal's shifts are all at its store: another store's terminal lists as one without shifts.
        const list = (await shifts.list(db, request.query.terminalId, request.query.limit)).filter((shift) =>
          canSeeTill(reader, shift),
        );
        return { shifts: await Promise.all(list.map(view)) };
      },
    );
  };
}
