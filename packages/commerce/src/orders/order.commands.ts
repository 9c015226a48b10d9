import { conflict, notFound, type Clock, type Db } from '@tillstream/kernel';
import type { ErpPort } from '../erp.port.js';
import { decideOrder, type OrderCommand } from './order.decide.js';
import { orderStore, type Order } from './order.store.js';

/** Optimistic attempts before a step gives up on an order that keeps changing under it. */
const MAX_ATTEMPTS = 3;

/**
 * Runs one state-machine step on an order and carries out its effects. Stock goes back before the status is
 * saved: if ERP is unreachable the cancel fails (503) and can be retried, rather than a cancelled order
 * keeping its stock held.
 */
export function createOrderCommands(deps: { db: Db; clock: Clock; erp: ErpPort }) {
  const { db } = deps;
  const find = async (id: string) => {
    const order = await orderStore.find(db, id);
    if (!order) throw notFound('order_not_found', `No order ${id}`);
    return order;
  };

  return {
    find,
    async apply(id: string, command: OrderCommand): Promise<Order> {
      // ERP's fulfilment events move the order on concurrently (placed → allocated); the effects are
      // idempotent in ERP, so a lost optimistic race is decided again on the fresh status.
      for (let attempt = 1; ; attempt += 1) {
        const order = await find(id);
        const decision = decideOrder(order, command, deps.clock.now().toISOString());
        if (!decision.changed) return order;
        for (const effect of decision.effects) {
          if (effect.type === 'release_stock') await deps.erp.release(order.reservationId);
          // refund_payment: the test provider holds no money; a real provider's refund goes here.
        }
        const next: Order = { ...order, ...decision.state };
        if (await db.transaction((tx) => orderStore.updateStatus(tx, next, order.version))) return next;
        if (attempt >= MAX_ATTEMPTS)
          throw conflict('order_transition_invalid', `Order ${id} changed concurrently; retry`);
      }
    },
  };
}

export type OrderCommands = ReturnType<typeof createOrderCommands>;
