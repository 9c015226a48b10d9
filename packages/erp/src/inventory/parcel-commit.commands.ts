import { conflict, notFound, type Tx } from '@tillstream/kernel';
import { decideParcelCommit, type Parcel } from './parcel-commit.decide.js';
import { reservationMovements } from './reservation.decide.js';
import type { ReservationStore } from './reservation.store.js';
import type { StockStore } from './stock.store.js';

/**
 * Takes one shipped parcel's units out of its order's reservation, inside the shipment's transaction: they
 * leave `reserved` and `onHand` at the parcel's location with a `commit` movement under the order's channel
 * (so the valuation books their cost of sales now), while the rest of the order stays held. The reservation
 * stays `held` and publishes nothing of its own: its status and lines did not change, and
 * `erp.reservation.committed` still means the whole order left. Lock order as every reservation change:
 * balance rows first, then the reservation row.
 */
export async function commitParcelIn(
  tx: Tx,
  deps: { stock: StockStore; reservations: ReservationStore },
  reservationId: string,
  parcel: Parcel & { reference: string; at: string },
): Promise<void> {
  const { stock, reservations } = deps;
  if (!(await reservations.find(tx, reservationId)))
    throw notFound('reservation_not_found', `No reservation ${reservationId}`);
  await stock.lock(
    tx,
    parcel.lines.map((line) => ({ sku: line.sku, locationId: parcel.locationId })),
  );
  const reservation = (await reservations.find(tx, reservationId, true))!;
  // A cancelled order's hold was released: nothing of it may leave the building.
  if (reservation.status !== 'held')
    throw conflict('reservation_not_held', `Reservation ${reservationId} is not held`, {
      status: reservation.status,
    });
  const { commit } = decideParcelCommit(await reservations.heldAllocations(tx, reservationId), parcel);
  for (const movement of reservationMovements(
    parcel.reference,
    'commit',
    commit,
    parcel.at,
    reservation.channel,
  ))
    await stock.apply(tx, movement);
  await reservations.commitAllocations(tx, reservationId, commit);
}
