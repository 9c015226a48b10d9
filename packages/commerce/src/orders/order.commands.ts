import { conflict, keepOrigin, notFound, type Clock, type Db, type KeptOrigin } from '@tillstream/kernel';
import type { ErpPort } from '../erp.port.js';
import { decideOrder, type OrderCommand } from './order.decide.js';
import { orderStore, type Order } from './order.store.js';
import type { Refunds } from './refund.commands.js';

/** The id of the refund a cancel makes: one per order, so a repeated cancel refunds once. */
const CANCEL_REFUND = 'cancel';

/** Optimistic attempts before a step gives up on an order that keeps changing under it. */
const MAX_ATTEMPTS = 3;

/**
 * Runs one state-machine step on an order and carries out its effects. Stock, promotion uses and money go back
 * before the status is saved: if ERP or the payment provider fails, the cancel fails (503) and can be retried,
 * rather than a cancelled order keeping its stock held, its promotion uses or its money.
 */
export function createOrderCommands(deps: { db: Db; clock: Clock; erp: ErpPort; refunds: Refunds }) {
  const { db } = deps;

  /**
   * Pays back what is left of the order when the refund is counted, naming what is left of its delivery: a
   * goodwill refund that went through since this step read the order takes its part, not the whole cancel.
   * A retry finishes the refund an earlier attempt started.
   */
  const refundRest = (order: Order, inRequest: KeptOrigin) =>
    inRequest(() =>
      deps.refunds.refundUpTo(order, {
        id: CANCEL_REFUND,
        amount: order.total,
        shipping: order.shipping?.amount ?? 0,
        reason: 'cancelled',
        returnId: null,
      }),
    );
  const find = async (id: string) => {
    const order = await orderStore.find(db, id);
    if (!order) throw notFound('order_not_found', `No order ${id}`);
    return order;
  };

  return {
    find,
    async apply(id: string, command: OrderCommand): Promise<Order> {
      const inRequest = keepOrigin();
      // ERP's fulfilment events move the order on concurrently (placed → allocated); the effects are
      // idempotent in ERP, so a lost optimistic race is decided again on the fresh status.
      for (let attempt = 1; ; attempt += 1) {
        const order = await find(id);
        const decision = decideOrder(order, command, deps.clock.now().toISOString());
        if (!decision.changed) return order;
        let stale = false;
        for (const effect of decision.effects) {
          // ERP refuses (409 `order_transition_invalid`) once any of the order shipped: nothing else happens.
          if (effect.type === 'release_stock') await inRequest(() => deps.erp.release(order.reservationId));
          // Checkout redeems under the order's id; an order that applied no limited promotion took nothing.
          if (effect.type === 'release_promotions')
            await inRequest(() => deps.erp.releaseRedemption(order.id));
          if (effect.type === 'refund_payment') {
            // Money goes back only on the order this step was decided on; one that moved meanwhile is decided
            // again (the releases are idempotent), so a refund never follows a status it did not see.
            stale = (await find(id)).version !== order.version;
            if (!stale) await refundRest(order, inRequest);
          }
        }
        // The refund changed what the order has refunded; the status step is still judged on `order.version`.
        const refunded = decision.effects.length > 0 ? (await find(id)).refunded : order.refunded;
        const next: Order = { ...order, ...decision.state, refunded };
        if (!stale && (await db.transaction((tx) => orderStore.updateStatus(tx, next, order.version))))
          return next;
        if (attempt >= MAX_ATTEMPTS)
          throw conflict('order_transition_invalid', `Order ${id} changed concurrently; retry`);
      }
    },
  };
}

export type OrderCommands = ReturnType<typeof createOrderCommands>;
