import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { keepOrigin, notFound, type Clock } from '@tillstream/kernel';
import { Type } from 'typebox';
import { LocationId } from '@tillstream/contracts';
import { TerminalId } from '../pos.schemas.js';
import { quarantineFilter, readerOf } from '../read-scope.js';
import { posterOf } from '../poster.js';
import { authorizePoster } from '../sales/sale.decide.js';
import type { TerminalStore } from '../terminals/terminal.store.js';
import type { QuarantineStore } from './quarantine.store.js';
import type { SyncApplier } from './sync.apply.js';
import { QuarantinedView, SyncBody, SyncResult, SyncView } from './sync.schemas.js';

/** A terminal key acts only as its own terminal; its store is checked on every transaction. */
const forTerminal = (request: FastifyRequest, terminalId: string) =>
  authorizePoster({ terminalId: posterOf(request).terminalId, storeId: null }, { terminalId, storeId: '' });

export function syncRoutes(deps: {
  applier: SyncApplier;
  quarantine: QuarantineStore;
  terminals: TerminalStore;
  clock: Clock;
}): FastifyPluginAsync {
  const { applier, quarantine, terminals, clock } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/sync',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary:
            "Upload a terminal's queued transactions: one result per transaction, in any order, idempotent",
          description:
            'Each transaction is `{type, ...}` with the body of POST /sales, /returns or /shifts (`shift_open`), ' +
            'or a `shift_close`. Results: `accepted`; `duplicate` (had it already: mark it synced); `rejected` ' +
            'with a `code`, either `retryable` (send again later) or `quarantined` (kept with its reason at ' +
            'GET /quarantine; never blocks the rest). Always 200 when the batch itself is well-formed.',
          body: SyncBody,
          response: { 200: SyncView },
        },
      },
      async (request) => {
        const { terminalId, transactions } = request.body;
        forTerminal(request, terminalId);
        const results = await applier.apply(terminalId, transactions, posterOf(request));
        const receivedAt = clock.now().toISOString();
        if (results.some((result) => result.status !== 'rejected'))
          await terminals.touchSync(terminalId, receivedAt);
        return { terminalId, receivedAt, results };
      },
    );

    app.get(
      '/quarantine',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'Synced transactions rejected for good, with the reason, oldest first',
          description:
            "A terminal's key lists its own. `storeId` lists every till of a store (by the store each terminal " +
            'is registered to): for a key with `pos:manage`, of its own store when bound to one; otherwise 403 ' +
            '`store_scope_forbidden`.',
          querystring: Type.Object({
            terminalId: Type.Optional(TerminalId),
            storeId: Type.Optional(LocationId),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          }),
          response: { 200: Type.Object({ transactions: Type.Array(QuarantinedView) }) },
        },
      },
      async (request) => {
        const filter = quarantineFilter(readerOf(request), request.query);
        return { transactions: await quarantine.list(filter, request.query.limit) };
      },
    );

    app.post(
      '/quarantine/:terminalId/:transactionId/retry',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Apply a quarantined transaction again, e.g. once the SKU or the receipt it needed exists',
          params: Type.Object({
            terminalId: TerminalId,
            transactionId: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          body: Type.Object({}, { additionalProperties: false }),
          response: { 200: SyncResult },
        },
      },
      async (request) => {
        const { terminalId, transactionId } = request.params;
        forTerminal(request, terminalId);
        const inRequest = keepOrigin();
        const entry = await quarantine.get(terminalId, transactionId);
        if (!entry)
          throw notFound('quarantine_entry_not_found', `No quarantined ${transactionId} of ${terminalId}`);
        return inRequest(() =>
          applier.applyOne(terminalId, entry.transaction as { type: string; id: string }, posterOf(request)),
        );
      },
    );
  };
}
