import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, Db, DomainError, Tx } from '@tillstream/kernel';
import { decideDeletion, decideUpsert, type Versioned } from './definition.decide.js';
import type { DefinitionStore } from './definition.store.js';
import { DeletedView, historyView, IdParams } from './pricing.schemas.js';

/** One kind of versioned definition as the API shows it: where it lives and how a body becomes one. */
export interface DefinitionApi<T extends Versioned, Body> {
  path: string;
  noun: string;
  body: TSchema;
  view: TSchema;
  store: DefinitionStore<T>;
  normalize(id: string, body: Body): Omit<T, 'version'>;
  missing(id: string): DomainError;
  /** Checks against other stored definitions before a change is saved (e.g. one tax rate per scope). */
  check?(tx: Tx, state: T): Promise<void>;
}

/**
 * PUT (create or change: 201 the first time, 200 after; a PUT that changes nothing keeps the version), GET one,
 * GET all, DELETE (a new version, published like any change) and GET the versions of one definition.
 */
export function definitionRoutes<T extends Versioned, Body>(
  api: DefinitionApi<T, Body>,
  deps: { db: Db; clock: Clock },
): FastifyPluginAsync {
  const { store } = api;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'pricing'];

    app.put(
      `${api.path}/:id`,
      {
        config: { scope: 'erp:write' },
        schema: {
          tags,
          summary: `Create or change a ${api.noun}`,
          description:
            'Each change takes the next version and is published as an event; the same content again changes nothing.',
          params: IdParams,
          body: api.body,
          response: { 200: api.view, 201: api.view },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const decision = await deps.db.transaction(async (tx) => {
          const decided = decideUpsert(await store.find(tx, id), api.normalize(id, request.body as Body));
          if (decided.change !== null) await api.check?.(tx, decided.state);
          await store.save(tx, decided, deps.clock.now().toISOString());
          return decided;
        });
        return reply.code(decision.change === 'created' ? 201 : 200).send(decision.state as never);
      },
    );

    app.get(
      api.path,
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: `List ${api.noun}s`,
          response: { 200: Type.Object({ items: Type.Array(api.view) }) },
        },
      },
      async () => ({ items: (await store.list(deps.db)) as never[] }),
    );

    app.get(
      `${api.path}/:id`,
      {
        config: { scope: 'erp:read' },
        schema: { tags, summary: `Get a ${api.noun}`, params: IdParams, response: { 200: api.view } },
      },
      async (request) => {
        const stored = await store.find(deps.db, request.params.id);
        if (!stored || stored.deleted) throw api.missing(request.params.id);
        return stored.state as never;
      },
    );

    app.delete(
      `${api.path}/:id`,
      {
        config: { scope: 'erp:write' },
        schema: { tags, summary: `Delete a ${api.noun}`, params: IdParams, response: { 200: DeletedView } },
      },
      async (request) => {
        const { id } = request.params;
        const decision = await deps.db.transaction(async (tx) => {
          const decided = decideDeletion(await store.find(tx, id), () => api.missing(id));
          await store.save(tx, decided, deps.clock.now().toISOString());
          return decided;
        });
        return { id, version: decision.state.version, deleted: true as const };
      },
    );

    app.get(
      `${api.path}/:id/versions`,
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: `Every version of a ${api.noun}`,
          params: IdParams,
          response: { 200: historyView(api.view) },
        },
      },
      async (request) => {
        const versions = await store.history(deps.db, request.params.id);
        if (versions.length === 0) throw api.missing(request.params.id);
        return { id: request.params.id, versions: versions as never[] };
      },
    );
  };
}
