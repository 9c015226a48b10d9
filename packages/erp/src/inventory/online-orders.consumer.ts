import { OrderPlacedV1, type CloudEvent, type OrderPlacedV1Data } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import type { FulfilmentCommands } from './fulfilment.commands.js';
import { orderShipping } from './fulfilment.decide.js';
import type { ReservationCommands } from './reservation.commands.js';

/**
 * An online order placed in commerce keeps its checkout hold until it ships or is cancelled, with no time
 * limit (an order waiting weeks for stock or for its last parcel must not have its units sold again), and is
 * allocated to fulfilments (one per location holding part of it), exactly once (inbox). A hold the sweeper expired
 * before the event arrived is held anew, since the order is paid: what stock is left is held, the rest
 * backordered. Only a hold released on purpose (a cancelled order) fails the event into the dead-letter store.
 * The order's delivery (method and address) is kept for its fulfilments: a picker must know where it goes.
 */
export function onlineOrdersConsumer(deps: {
  db: Db;
  commands: ReservationCommands;
  fulfilments: FulfilmentCommands;
}): ConsumerSpec {
  return {
    name: 'erp.online-orders',
    db: deps.db,
    sources: ['commerce'],
    types: [OrderPlacedV1.type],
    async handle(event: CloudEvent, tx) {
      const order = event.data as OrderPlacedV1Data;
      await deps.commands.holdForOrder(tx, order.reservationId, order.placedAt);
      await deps.fulfilments.createForOrder(tx, {
        orderId: order.orderId,
        reservationId: order.reservationId,
        placedAt: order.placedAt,
        shipping: orderShipping(order),
      });
    },
  };
}
