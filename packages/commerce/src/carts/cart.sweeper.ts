import { periodicJob, type Clock, type Db, type Logger } from '@tillstream/kernel';
import { cartStore } from './cart.store.js';

const BATCH = 500;

/**
 * Expires abandoned carts every `intervalMs`: open carts untouched for `expirySeconds` (and carts stuck in a
 * checkout whose process died). Each batch is one conditional update, so several commerce instances may sweep
 * at once and a shopper touching a cart at the same moment keeps it. Carts hold no stock (checkout holds it in
 * ERP with its own expiry), so expiring them frees nothing but a promise of a price.
 */
export function createCartSweeper(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  expirySeconds: number;
  intervalMs: number;
}) {
  /** Runs until no abandoned cart is left; returns how many expired. */
  const sweep = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const now = deps.clock.now();
      const before = new Date(now.getTime() - deps.expirySeconds * 1000).toISOString();
      const ids = await cartStore.abandonedIds(deps.db, before, BATCH);
      const expired = await deps.db.transaction((tx) =>
        cartStore.expireAbandoned(tx, ids, before, now.toISOString()),
      );
      total += expired;
      if (ids.length < BATCH || expired === 0) return total;
    }
  };

  const job = periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'cart sweep failed; retrying next interval',
  });
  return { sweep, start: job.start, stop: job.stop };
}
