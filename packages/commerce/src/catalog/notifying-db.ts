import type { Db } from '@tillstream/kernel';

/**
 * The same database, calling `afterCommit` once each transaction has committed (and before the caller
 * goes on). Handed to the catalog projection's consumer, it lets the cache re-read what the consumer just
 * committed before the consumer acknowledges the event and takes the next one. A failing listener is logged
 * by the caller's `afterCommit` itself: the transaction stands either way.
 */
export function notifyingDb(db: Db, afterCommit: () => Promise<void>): Db {
  return {
    get dialect() {
      return db.dialect;
    },
    get context() {
      return db.context;
    },
    async transaction(fn) {
      const result = await db.transaction(fn);
      await afterCommit();
      return result;
    },
    query: (sql, params) => db.query(sql, params),
    snapshot: (fn) => db.snapshot(fn),
    onOutboxCommit: (listener) => db.onOutboxCommit(listener),
    close: () => db.close(),
  };
}
