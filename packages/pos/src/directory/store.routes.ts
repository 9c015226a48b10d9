import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId } from '@tillstream/contracts';
import { notFound } from '@tillstream/kernel';
import { Type } from 'typebox';
import { readerOf } from '../read-scope.js';
import type { Directory } from './directory.js';

const StoreView = Type.Object({
  storeId: Type.String(),
  name: Type.String(),
  cashRoundingIncrement: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Cash rounding, minor units: the till rounds what is due in cash (what the other tenders leave) to the ' +
      'nearest multiple, half up, and states the difference as the sale’s `cashRounding`. Null: the store ' +
      'does not round',
  }),
  version: Type.Integer({ description: "ERP's version of the location POS holds" }),
});

/**
 * The facts of a store a till works by, as POS learned them from ERP: a till downloads them with its catalog
 * and keeps them, so it rounds cash offline exactly as the server checks it.
 */
export function storeRoutes(deps: { directory: Directory }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/stores/:storeId',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'A store as POS knows it from ERP: what its tills work by (cash rounding)',
          description:
            "A key bound to a store or terminal reads its own store only (another store's is 404 " +
            '`location_not_found`). A warehouse is no store: 404 too.',
          params: Type.Object({ storeId: LocationId }),
          response: { 200: StoreView },
        },
      },
      async (request) => {
        const { storeId } = request.params;
        const reader = readerOf(request);
        const store =
          reader.storeId === null || reader.storeId === storeId
            ? await deps.directory.location(storeId)
            : null;
        if (!store || store.kind !== 'store') throw notFound('location_not_found', `No store ${storeId}`);
        return {
          storeId: store.locationId,
          name: store.name,
          cashRoundingIncrement: store.cashRoundingIncrement ?? null,
          version: store.version,
        };
      },
    );
  };
}
