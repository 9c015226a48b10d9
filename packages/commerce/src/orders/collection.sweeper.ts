import { isDomainError, periodicJob, type Clock, type Db, type Logger } from '@tillstream/kernel';
import type { OrderCommands } from './order.commands.js';
import { orderStore } from './order.store.js';

const BATCH = 100;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Cancels collections nobody came for: an order `ready_for_pickup` for `holdDays` is cancelled as a merchant's
 * cancel would (ERP releases its hold, so the units are the store's again and its fulfilment is cancelled;
 * the promotion uses and the payment go back). Each order is its own cancel: one that ERP or the payment
 * provider cannot finish now is logged and tried again at the next sweep, and one handed over meanwhile is
 * refused by ERP and left as it is.
 */
export function createCollectionSweeper(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  orders: Pick<OrderCommands, 'apply'>;
  holdDays: number;
  intervalMs: number;
}) {
  const reason = `not collected within ${deps.holdDays} days`;

  /** Cancels every collection waiting past the hold; returns how many it cancelled. */
  const sweep = async (): Promise<number> => {
    const before = new Date(deps.clock.now().getTime() - deps.holdDays * DAY_MS).toISOString();
    let cancelled = 0;
    const failed = new Set<string>();
    for (;;) {
      const due = (await orderStore.readyForPickupSince(deps.db, before, BATCH + failed.size)).filter(
        (id) => !failed.has(id),
      );
      if (due.length === 0) return cancelled;
      for (const id of due.slice(0, BATCH)) {
        try {
          const order = await deps.orders.apply(id, { type: 'cancel', reason });
          if (order.status === 'cancelled') cancelled += 1;
          else failed.add(id);
        } catch (error) {
          failed.add(id);
          // Handed over at the counter while this ran: ERP keeps the hold, the order is on its way to delivered.
          if (!(isDomainError(error) && error.code === 'order_transition_invalid'))
            deps.logger.warn(
              { err: error, orderId: id },
              'cancelling an uncollected order failed; retrying later',
            );
        }
      }
    }
  };

  const job = periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'collection sweep failed; retrying next interval',
  });
  return { sweep, start: job.start, stop: job.stop };
}
