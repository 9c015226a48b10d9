import {
  FulfillmentCancelledV1,
  ReservationCommittedV1,
  ReservationExpiredV1,
  ReservationHeldV1,
  ReservationReleasedV1,
  type EventContract,
} from '@tillstream/contracts';
import {
  conflict,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type Outbox,
  type Tx,
} from '@tillstream/kernel';
import { notForSale } from '../catalog/catalog.decide.js';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { allocate, describeShortages } from './allocation.decide.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import type { BackorderStore } from './backorder.store.js';
import type { ChannelStore } from './channel.store.js';
import { decideCancel, hasLeft } from './fulfilment.decide.js';
import { cancelledEventData, fulfilmentEvent } from './fulfilment.event-data.js';
import { createFulfilmentStore, type FulfilmentStore } from './fulfilment.store.js';
import { expandLines } from './kit.decide.js';
import {
  decideOrderHold,
  decideTransition,
  newReservation,
  ORDER_HOLD_EXPIRES_AT,
  reservationMovements,
  reservationView,
  type Reservation,
  type ReservationCommand,
  type ReservationStatus,
  type ReservationView,
  type Transition,
} from './reservation.decide.js';
import type { ReservationStore } from './reservation.store.js';
import { availableOf } from './stock.decide.js';
import type { StockStore } from './stock.store.js';

const CONTRACT: Record<ReservationStatus, EventContract> = {
  held: ReservationHeldV1,
  committed: ReservationCommittedV1,
  released: ReservationReleasedV1,
  expired: ReservationExpiredV1,
};

/**
 * The reservation use cases, each one transaction. Lock order, everywhere: balance rows (in key order), then
 * reservation rows. Every change of a reservation's held units happens under the balance locks of its keys,
 * so a sweeper, a client and a backorder fill on different instances serialise instead of deadlocking.
 */
export function createReservationCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  catalog: CatalogStore;
  channels: ChannelStore;
  stock: StockStore;
  reservations: ReservationStore;
  backorders: BackorderStore;
  allocator: BackorderAllocator;
  fulfilments?: FulfilmentStore;
}) {
  const { db, clock, catalog, channels, stock, reservations, backorders } = deps;
  const fulfilments = deps.fulfilments ?? createFulfilmentStore();

  const view = async (reader: Pick<Tx, 'query'>, reservation: Reservation): Promise<ReservationView> =>
    reservationView(
      reservation,
      await reservations.allocations(reader, reservation.id),
      await backorders.ofReservation(reader, reservation.id),
    );

  /**
   * The ledger reference of a reservation's movements of one kind. A hold held anew for its order (see
   * `holdForOrder`) holds a second time: that round goes under a reference of its own.
   */
  const referenceOf = async (tx: Tx, id: string, kind: Transition | 'hold') =>
    (await reservations.hasMovement(tx, `reservation/${id}`, kind))
      ? `reservation/${id}/order`
      : `reservation/${id}`;

  const publish = (tx: Tx, current: ReservationView) =>
    deps.outbox.append(tx, [
      {
        contract: CONTRACT[current.status],
        subject: `reservation/${current.id}`,
        sequence: current.version,
        data: {
          reservationId: current.id,
          channel: current.channel,
          version: current.version,
          status: current.status,
          expiresAt: current.expiresAt,
          lines: current.lines,
        },
      },
    ]);

  /**
   * Places and holds every line, or throws; returns the new reservation's view (no re-read needed). Options
   * for an expired hold held anew for its paid order: its own ledger `reference`, the time `at`, and
   * `backorderAll` (what stock cannot cover is queued whatever the product says, rather than refused).
   */
  async function hold(
    tx: Tx,
    reservation: Reservation,
    options: { reference?: string; at?: string; backorderAll?: boolean } = {},
  ): Promise<ReservationView> {
    const at = options.at ?? reservation.createdAt;
    const skus = [...new Set(reservation.lines.map((line) => line.sku))];
    const products = new Map((await catalog.findProducts(tx, skus)).map((product) => [product.sku, product]));
    const unknown = skus.filter((sku) => !products.has(sku));
    if (unknown.length > 0)
      throw unprocessable('unknown_sku', `No product ${unknown.join(', ')}`, { skus: unknown });
    // A paid order held anew keeps its goods whatever became of the product since; a new hold sells only
    // products for sale.
    const unsold = options.reference === undefined ? notForSale(products) : [];
    if (unsold.length > 0)
      throw unprocessable('product_not_for_sale', `${unsold.join(', ')} is not for sale`, { skus: unsold });
    const named = [
      ...new Set(reservation.lines.flatMap((line) => (line.locationId ? [line.locationId] : []))),
    ];
    for (const locationId of named) {
      if (!(await catalog.findLocation(tx, locationId)))
        throw unprocessable('unknown_location', `No location ${locationId}`, { locations: [locationId] });
    }
    const channel = await channels.resolve(tx, reservation.channel);
    const demands = expandLines(reservation.lines, products).map((demand) =>
      options.backorderAll ? { ...demand, backorderable: true } : demand,
    );
    const placesOf = (locationId?: string) => (locationId ? [locationId] : channel.locations);
    const keys = demands.flatMap((demand) =>
      placesOf(demand.locationId).map((locationId) => ({ sku: demand.sku, locationId })),
    );
    // A backorder's key must have a row to lock, or a receipt racing this reservation could miss the queue.
    const queueKeys = demands
      .filter((demand) => demand.backorderable && placesOf(demand.locationId).length > 0)
      .map((demand) => ({ sku: demand.sku, locationId: placesOf(demand.locationId)[0]! }));
    const balances = await stock.lock(tx, keys, queueKeys);
    const available = new Map(
      [...balances].map(([key, balance]) => [key, availableOf(balance, channel.safetyStock)]),
    );
    const plan = allocate(demands, channel.locations, available);
    const short = () =>
      conflict('insufficient_stock', 'Not enough stock for every line; nothing was reserved', {
        lines: describeShortages(
          reservation.lines.map((line) => ({ ...line, kit: products.get(line.sku)?.kind === 'kit' })),
          plan.shortages,
        ),
      });
    if (plan.shortages.length > 0) throw short();
    for (const movement of reservationMovements(
      options.reference ?? `reservation/${reservation.id}`,
      'hold',
      plan.allocations,
      at,
      reservation.channel,
    )) {
      // The conditional update is the guard of record; the locked snapshot above only chose the places.
      if (!(await stock.hold(tx, movement, channel.safetyStock))) throw short();
    }
    await reservations.addAllocations(tx, reservation.id, plan.allocations);
    await backorders.queue(tx, reservation.id, plan.backorders, at);
    const queued = plan.backorders.map((placement) => ({
      ...placement,
      backorderId: 0,
      filled: 0,
      status: 'open' as const,
    }));
    return reservationView(reservation, plan.allocations, queued);
  }

  /** Moves a reservation along its state machine inside the caller's transaction. */
  async function transitionIn(
    tx: Tx,
    id: string,
    action: Transition,
  ): Promise<{ changed: boolean; view: ReservationView }> {
    {
      const now = clock.now().toISOString();
      if (!(await reservations.find(tx, id))) throw notFound('reservation_not_found', `No reservation ${id}`);
      // The order's fulfilment rows first, as a shipment locks them: a release and a shipment serialise. A
      // collection waiting for its shopper has not left: an uncollected order may still be cancelled.
      const ofOrder = action === 'release' ? await fulfilments.ofReservation(tx, id, true) : [];
      const shipped = ofOrder.some(hasLeft);
      const queued = (await backorders.ofReservation(tx, id)).filter(
        (backorder) => backorder.status === 'open',
      );
      await stock.lock(tx, [...(await reservations.allocations(tx, id)), ...queued]);
      const reservation = (await reservations.find(tx, id, true))!;
      // Read under the reservation's lock: an order kept on this hold concurrently has committed by now.
      const forOrder = action !== 'release' && (await fulfilments.orderOf(tx, id)) !== null;
      const next = decideTransition(reservation, action, now, { shipped, forOrder });
      if (!next) return { changed: false, view: await view(tx, reservation) };
      const version = await reservations.transition(tx, id, reservation.status, next, now);
      if (version === null) throw new Error(`reservation ${id} changed under its lock`);
      // Only what is still held: units of parcels shipped already left stock with their own commit.
      const placed = await reservations.heldAllocations(tx, id);
      const reference = await referenceOf(tx, id, action);
      for (const movement of reservationMovements(reference, action, placed, now, reservation.channel))
        await stock.apply(tx, movement);
      if (next === 'committed') await reservations.commitAllAllocations(tx, id);
      else {
        // The order is cancelled: what a warehouse or store had still to pick or hand over is off its queue.
        for (const cancelled of decideCancel(ofOrder, now)) {
          await fulfilments.save(tx, cancelled);
          await deps.outbox.append(tx, [
            fulfilmentEvent(FulfillmentCancelledV1, cancelled, cancelledEventData(cancelled, now)),
          ]);
        }
        await backorders.cancelOpen(tx, id, now);
        await deps.allocator.allocate(tx, placed, now);
      }
      const current = await view(tx, { ...reservation, status: next, version });
      await publish(tx, current);
      return { changed: true, view: current };
    }
  }

  const transition = (id: string, action: Transition) => db.transaction((tx) => transitionIn(tx, id, action));

  return {
    /** Holds stock for every line or for none; a repeated id with the same body answers the stored reservation. */
    async create(command: ReservationCommand): Promise<{ created: boolean; view: ReservationView }> {
      return db.transaction(async (tx) => {
        const reservation = newReservation(command, clock.now());
        if (!(await reservations.insert(tx, reservation))) {
          const existing = (await reservations.find(tx, command.id))!;
          if (existing.requestHash !== reservation.requestHash)
            throw conflict('id_conflict', `Reservation ${command.id} exists with other content`);
          return { created: false, view: await view(tx, existing) };
        }
        const current = await hold(tx, reservation);
        await publish(tx, current);
        return { created: true, view: current };
      });
    },
    /**
     * One snapshot: an expired hold held anew for its order writes its status and new placements together, and
     * a restock fills its backorders into placements, so its three reads, each at its own instant on
     * PostgreSQL, could show an expired hold with its new units, or a unit both placed and backordered.
     */
    find: (id: string): Promise<ReservationView> =>
      db.snapshot(async (reader) => {
        const reservation = await reservations.find(reader, id);
        if (!reservation) throw notFound('reservation_not_found', `No reservation ${id}`);
        return view(reader, reservation);
      }),
    commit: (id: string) => transition(id, 'commit'),
    /**
     * Commits inside a transaction the caller already holds (the last fulfilment of an order shipping), so
     * a caller never nests `db.transaction` on the same db.
     */
    commitIn: (tx: Tx, id: string) => transitionIn(tx, id, 'commit'),
    /**
     * Keeps a checkout hold for the order it became, inside the caller's transaction: the units stay
     * reserved (not sellable elsewhere), with no time limit, until the order ships (commit) or is cancelled
     * (release). A hold that expired before the order reached ERP is held anew (the order is paid): what stock
     * is still there is held, the rest is backordered at the channel's first location, oldest first like any
     * backorder.
     */
    async holdForOrder(tx: Tx, id: string, placedAt: string): Promise<void> {
      const until = ORDER_HOLD_EXPIRES_AT;
      const found = await reservations.find(tx, id);
      if (!found) throw notFound('reservation_not_found', `No reservation ${id}`);
      const decision = decideOrderHold(found, placedAt);
      if (decision === 'none') return;
      const now = clock.now().toISOString();
      if (decision === 'keep') {
        const reservation = (await reservations.find(tx, id, true))!;
        if (decideOrderHold(reservation, placedAt) !== 'keep') throw new Error(`reservation ${id} changed`);
        const version = await reservations.extend(tx, id, until, now);
        await publish(tx, await view(tx, { ...reservation, expiresAt: until, version }));
        return;
      }
      // Balances first (in `hold`), then the reservation row: the lock order of every reservation change.
      await reservations.clearAllocations(tx, id);
      const reference = await referenceOf(tx, id, 'hold');
      const placed = await hold(tx, found, { reference, at: now, backorderAll: true });
      const version = await reservations.revive(tx, id, until, now);
      if (version === null) throw new Error(`reservation ${id} changed while it was held anew`);
      await publish(tx, { ...placed, status: 'held', expiresAt: until, version });
    },
    release: (id: string) => transition(id, 'release'),
    /** Expires up to `limit` holds past due, each in its own transaction, so one failure blocks no other. */
    async expireDue(limit: number): Promise<{ found: number; expired: number; failures: unknown[] }> {
      const due = await reservations.dueIds(db, clock.now().toISOString(), limit);
      let expired = 0;
      const failures: unknown[] = [];
      for (const id of due) {
        try {
          if ((await transition(id, 'expire')).changed) expired += 1;
        } catch (error) {
          failures.push(error);
        }
      }
      return { found: due.length, expired, failures };
    },
  };
}

export type ReservationCommands = ReturnType<typeof createReservationCommands>;
