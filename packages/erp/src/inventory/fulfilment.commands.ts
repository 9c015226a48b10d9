import { FulfillmentCreatedV1, FulfillmentShippedV1, type EventContract } from '@tillstream/contracts';
import { conflict, notFound, type Clock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import { decideShip, planFulfilments, type Fulfilment } from './fulfilment.decide.js';
import type { FulfilmentStore } from './fulfilment.store.js';
import type { ReservationCommands } from './reservation.commands.js';
import type { ReservationStore } from './reservation.store.js';

/**
 * Fulfilments of online orders. An order's units stay reserved while its fulfilments are open; when the last
 * one ships the reservation is committed in the same transaction (units leave reserved and on-hand). Lock
 * order: the order's fulfilment rows, then what the reservation commit locks (balances, reservation).
 */
export function createFulfilmentCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  fulfilments: FulfilmentStore;
  reservations: ReservationStore;
  commands: ReservationCommands;
}) {
  const { db, fulfilments } = deps;

  const publish = (
    tx: Tx,
    contract: EventContract,
    fulfilment: Fulfilment,
    occurredAt: string,
    extra: Record<string, unknown> = {},
    correlationId?: string,
  ) =>
    deps.outbox.append(tx, [
      {
        contract,
        subject: `fulfilment/${fulfilment.id}`,
        sequence: fulfilment.version,
        // One key per order, so an order's fulfilment events keep their relative order on the bus.
        partitionKey: `order/${fulfilment.orderId}`,
        data: {
          fulfilmentId: fulfilment.id,
          orderId: fulfilment.orderId,
          reservationId: fulfilment.reservationId,
          locationId: fulfilment.locationId,
          version: fulfilment.version,
          status: fulfilment.status,
          lines: fulfilment.lines,
          occurredAt,
          ...extra,
        },
        ...(correlationId ? { correlationId } : {}),
      },
    ]);

  return {
    /** Allocates a placed order to the locations holding its units, inside the consumer's transaction. */
    async createForOrder(
      tx: Tx,
      order: { orderId: string; reservationId: string },
      correlationId?: string,
    ): Promise<void> {
      const now = deps.clock.now().toISOString();
      const placements = await deps.reservations.allocations(tx, order.reservationId);
      for (const fulfilment of planFulfilments(order, placements, now)) {
        if (await fulfilments.insert(tx, fulfilment))
          await publish(tx, FulfillmentCreatedV1, fulfilment, now, {}, correlationId);
      }
    },
    async ship(id: string): Promise<Fulfilment> {
      return db.transaction(async (tx) => {
        const found = await fulfilments.find(tx, id);
        if (!found) throw notFound('fulfilment_not_found', `No fulfilment ${id}`);
        const siblings = await fulfilments.ofOrder(tx, found.orderId, true);
        const now = deps.clock.now().toISOString();
        const decision = decideShip(siblings, id, now);
        if (!decision) return siblings.find((fulfilment) => fulfilment.id === id)!;
        if (decision.orderShipped) {
          await deps.commands.commitIn(tx, found.reservationId);
        } else {
          // A cancelled order's hold was released: nothing of it may leave the building.
          const reservation = await deps.reservations.find(tx, found.reservationId);
          if (reservation?.status !== 'held')
            throw conflict('reservation_not_held', `Reservation ${found.reservationId} is not held`);
        }
        await fulfilments.markShipped(tx, decision.fulfilment);
        await publish(tx, FulfillmentShippedV1, decision.fulfilment, now, {
          orderShipped: decision.orderShipped,
        });
        return decision.fulfilment;
      });
    },
    find: async (id: string): Promise<Fulfilment> => {
      const fulfilment = await fulfilments.find(db, id);
      if (!fulfilment) throw notFound('fulfilment_not_found', `No fulfilment ${id}`);
      return fulfilment;
    },
    ofOrder: (orderId: string) => fulfilments.ofOrder(db, orderId),
  };
}

export type FulfilmentCommands = ReturnType<typeof createFulfilmentCommands>;
