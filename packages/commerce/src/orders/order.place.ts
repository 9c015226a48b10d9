import { OrderPlacedV1, type OrderPlacedV1Data } from '@tillstream/contracts';
import { conflict, type Outbox, type Tx } from '@tillstream/kernel';
import { closeClaimedCart } from '../checkout/checkout.claim.js';
import { orderStore, type Order } from './order.store.js';

/**
 * Places a paid order in the caller's transaction: its cart closed, the order row, and
 * `commerce.order.placed` in the outbox, so all three commit together or not at all. The cart closes only
 * if the checkout placing it still holds its claim (`claimVersion`): one that lost it (taken over after the
 * lease) gets 409 `checkout_in_progress` and places nothing.
 */
export async function placeOrder(tx: Tx, outbox: Outbox, order: Order, claimVersion: number): Promise<void> {
  if (!(await closeClaimedCart(tx, order.cartId, claimVersion, order.placedAt)))
    throw conflict(
      'checkout_in_progress',
      `Cart ${order.cartId} was taken over by another checkout; this one placed no order`,
      // A retry answers the order of the checkout that took it over, or runs once its claim lapses.
      { retryAfterSeconds: 2 },
    );
  await orderStore.insert(tx, order);
  const data: OrderPlacedV1Data = {
    orderId: order.id,
    cartId: order.cartId,
    reservationId: order.reservationId,
    channel: order.channel,
    email: order.email,
    currency: order.currency,
    lines: order.lines,
    ...(order.shipping ? { shipping: order.shipping } : {}),
    total: order.total,
    payment: order.payment,
    placedAt: order.placedAt,
  };
  await outbox.append(tx, [{ contract: OrderPlacedV1, subject: `order/${order.id}`, sequence: 1, data }]);
}
