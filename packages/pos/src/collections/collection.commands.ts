import type { Clock, Db, Tx } from '@tillstream/kernel';
import { authorizePoster, type Poster } from '../sales/sale.decide.js';
import {
  decideHandOver,
  decidePrepare,
  decidePutBack,
  requireVisible,
  type Collection,
  type TillAct,
} from './collection.decide.js';
import type { CollectionStore } from './collection.store.js';

/**
 * A store's tills act on its collections: each act is recorded once, with its event in the same transaction,
 * under the row's lock (two tills pressing the same button publish one event).
 */
export function createCollectionCommands(deps: { db: Db; clock: Clock; collections: CollectionStore }) {
  const { db, collections } = deps;

  const act = (
    decide: (collection: Collection, act: TillAct) => TillAct | null,
    record: (collection: Collection, act: TillAct) => Collection,
    publish: (tx: Tx, collection: Collection) => Promise<unknown>,
  ) =>
    async function (id: string, terminalId: string, poster: Poster): Promise<Collection> {
      return db.transaction(async (tx) => {
        const collection = requireVisible(poster, await collections.find(tx, id, true), id);
        // A terminal's key acts in its own name only (403 `terminal_mismatch`), as for its sales.
        authorizePoster(poster, { terminalId, storeId: collection.storeId });
        const done = decide(collection, { terminalId, at: deps.clock.now().toISOString() });
        if (!done) return collection;
        const next = record(collection, done);
        await collections.save(tx, next);
        await publish(tx, next);
        return next;
      });
    };

  return {
    /** The goods are put aside for the shopper (`pos.collection.prepared`). */
    prepare: act(
      decidePrepare,
      (collection, done) => ({ ...collection, prepared: done }),
      collections.publishPrepared,
    ),
    /** The shopper has the goods (`pos.collection.handed_over`). */
    handOver: act(
      decideHandOver,
      (collection, done) => ({
        ...collection,
        handedOver: done,
        collectedAt: collection.collectedAt ?? done.at,
      }),
      collections.publishHandedOver,
    ),
    /** A cancelled collection's goods are back on the shelf (`pos.collection.put_back`). */
    putBack: act(
      decidePutBack,
      (collection, done) => ({ ...collection, putBack: done }),
      collections.publishPutBack,
    ),
    find: async (id: string, poster: Poster) => requireVisible(poster, await collections.find(db, id), id),
  };
}

export type CollectionCommands = ReturnType<typeof createCollectionCommands>;
