import { OrderPlacedV1, type OrderPlacedV1Data } from '@tillstream/contracts';
import type { Outbox, Tx } from '@tillstream/kernel';
import { orderStore, type Order } from './order.store.js';

/**
 * Places a paid order in the caller's transaction: the order row, its cart closed, and
 * `commerce.order.placed` in the outbox, so all three commit together or not at all.
 */
export async function placeOrder(tx: Tx, outbox: Outbox, order: Order): Promise<void> {
  await orderStore.insert(tx, order);
  await tx.execute(
    `UPDATE carts SET status = 'ordered', version = version + 1, updated_at = $2 WHERE id = $1`,
    [order.cartId, order.placedAt],
  );
  const data: OrderPlacedV1Data = {
    orderId: order.id,
    cartId: order.cartId,
    reservationId: order.reservationId,
    channel: order.channel,
    email: order.email,
    currency: order.currency,
    lines: order.lines,
    total: order.total,
    payment: order.payment,
    placedAt: order.placedAt,
  };
  await outbox.append(tx, [{ contract: OrderPlacedV1, subject: `order/${order.id}`, sequence: 1, data }]);
}
