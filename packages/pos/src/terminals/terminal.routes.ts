import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId } from '@tillstream/contracts';
import { forbidden, notFound, unavailable, type Clock } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { Directory } from '../directory/directory.js';
import { knownStore } from '../directory/known-store.js';
import { TerminalId } from '../pos.schemas.js';
import { canSeeTill, readerOf } from '../read-scope.js';
import type { TerminalKeys } from './terminal.keys.js';
import type { Terminal, TerminalStore } from './terminal.store.js';

const TerminalView = Type.Object({
  terminalId: Type.String(),
  storeId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  registeredAt: Type.String(),
  lastSyncAt: Type.Union([Type.String(), Type.Null()]),
  lastShiftSeq: Type.Integer({
    description: 'Highest shift number seen; a reinstalled terminal goes on after it',
  }),
  hasKey: Type.Boolean(),
});
const IssuedView = Type.Object({
  ...TerminalView.properties,
  apiKey: Type.Object({ id: Type.String(), secret: Type.String({ description: 'Shown once' }) }),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });

const view = ({ keyId, ...terminal }: Terminal) => ({ ...terminal, hasKey: keyId !== null });

export function terminalRoutes(deps: {
  terminals: TerminalStore;
  directory: Directory;
  keys: TerminalKeys | undefined;
  clock: Clock;
}): FastifyPluginAsync {
  const { terminals, directory, clock } = deps;
  const keys = (): TerminalKeys => {
    if (!deps.keys) throw unavailable('terminal_keys_unavailable', 'This POS cannot issue API keys');
    return deps.keys;
  };
  /** Issues a key and binds it; a key that could not be bound is revoked again, so none is left dangling. */
  const issue = async (
    terminal: { terminalId: string; storeId: string; name: string | null },
    previous: string | null,
  ) => {
    const issued = await keys().issue({ ...terminal, name: terminal.name ?? terminal.terminalId });
    try {
      const bound = await terminals.attachKey(terminal, issued.keyId, previous, clock.now().toISOString());
      if (previous) await keys().revoke(previous);
      return { ...view(bound), apiKey: { id: issued.keyId, secret: issued.secret } };
    } catch (error) {
      await keys().revoke(issued.keyId);
      throw error;
    }
  };
  const own = (principalTerminal: string | null | undefined, terminalId: string) => {
    if (principalTerminal && principalTerminal !== terminalId)
      throw forbidden('terminal_mismatch', `This key belongs to terminal ${principalTerminal}`);
  };

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/terminals',
      {
        config: { scope: 'admin', secretInAnswer: true },
        schema: {
          tags: ['pos'],
          summary: 'Register a terminal at a store and issue its own API key (shown once)',
          description:
            'The key has `pos:read` and `pos:write`, bound to this terminal and store. A terminal first seen ' +
            'through a sale can be registered this way too; one that has a key answers 409 (rotate instead).',
          body: Type.Object(
            { terminalId: TerminalId, storeId: LocationId, name: Type.Optional(Name) },
            { additionalProperties: false },
          ),
          response: { 201: IssuedView },
        },
      },
      async (request, reply) => {
        const { terminalId, storeId, name } = request.body;
        await knownStore(directory, storeId);
        return reply.code(201).send(await issue({ terminalId, storeId, name: name ?? null }, null));
      },
    );

    app.post(
      '/terminals/:terminalId/keys',
      {
        config: { scope: 'admin', secretInAnswer: true },
        schema: {
          tags: ['pos'],
          summary: "Rotate a terminal's API key: a new one is issued (shown once) and the old one revoked",
          params: Type.Object({ terminalId: TerminalId }),
          body: Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false }),
          response: { 201: IssuedView },
        },
      },
      async (request, reply) => {
        const terminal = await terminals.find(request.params.terminalId);
        if (!terminal) throw notFound('terminal_not_found', `No terminal ${request.params.terminalId}`);
        const name = request.body.name ?? terminal.name;
        return reply.code(201).send(await issue({ ...terminal, name }, terminal.keyId));
      },
    );

    app.get(
      '/terminals',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            'Registered terminals, with when each last synced (a terminal key sees only itself, a key bound ' +
            'to a store only its store’s)',
          querystring: Type.Object({
            storeId: Type.Optional(LocationId),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          }),
          response: { 200: Type.Object({ terminals: Type.Array(TerminalView) }) },
        },
      },
      async (request) => {
        const reader = readerOf(request);
        const list = reader.terminalId
          ? [await terminals.find(reader.terminalId)].filter(
              (terminal): terminal is Terminal => terminal !== null,
            )
          : reader.storeId && request.query.storeId && request.query.storeId !== reader.storeId
            ? []
            : await terminals.list(reader.storeId ?? request.query.storeId, request.query.limit);
        return { terminals: list.map(view) };
      },
    );

    app.get(
      '/terminals/:terminalId',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'A terminal',
          params: Type.Object({ terminalId: TerminalId }),
          response: { 200: TerminalView },
        },
      },
      async (request) => {
        own(request.principal?.terminalId, request.params.terminalId);
        const terminal = await terminals.find(request.params.terminalId);
        // Another store's terminal is unknown to a key bound to a store, as its sales are.
        if (!terminal || !canSeeTill(readerOf(request), terminal))
          throw notFound('terminal_not_found', `No terminal ${request.params.terminalId}`);
        return view(terminal);
      },
    );
  };
}
