import { BackorderAllocatedV1 } from '@tillstream/contracts';
import type { Outbox, Tx } from '@tillstream/kernel';
import { fillQueue } from './backorder.decide.js';
import type { Placement } from './allocation.decide.js';
import type { BackorderStore } from './backorder.store.js';
import { reservationMovements } from './reservation.decide.js';
import type { ReservationStore } from './reservation.store.js';
import { availableOf } from './stock.decide.js';
import { distinctSorted } from './stock.rows.js';
import { keyOf, type StockKey, type StockStore } from './stock.store.js';

export interface BackorderAllocator {
  /**
   * Gives units that just became available at these keys to their backorder queues, oldest first. Call it in
   * the transaction that made them available (a receipt, transfer, return, count or release), after its
   * movements: the key's balance lock is held, so no new reservation can take the units first.
   */
  allocate(tx: Tx, keys: readonly StockKey[], now: string): Promise<void>;
}

/** Told of every fill in the allocating transaction, at the reservation's new version (fulfilments use it). */
export type BackorderFilled = (
  tx: Tx,
  reservationId: string,
  placement: Placement,
  version: number,
  now: string,
) => Promise<void>;

export function createBackorderAllocator(deps: {
  outbox: Outbox;
  stock: StockStore;
  reservations: ReservationStore;
  backorders: BackorderStore;
  onFilled?: BackorderFilled;
}): BackorderAllocator {
  return {
    async allocate(tx, keys, now) {
      for (const key of distinctSorted(keys)) {
        const queue = await deps.backorders.openAt(tx, key.sku, key.locationId);
        if (queue.length === 0) continue;
        const balance = (await deps.stock.lock(tx, [key])).get(keyOf(key))!;
        // Safety stock guards promises not yet made; these customers were promised the units already.
        for (const fill of fillQueue(queue, availableOf(balance))) {
          const entry = queue.find((backorder) => backorder.backorderId === fill.backorderId)!;
          const reservation = await deps.reservations.find(tx, entry.reservationId, true);
          if (reservation?.status !== 'held' && reservation?.status !== 'committed') continue;
          const reference = `backorder/${entry.backorderId}@${entry.filled}`;
          const placement: Placement = {
            line: entry.line,
            sku: key.sku,
            locationId: key.locationId,
            quantity: fill.take,
          };
          for (const hold of reservationMovements(reference, 'hold', [placement], now, reservation.channel)) {
            if (!(await deps.stock.hold(tx, hold, 0)))
              throw new Error(`backorder fill ${reference} lost its stock`);
          }
          // A committed order takes its units at once; a held one keeps them held like the rest of its lines.
          if (reservation.status === 'committed') {
            for (const commit of reservationMovements(
              reference,
              'commit',
              [placement],
              now,
              reservation.channel,
            ))
              await deps.stock.apply(tx, commit);
          }
          await deps.reservations.addAllocations(tx, reservation.id, [placement]);
          if (reservation.status === 'committed')
            await deps.reservations.commitAllocations(tx, reservation.id, [placement]);
          await deps.backorders.fill(tx, entry.backorderId, fill.filled, fill.remaining === 0, now);
          const version = await deps.reservations.bumpVersion(tx, reservation.id, now);
          await deps.outbox.append(tx, [
            {
              contract: BackorderAllocatedV1,
              subject: `reservation/${reservation.id}`,
              sequence: version,
              data: {
                backorderId: entry.backorderId,
                reservationId: reservation.id,
                version,
                sku: key.sku,
                locationId: key.locationId,
                quantity: fill.take,
                filled: fill.filled,
                remaining: fill.remaining,
              },
            },
          ]);
          await deps.onFilled?.(tx, reservation.id, placement, version, now);
        }
      }
    },
  };
}
