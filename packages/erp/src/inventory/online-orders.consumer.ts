import { OrderPlacedV1, type CloudEvent, type OrderPlacedV1Data } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import type { FulfilmentCommands } from './fulfilment.commands.js';
import type { ReservationCommands } from './reservation.commands.js';

/** How long a placed order keeps its units reserved while it waits for fulfilment. */
const ORDER_HOLD_MS = 30 * 24 * 3_600_000;

/**
 * An online order placed in commerce keeps its checkout hold until it ships or is cancelled, exactly once
 * (inbox), and is allocated to fulfilments (one per location holding part of it). A hold the sweeper expired
 * before the event arrived is held anew, since the order is paid: what stock is left is held, the rest
 * backordered. Only a hold released on purpose (a cancelled order) fails the event into the dead-letter store.
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
      const until = new Date(new Date(order.placedAt).getTime() + ORDER_HOLD_MS).toISOString();
      await deps.commands.holdForOrder(tx, order.reservationId, order.placedAt, until);
      await deps.fulfilments.createForOrder(tx, order, event.id);
    },
  };
}
