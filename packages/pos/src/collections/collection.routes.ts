import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId } from '@tillstream/contracts';
import { invalid, notFound, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import { posterOf } from '../poster.js';
import type { CollectionCommands } from './collection.commands.js';
import { statusOf, type Collection } from './collection.decide.js';
import {
  CollectionActBody,
  CollectionListQuery,
  CollectionParams,
  CollectionView,
} from './collection.schemas.js';
import type { CollectionStore } from './collection.store.js';

const ACT_DESCRIPTION =
  "A terminal's key acts for itself only (403 `terminal_mismatch`) and sees its own store's collections only " +
  '(another store’s is 404 `collection_not_found`).';

interface ActRoute {
  command: 'prepare' | 'handOver' | 'putBack';
  summary: string;
  description: string;
}

/** What a till does with a collection, by the path's last segment. */
const ACTS: Record<'prepare' | 'hand-over' | 'put-back', ActRoute> = {
  prepare: {
    command: 'prepare',
    summary: 'Put a collection aside for its shopper (picked): ERP makes it ready and the shopper is told',
    description:
      'Publishes `pos.collection.prepared` once; again, or once ERP made it ready, it answers as it is. 409 ' +
      '`collection_cancelled` when its order was cancelled, 409 `collection_collected` once handed over.',
  },
  'hand-over': {
    command: 'handOver',
    summary: 'Hand a collection over to its shopper: ERP ships and delivers it, the order is collected',
    description:
      'Ready or not (the shopper is at the counter and the goods are there). Publishes ' +
      '`pos.collection.handed_over` once; a repeat, or one the back office recorded in ERP, answers as it is. ' +
      '409 `collection_cancelled` when its order was cancelled (`collectionStatus` says whether its goods are ' +
      'to put back).',
  },
  'put-back': {
    command: 'putBack',
    summary: 'A cancelled collection’s goods are back on the shelf: it leaves the desk (`restocked`)',
    description:
      'ERP gave the units back to the store’s stock when the order was cancelled; this records that the goods ' +
      'left the collection area, so the desk stops listing them. Again answers as it is; 409 ' +
      '`collection_not_cancelled` for an order that stands.',
  },
};

/**
 * The collection desk of a store's tills (click and collect): the orders waiting at the store, putting one
 * aside when it is picked, handing it over when its shopper comes. ERP hears of both through events.
 */
export function collectionRoutes(deps: {
  db: Db;
  collections: CollectionStore;
  commands: CollectionCommands;
}): FastifyPluginAsync {
  const { db, collections, commands } = deps;
  /** The collections as a till shows them, with the names of the goods to hand over. */
  const viewsOf = async (list: readonly Collection[]) => {
    const names = await collections.productNames(db, [
      ...new Set(list.flatMap((collection) => collection.lines.map((line) => line.sku))),
    ]);
    return list.map((collection) => ({
      fulfilmentId: collection.fulfilmentId,
      orderId: collection.orderId,
      storeId: collection.storeId,
      status: statusOf(collection),
      collector: collection.collector,
      lines: collection.lines.map((line) => ({ ...line, name: names.get(line.sku) ?? null })),
      readyAt: collection.readyAt,
      collectedAt: collection.collectedAt,
      cancelledAt: collection.cancelledAt,
      prepared: collection.prepared,
      handedOver: collection.handedOver,
      putBack: collection.putBack,
      erpVersion: collection.erp.version,
    }));
  };
  const viewOf = async (collection: Collection) => (await viewsOf([collection]))[0]!;

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/stores/:storeId/collections',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'The click-and-collect orders at a store, oldest first: the collection desk’s queue',
          description:
            "A key bound to a store or terminal lists its own store only (another store's is 404 " +
            '`location_not_found`). Pages follow `next` (`after`); 400 `invalid_cursor` for an unknown one.',
          params: Type.Object({ storeId: LocationId }),
          querystring: CollectionListQuery,
          response: {
            200: Type.Object({
              collections: Type.Array(CollectionView),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { storeId } = request.params;
        const poster = posterOf(request);
        if (poster.storeId !== null && poster.storeId !== storeId)
          throw notFound('location_not_found', `No store ${storeId}`);
        const { status = 'open', after, limit = 50 } = request.query;
        const from = after === undefined ? null : await collections.find(db, after);
        if (after !== undefined && (!from || from.storeId !== storeId))
          throw invalid('invalid_cursor', `No collection ${after} at store ${storeId} to page after`);
        const rows = await collections.page(db, { storeId, status, after: from, limit });
        const page = rows.slice(0, limit);
        return {
          collections: await viewsOf(page),
          next: rows.length > limit ? page[page.length - 1]!.fulfilmentId : null,
        };
      },
    );

    app.get(
      '/collections/:id',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'One collection, by its ERP fulfilment id',
          description: "A key bound to a store or terminal sees its own store's only (else 404).",
          params: CollectionParams,
          response: { 200: CollectionView },
        },
      },
      async (request) => viewOf(await commands.find(request.params.id, posterOf(request))),
    );

    for (const [verb, act] of Object.entries(ACTS))
      app.post(
        `/collections/:id/${verb}`,
        {
          config: { scope: 'pos:write' },
          schema: {
            tags: ['pos'],
            summary: act.summary,
            description: `${act.description} ${ACT_DESCRIPTION}`,
            params: CollectionParams,
            body: CollectionActBody,
            response: { 200: CollectionView },
          },
        },
        async (request) =>
          viewOf(await commands[act.command](request.params.id, request.body.terminalId, posterOf(request))),
      );
  };
}
