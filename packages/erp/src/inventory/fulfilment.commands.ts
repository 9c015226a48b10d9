import {
  FulfillmentBackorderedV1,
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  type EventContract,
} from '@tillstream/contracts';
import { invalid, notFound, type Clock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { Placement } from './allocation.decide.js';
import type { BackorderStore } from './backorder.store.js';
import {
  backorderedByLine,
  decideCollect,
  decideDeliver,
  decideReady,
  decideShip,
  handedOverAfterCancel,
  hasLeft,
  planBackorderFulfilment,
  planFulfilments,
  type DeliverDecision,
  type Fulfilment,
  type FulfilmentStatus,
  type OrderToFulfil,
  type ShipDecision,
} from './fulfilment.decide.js';
import {
  createdEventData,
  deliveredEventData,
  fulfilmentEvent,
  readyForPickupEventData,
  shippedEventData,
} from './fulfilment.event-data.js';
import type { FulfilmentStore } from './fulfilment.store.js';
import { commitParcelIn } from './parcel-commit.commands.js';
import type { ReservationCommands } from './reservation.commands.js';
import type { ReservationStore } from './reservation.store.js';
import type { StockStore } from './stock.store.js';

/**
 * Fulfilments of online orders. An order's units stay reserved until their fulfilment ships: each parcel takes
 * its own units out of reserved and on-hand in the shipment's transaction (they left the building, and their
 * cost of sales belongs with the revenue finance recognises for the parcel). The last one (when nothing of the
 * order waits for stock) commits what remains and so the reservation. Units a backorder receives later get a
 * fulfilment of their own. A collection (click and collect) may wait for its shopper (`ready`) and is handed
 * over with `collect`: a shipment and a delivery in one transaction. Lock order: the order's fulfilment rows,
 * then balances, then the reservation.
 */
export function createFulfilmentCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  catalog: CatalogStore;
  fulfilments: FulfilmentStore;
  reservations: ReservationStore;
  backorders: BackorderStore;
  stock: StockStore;
  commands: ReservationCommands;
}) {
  const { db, fulfilments } = deps;

  /** Appends a fulfilment's event in the caller's transaction, with the state change it reports. */
  const publish = (tx: Tx, contract: EventContract, fulfilment: Fulfilment, data: object) =>
    deps.outbox.append(tx, [fulfilmentEvent(contract, fulfilment, data)]);

  const openBackorders = async (reader: Pick<Tx, 'query'>, reservationId: string) =>
    (await deps.backorders.ofReservation(reader, reservationId)).filter((entry) => entry.status === 'open');

  /** A fulfilment with its order's fulfilments and whether any of the order still waits for stock. */
  const orderState = async (tx: Tx, id: string) => {
    const found = await fulfilments.find(tx, id);
    if (!found) throw notFound('fulfilment_not_found', `No fulfilment ${id}`);
    // Backorders before siblings: a fill commits its backorder and its fulfilment together, so a fill this
    // does not see as open has its fulfilment among the siblings read next.
    const waiting = (await openBackorders(tx, found.reservationId)).length > 0;
    const siblings = await fulfilments.ofOrder(tx, found.orderId, true);
    return { found, siblings, waiting, now: deps.clock.now().toISOString() };
  };

  /**
   * Ships a fulfilment as decided, in the caller's transaction: its parcel's units leave stock, or, for the
   * order's last, the whole reservation is committed (409 `reservation_not_held` for a cancelled order).
   */
  const shipIn = async (tx: Tx, decision: ShipDecision, now: string) => {
    const { fulfilment } = decision;
    if (decision.orderShipped) {
      await deps.commands.commitIn(tx, fulfilment.reservationId);
    } else {
      await commitParcelIn(tx, deps, fulfilment.reservationId, {
        reference: `fulfilment/${fulfilment.id}`,
        locationId: fulfilment.locationId,
        lines: fulfilment.lines,
        at: now,
      });
    }
    await fulfilments.save(tx, fulfilment);
    await publish(tx, FulfillmentShippedV1, fulfilment, shippedEventData(decision, now));
  };

  /** Marks a fulfilment delivered as decided, in the caller's transaction. */
  const deliverIn = async (tx: Tx, decision: DeliverDecision, now: string) => {
    await fulfilments.save(tx, decision.fulfilment);
    await publish(tx, FulfillmentDeliveredV1, decision.fulfilment, deliveredEventData(decision, now));
  };

  const asItIs = (siblings: readonly Fulfilment[], id: string) =>
    siblings.find((fulfilment) => fulfilment.id === id)!;

  /** Tells commerce how much of each order line still waits for stock, as of the reservation's `version`. */
  const publishBackordered = async (
    tx: Tx,
    order: { orderId: string; reservationId: string },
    version: number,
    now: string,
  ) => {
    const reservation = await deps.reservations.find(tx, order.reservationId);
    if (!reservation) return;
    const open = (await openBackorders(tx, order.reservationId)).map((entry) => ({
      line: entry.line,
      sku: entry.sku,
      missing: entry.quantity - entry.filled,
    }));
    const skus = [...new Set(reservation.lines.map((line) => line.sku))];
    const products = new Map((await deps.catalog.findProducts(tx, skus)).map((p) => [p.sku, p]));
    const lines = backorderedByLine(reservation.lines, open, (sku) => {
      const product = products.get(sku);
      return product?.kind === 'kit' ? product.components : null;
    });
    await deps.outbox.append(tx, [
      {
        contract: FulfillmentBackorderedV1,
        subject: `order/${order.orderId}/backorders`,
        sequence: version,
        partitionKey: `order/${order.orderId}`,
        data: { orderId: order.orderId, reservationId: order.reservationId, version, lines, occurredAt: now },
      },
    ]);
  };

  /** See `ready` below, in the caller's transaction. */
  const readyIn = async (tx: Tx, id: string): Promise<Fulfilment> => {
    const { found, siblings, waiting, now } = await orderState(tx, id);
    const hold = await deps.reservations.find(tx, found.reservationId);
    if (!hold) throw notFound('reservation_not_found', `No reservation ${found.reservationId}`);
    const decision = decideReady(siblings, id, now, { waiting, holdStatus: hold.status });
    if (!decision) return asItIs(siblings, id);
    await fulfilments.save(tx, decision.fulfilment);
    await publish(
      tx,
      FulfillmentReadyForPickupV1,
      decision.fulfilment,
      readyForPickupEventData(decision, now),
    );
    return decision.fulfilment;
  };

  /** See `collect` below, in the caller's transaction. */
  const collectIn = async (tx: Tx, id: string): Promise<Fulfilment> => {
    const { siblings, waiting, now } = await orderState(tx, id);
    const decision = decideCollect(siblings, id, now, waiting);
    if (decision.ship) await shipIn(tx, decision.ship, now);
    if (decision.deliver) await deliverIn(tx, decision.deliver, now);
    return decision.deliver?.fulfilment ?? asItIs(siblings, id);
  };

  return {
    /**
     * Allocates a placed order to the locations holding its units, inside the consumer's transaction, and
     * tells commerce about any units that wait for stock.
     */
    async createForOrder(tx: Tx, order: OrderToFulfil & { placedAt: string }): Promise<void> {
      const now = deps.clock.now().toISOString();
      await fulfilments.recordOrder(tx, order);
      const placements = await deps.reservations.allocations(tx, order.reservationId);
      for (const fulfilment of planFulfilments(order, placements, now)) {
        if (await fulfilments.insert(tx, fulfilment))
          await publish(tx, FulfillmentCreatedV1, fulfilment, createdEventData(fulfilment, now));
      }
      if ((await openBackorders(tx, order.reservationId)).length > 0) {
        const reservation = (await deps.reservations.find(tx, order.reservationId))!;
        await publishBackordered(tx, order, reservation.version, now);
      }
    },

    /**
     * Stock arrived for a backorder of `reservationId` (inside the transaction that allocated it, at the
     * reservation's new `version`): if the reservation is a placed order's, the units get a fulfilment.
     * A checkout whose order is not placed yet needs nothing here: its fulfilments are planned from every
     * allocation when the order arrives.
     */
    async backorderFilled(
      tx: Tx,
      reservationId: string,
      placement: Placement,
      version: number,
      now: string,
    ): Promise<void> {
      const order = await fulfilments.orderOf(tx, reservationId);
      if (!order) return;
      const fulfilment = planBackorderFulfilment(
        order,
        placement,
        await fulfilments.ofOrder(tx, order.orderId),
        now,
      );
      await fulfilments.insert(tx, fulfilment);
      await publish(tx, FulfillmentCreatedV1, fulfilment, createdEventData(fulfilment, now));
      await publishBackordered(tx, order, version, now);
    },

    /** Ships an allocated fulfilment, or a collection waiting for its shopper (idempotent). */
    async ship(id: string): Promise<Fulfilment> {
      return db.transaction(async (tx) => {
        const { siblings, waiting, now } = await orderState(tx, id);
        const decision = decideShip(siblings, id, now, waiting);
        if (!decision) return asItIs(siblings, id);
        await shipIn(tx, decision, now);
        return decision.fulfilment;
      });
    },

    /** The carrier delivered a shipped fulfilment (idempotent). */
    async deliver(id: string): Promise<Fulfilment> {
      return db.transaction(async (tx) => {
        const { siblings, waiting, now } = await orderState(tx, id);
        const decision = decideDeliver(siblings, id, now, waiting);
        if (!decision) return asItIs(siblings, id);
        await deliverIn(tx, decision, now);
        return decision.fulfilment;
      });
    },

    /**
     * The store picked a collection and it waits for its shopper (idempotent). Its units stay reserved. The
     * order's hold is read under the lock of its fulfilment rows, which a release takes first too.
     */
    ready: (id: string): Promise<Fulfilment> => db.transaction((tx) => readyIn(tx, id)),
    readyIn,

    /** The shopper collected a collection at the counter: shipped and delivered at once (idempotent). */
    collect: (id: string): Promise<Fulfilment> => db.transaction((tx) => collectIn(tx, id)),

    /**
     * A store's till handed a collection over at `at`, in the caller's transaction: collected as above, unless
     * its order was cancelled before the till heard of it. The units left the shelf all the same, so they leave
     * on-hand stock too (`adjusted` movements, once), for the store to recover.
     */
    async handedOverAtTill(tx: Tx, id: string, at: string): Promise<Fulfilment> {
      const found = await fulfilments.find(tx, id);
      if (found?.status !== 'cancelled') return collectIn(tx, id);
      await deps.stock.applyAll(tx, handedOverAfterCancel(found, at));
      return found;
    },

    find: async (id: string): Promise<Fulfilment> => {
      const fulfilment = await fulfilments.find(db, id);
      if (!fulfilment) throw notFound('fulfilment_not_found', `No fulfilment ${id}`);
      return fulfilment;
    },
    ofOrder: (orderId: string) => fulfilments.ofOrder(db, orderId),
    /**
     * One page of a location's work queue, oldest first: its fulfilments in `statuses`, after the fulfilment
     * `after` (the previous page's `next`; 400 `invalid_cursor` when there is no such fulfilment).
     */
    async atLocation(query: {
      locationId: string;
      statuses: readonly FulfilmentStatus[];
      after?: string;
      limit: number;
    }): Promise<{ fulfillments: Fulfilment[]; next: string | null }> {
      const from = query.after === undefined ? null : await fulfilments.find(db, query.after);
      if (query.after !== undefined && !from)
        throw invalid('invalid_cursor', `No fulfilment ${query.after} to page after`);
      const rows = await fulfilments.atLocation(db, { ...query, after: from });
      const page = rows.slice(0, query.limit);
      return { fulfillments: page, next: rows.length > query.limit ? page[page.length - 1]!.id : null };
    },
    /** The location that shipped the order's first fulfilment: where an online return comes back by default. */
    async shippedFrom(tx: Tx, orderId: string): Promise<string | null> {
      const list = await fulfilments.ofOrder(tx, orderId);
      return list.find(hasLeft)?.locationId ?? null;
    },
    /** The channel the order was sold through, which its returns are booked under. */
    channelOf: (tx: Tx, orderId: string) => fulfilments.channelOfOrder(tx, orderId),
  };
}

export type FulfilmentCommands = ReturnType<typeof createFulfilmentCommands>;
