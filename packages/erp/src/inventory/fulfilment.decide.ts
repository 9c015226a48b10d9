import type { OrderPlacedV1Data, ShippingAddress } from '@tillstream/contracts';
import { conflict } from '@tillstream/kernel';
import type { KitComponent } from '../catalog/catalog.decide.js';
import type { Placement } from './allocation.decide.js';
import type { ReservationStatus } from './reservation.decide.js';
import { changeOf, type Movement } from './stock.decide.js';

/**
 * allocated → shipped → delivered; a collection (click and collect) may wait for its shopper in between:
 * allocated → ready_for_pickup → shipped → delivered, its last two steps together when it is handed over. An
 * open one is `cancelled` when its order is (the hold released), and then goes nowhere.
 */
export type FulfilmentStatus = 'allocated' | 'ready_for_pickup' | 'shipped' | 'delivered' | 'cancelled';

/** Statuses whose units are still in the building, reserved for the order. */
const OPEN: readonly FulfilmentStatus[] = ['allocated', 'ready_for_pickup'];
export const isOpen = (fulfilment: Pick<Fulfilment, 'status'>) => OPEN.includes(fulfilment.status);

/** True once the fulfilment's units left stock (shipped or handed over): its order can no longer be released. */
export const hasLeft = (fulfilment: Pick<Fulfilment, 'status'>) =>
  fulfilment.status === 'shipped' || fulfilment.status === 'delivered';

/** How and where an order's parcels go, as the shopper chose at checkout. */
export interface OrderShipping {
  method: { id: string; name: string };
  address: ShippingAddress;
  /** The shopper collects the order at the location holding it (click and collect); absent for a delivery. */
  pickup?: true;
}

/** An order as fulfilment needs it; `shipping` is null (or absent) for an order placed without delivery. */
export interface OrderToFulfil {
  orderId: string;
  reservationId: string;
  shipping?: OrderShipping | null;
}

/**
 * What fulfilment keeps of a placed order's delivery: the method's id and name as the shopper saw it, and the
 * address. The charge and its tax are finance's and commerce's business, not the picker's.
 */
export function orderShipping(placed: Pick<OrderPlacedV1Data, 'shipping'>): OrderShipping | null {
  if (!placed.shipping) return null;
  return {
    method: { id: placed.shipping.methodId, name: placed.shipping.name },
    address: placed.shipping.address,
    ...(placed.shipping.pickup ? { pickup: true as const } : {}),
  };
}

/** The ship-to fields every fulfilment of the order carries, null for an order without delivery. */
const shipToOf = (order: OrderToFulfil) => ({
  shipTo: order.shipping?.address ?? null,
  shippingMethod: order.shipping?.method ?? null,
  pickup: order.shipping?.pickup === true,
});

/** The part of an online order picked and shipped from one location. */
export interface Fulfilment {
  id: string;
  orderId: string;
  reservationId: string;
  locationId: string;
  status: FulfilmentStatus;
  /** Stock SKUs (kits expanded), summed over the order's lines. */
  lines: { sku: string; quantity: number }[];
  version: number;
  createdAt: string;
  /** When the store made it ready for its shopper to collect; null when it never waited for them. */
  readyAt: string | null;
  /** When its order was cancelled before it left; null otherwise. */
  cancelledAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  /** Where the parcel goes: the order's delivery address; null for an order placed without delivery. */
  shipTo: ShippingAddress | null;
  /** The delivery the shopper chose, by id and by the name they saw; null with `shipTo`. */
  shippingMethod: { id: string; name: string } | null;
  /** The shopper collects it at `locationId` (click and collect): `shipTo` is the collection point's address. */
  pickup: boolean;
}

/** One fulfilment per location holding part of the order: a split when the hold spans locations. */
export function planFulfilments(
  order: OrderToFulfil,
  placements: readonly Placement[],
  now: string,
): Fulfilment[] {
  const byLocation = new Map<string, Map<string, number>>();
  for (const placement of placements) {
    const lines = byLocation.get(placement.locationId) ?? new Map<string, number>();
    lines.set(placement.sku, (lines.get(placement.sku) ?? 0) + placement.quantity);
    byLocation.set(placement.locationId, lines);
  }
  return [...byLocation.keys()].sort().map((locationId) => ({
    id: `${order.orderId}:${locationId}`,
    orderId: order.orderId,
    reservationId: order.reservationId,
    locationId,
    status: 'allocated',
    lines: [...byLocation.get(locationId)!]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([sku, quantity]) => ({ sku, quantity })),
    version: 1,
    createdAt: now,
    readyAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
    ...shipToOf(order),
  }));
}

/**
 * The fulfilment for units a backorder just received: a fulfilment of its own (the order's earlier ones may be
 * picked or gone already), numbered after the order's fulfilments at that location.
 */
export function planBackorderFulfilment(
  order: OrderToFulfil,
  placement: Placement,
  existing: readonly Pick<Fulfilment, 'id' | 'locationId'>[],
  now: string,
): Fulfilment {
  const base = `${order.orderId}:${placement.locationId}`;
  const taken = new Set(existing.map((fulfilment) => fulfilment.id));
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}:${n}`;
  return {
    id,
    orderId: order.orderId,
    reservationId: order.reservationId,
    locationId: placement.locationId,
    status: 'allocated',
    lines: [{ sku: placement.sku, quantity: placement.quantity }],
    version: 1,
    createdAt: now,
    readyAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
    ...shipToOf(order),
  };
}

/**
 * Units of each order line still waiting for stock, in units of the line's SKU: a standard line waits for
 * what its backorders still miss; a kit line for as many kits as its most-missing component keeps incomplete.
 */
export function backorderedByLine(
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
  open: ReadonlyArray<{ line: number; sku: string; missing: number }>,
  components: (sku: string) => readonly KitComponent[] | null,
): Array<{ lineNo: number; sku: string; backordered: number }> {
  return lines.map((line, index) => {
    const missing = (sku: string) =>
      open
        .filter((entry) => entry.line === index && entry.sku === sku)
        .reduce((sum, e) => sum + e.missing, 0);
    const kit = components(line.sku);
    const backordered = kit
      ? Math.max(0, ...kit.map((component) => Math.ceil(missing(component.sku) / component.quantity)))
      : missing(line.sku);
    return { lineNo: index + 1, sku: line.sku, backordered: Math.min(line.quantity, backordered) };
  });
}

export interface ShipDecision {
  fulfilment: Fulfilment;
  /** True when no other fulfilment of the order is still open: the order's reservation is committed now. */
  orderShipped: boolean;
}

/** The fulfilment among its order's; 409 `reservation_not_held` once it was cancelled with its order. */
const pick = (siblings: readonly Fulfilment[], id: string) => {
  const current = siblings.find((fulfilment) => fulfilment.id === id);
  if (!current) throw new Error(`fulfilment ${id} is not among its order's fulfilments`);
  if (current.status === 'cancelled')
    throw conflict('reservation_not_held', `Fulfilment ${id} was cancelled with its order`, {
      status: 'cancelled',
    });
  return current;
};

/**
 * The order was cancelled, its hold released: each fulfilment still open is cancelled (its units are back in
 * stock with the release); those that left, and those cancelled already, are not among the answer.
 */
export function decideCancel(fulfilments: readonly Fulfilment[], now: string): Fulfilment[] {
  return fulfilments.filter(isOpen).map((fulfilment) => ({
    ...fulfilment,
    status: 'cancelled',
    version: fulfilment.version + 1,
    cancelledAt: now,
  }));
}

/** True when no fulfilment of the order but `id` is still open and nothing of the order waits for stock. */
const lastOpen = (siblings: readonly Fulfilment[], id: string, waiting: boolean) =>
  !waiting && siblings.every((fulfilment) => fulfilment.id === id || !isOpen(fulfilment));

/**
 * Ships one fulfilment among all of its order's, allocated or waiting for its shopper; null when it already
 * shipped (a repeated request). `siblings` must include the fulfilment itself. `waiting`: units of the order
 * are still backordered, so this cannot be its last shipment whatever the other fulfilments say.
 */
export function decideShip(
  siblings: readonly Fulfilment[],
  id: string,
  now: string,
  waiting = false,
): ShipDecision | null {
  const current = pick(siblings, id);
  if (!isOpen(current)) return null;
  return {
    fulfilment: { ...current, status: 'shipped', version: current.version + 1, shippedAt: now },
    orderShipped: lastOpen(siblings, id, waiting),
  };
}

export interface DeliverDecision {
  fulfilment: Fulfilment;
  /** True when every fulfilment of the order is delivered and nothing of it waits for stock. */
  orderDelivered: boolean;
}

/**
 * Marks a shipped fulfilment delivered (the carrier's proof of delivery); null when it already is (a repeated
 * request); 409 `fulfilment_not_shipped` before it shipped.
 */
export function decideDeliver(
  siblings: readonly Fulfilment[],
  id: string,
  now: string,
  waiting = false,
): DeliverDecision | null {
  const current = pick(siblings, id);
  if (current.status === 'delivered') return null;
  if (current.status !== 'shipped')
    throw conflict('fulfilment_not_shipped', `Fulfilment ${id} is ${current.status}; ship it first`);
  const orderDelivered =
    !waiting && siblings.every((fulfilment) => fulfilment.id === id || fulfilment.status === 'delivered');
  return {
    fulfilment: { ...current, status: 'delivered', version: current.version + 1, deliveredAt: now },
    orderDelivered,
  };
}

export interface ReadyDecision {
  fulfilment: Fulfilment;
  /** True when no other fulfilment of the order is still to be made ready and nothing of it waits for stock. */
  orderReady: boolean;
}

const requirePickup = (current: Fulfilment) => {
  if (!current.pickup)
    throw conflict(
      'fulfilment_not_pickup',
      `Fulfilment ${current.id} is delivered to the shopper, not collected; ship and deliver it`,
    );
};

/**
 * The store picked a collection and it waits for its shopper; null when it is ready already or has been
 * handed over (a repeated request). 409 `fulfilment_not_pickup` for a home delivery; 409
 * `reservation_not_held` when the order's hold is no longer `held` (a cancelled order is not made ready).
 * `order.waiting`: units of the order are still backordered.
 */
export function decideReady(
  siblings: readonly Fulfilment[],
  id: string,
  now: string,
  order: { waiting: boolean; holdStatus: ReservationStatus },
): ReadyDecision | null {
  const current = pick(siblings, id);
  requirePickup(current);
  if (current.status !== 'allocated') return null;
  if (order.holdStatus !== 'held')
    throw conflict('reservation_not_held', `Reservation ${current.reservationId} is not held`, {
      status: order.holdStatus,
    });
  const { waiting } = order;
  return {
    fulfilment: { ...current, status: 'ready_for_pickup', version: current.version + 1, readyAt: now },
    orderReady:
      !waiting && siblings.every((fulfilment) => fulfilment.id === id || fulfilment.status !== 'allocated'),
  };
}

export interface CollectDecision {
  /** The shipment half: null when it had shipped already. */
  ship: ShipDecision | null;
  /** The delivery half, after the shipment; null when it had been handed over already (a repeated request). */
  deliver: DeliverDecision | null;
}

/**
 * The shopper collected a collection at the counter: it ships and is delivered at once, at `now`, whether
 * the store made it ready first or not. One that shipped already is only delivered; one delivered already
 * changes nothing. 409 `fulfilment_not_pickup` for a home delivery.
 */
export function decideCollect(
  siblings: readonly Fulfilment[],
  id: string,
  now: string,
  waiting = false,
): CollectDecision {
  requirePickup(pick(siblings, id));
  const ship = decideShip(siblings, id, now, waiting);
  const after = ship
    ? siblings.map((fulfilment) => (fulfilment.id === id ? ship.fulfilment : fulfilment))
    : siblings;
  return { ship, deliver: decideDeliver(after, id, now, waiting) };
}

/**
 * A till handed over a collection whose order had been cancelled (the till had not heard yet): its units are
 * back in available stock by the release, yet the shopper has them, and the cancel paid them back. One
 * `adjusted` movement a line takes them out of on-hand at the store, dated when they were handed over,
 * referenced `collection/{id}` and raised as a stock exception, for the store to recover them (ask the shopper
 * back, or charge them) and resolve it.
 */
export function handedOverAfterCancel(fulfilment: Fulfilment, at: string): Movement[] {
  return fulfilment.lines.map((line) => ({
    id: `collection/${fulfilment.id}/${line.sku}`,
    sku: line.sku,
    locationId: fulfilment.locationId,
    kind: 'adjusted',
    change: changeOf({ onHand: -line.quantity }),
    occurredAt: new Date(at).toISOString(),
    reference: `collection/${fulfilment.id}`,
    forReview: true,
  }));
}
