import { conflict, fingerprintOf } from '@tillstream/kernel';
import type { RequestedLine } from './kit.decide.js';
import { totalsByKey, type Placement } from './allocation.decide.js';
import { changeOf, type Movement, type MovementKind } from './stock.decide.js';

export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired';
export type Transition = 'commit' | 'release' | 'expire';

export interface ReservationCommand {
  id: string;
  channel: string;
  lines: RequestedLine[];
  expiresInSeconds: number;
}

export interface Reservation {
  id: string;
  channel: string;
  status: ReservationStatus;
  lines: RequestedLine[];
  expiresAt: string;
  createdAt: string;
  version: number;
  requestHash: string;
}

export interface QueuedBackorder extends Placement {
  backorderId: number;
  filled: number;
  status: 'open' | 'filled' | 'cancelled';
}

/** The content of a reservation request, independent of key order, so a faithful retry always matches. */
export function reservationFingerprint(command: ReservationCommand): string {
  const canonical = [
    command.channel,
    command.lines.map((line) => [line.sku, line.quantity, line.locationId ?? null]),
    command.expiresInSeconds,
  ];
  return fingerprintOf(canonical);
}

export function newReservation(command: ReservationCommand, now: Date): Reservation {
  return {
    id: command.id,
    channel: command.channel,
    status: 'held',
    lines: command.lines.map((line) => ({ ...line })),
    expiresAt: new Date(now.getTime() + command.expiresInSeconds * 1000).toISOString(),
    createdAt: now.toISOString(),
    version: 1,
    requestHash: reservationFingerprint(command),
  };
}

/**
 * What a hold's expiry shows once it is kept for a placed order: it has none. The contracts' `expiresAt` is a
 * required timestamp, so "never" is the end of time rather than a missing value.
 */
export const ORDER_HOLD_EXPIRES_AT = '9999-12-31T23:59:59.999Z';

/** What ERP knows about the order a reservation became, besides the reservation itself. */
export interface OrderOfHold {
  /** A fulfilment of the order has left (its units are out of stock); the others are still held. */
  shipped?: boolean;
  /** The hold is kept for a placed order (ERP recorded the order): it no longer expires. */
  forOrder?: boolean;
}

/**
 * The reservation state machine: held → committed | released | expired, nothing after. Returns the new status,
 * or null when the request is already satisfied (a repeated commit or release) and nothing changes.
 * A hold kept for a placed order does not expire, whatever its `expiresAt` says: the order ERP recorded
 * decides, not the shown expiry. The order is paid and open until its last fulfilment ships (commit) or it is
 * cancelled (release), so the sweeper must never sell its units again.
 * Once a fulfilment of that order `shipped`, the hold can no longer be released: commerce does not cancel a
 * partly shipped order, and a release would leave that paid, open order with its other parcels unheld (the
 * shipped parcels' units left stock when they shipped, so a release would give back only the rest).
 */
export function decideTransition(
  reservation: Pick<Reservation, 'id' | 'status' | 'expiresAt'>,
  action: Transition,
  now: string,
  order: OrderOfHold = {},
): ReservationStatus | null {
  const { status } = reservation;
  const due = !order.forOrder && reservation.expiresAt <= now;
  if (action === 'expire') return status === 'held' && due ? 'expired' : null;
  if (action === 'release') {
    if (status === 'held' && order.shipped)
      throw conflict(
        'order_transition_invalid',
        `Reservation ${reservation.id} has a shipped fulfilment; it cannot be released`,
        { status, shipped: true },
      );
    if (status === 'held') return 'released';
    if (status === 'committed')
      throw conflict('reservation_not_held', `Reservation ${reservation.id} is committed`, { status });
    return null;
  }
  if (status === 'committed') return null;
  if (status === 'expired' || (status === 'held' && due))
    throw conflict(
      'reservation_expired',
      `Reservation ${reservation.id} expired at ${reservation.expiresAt}`,
    );
  if (status === 'released')
    throw conflict('reservation_not_held', `Reservation ${reservation.id} is released`);
  return 'committed';
}

const KIND: Record<Transition | 'hold', MovementKind> = {
  hold: 'hold',
  commit: 'commit',
  release: 'release',
  expire: 'expire',
};

/**
 * The ledger rows that hold, commit, release or expire placed units: one per (sku, location). A hold moves
 * units into `reserved`; a commit takes them out of `reserved` and `onHand` (they are sold); a release or an
 * expiry returns them to available. They carry the reservation's channel: a commit is that channel's sale.
 */
export function reservationMovements(
  reference: string,
  action: Transition | 'hold',
  placements: readonly Placement[],
  occurredAt: string,
  channel: string,
): Movement[] {
  return totalsByKey(placements)
    .filter((total) => total.quantity > 0)
    .map((total) => ({
      id: `${reference}/${KIND[action]}/${total.sku}@${total.locationId}`,
      sku: total.sku,
      locationId: total.locationId,
      kind: KIND[action],
      change:
        action === 'hold'
          ? changeOf({ reserved: total.quantity })
          : action === 'commit'
            ? changeOf({ onHand: -total.quantity, reserved: -total.quantity })
            : changeOf({ reserved: -total.quantity }),
      occurredAt,
      reference,
      channel,
    }));
}

export interface ReservationView {
  id: string;
  channel: string;
  status: ReservationStatus;
  lines: Array<
    RequestedLine & {
      allocations: Array<{ sku: string; locationId: string; quantity: number }>;
      backordered: Array<{ sku: string; locationId: string; quantity: number }>;
    }
  >;
  expiresAt: string;
  createdAt: string;
  version: number;
}

export function reservationView(
  reservation: Reservation,
  allocations: readonly Placement[],
  backorders: readonly QueuedBackorder[],
): ReservationView {
  const strip = (placements: readonly Placement[]) =>
    totalsByKey(placements).filter((placement) => placement.quantity > 0);
  return {
    id: reservation.id,
    channel: reservation.channel,
    status: reservation.status,
    lines: reservation.lines.map((line, index) => ({
      ...line,
      allocations: strip(allocations.filter((allocation) => allocation.line === index)),
      backordered: strip(
        backorders
          .filter((backorder) => backorder.line === index && backorder.status === 'open')
          .map((backorder) => ({ ...backorder, quantity: backorder.quantity - backorder.filled })),
      ),
    })),
    expiresAt: reservation.expiresAt,
    createdAt: reservation.createdAt,
    version: reservation.version,
  };
}

/** What a placed order does with its checkout hold: keep it, hold its lines anew, or nothing (committed). */
export type OrderHold = 'keep' | 'rehold' | 'none';

/**
 * How an order placed at `placedAt` keeps its checkout hold. A held one is kept (its units never left reserved,
 * even if its expiry passed while the event travelled); nothing to do once committed. An expired one gave its
 * units back and they may be sold by now, but the order is paid: its lines are held anew (what is still there,
 * the rest backordered). A released hold was given back on purpose (the order was cancelled): refused.
 */
export function decideOrderHold(
  reservation: Pick<Reservation, 'id' | 'status' | 'expiresAt'>,
  placedAt: string,
): OrderHold {
  if (reservation.status === 'committed') return 'none';
  if (reservation.status === 'held') return 'keep';
  if (reservation.status === 'expired') return 'rehold';
  throw conflict(
    'reservation_expired',
    `Reservation ${reservation.id} was released before its order placed at ${placedAt} reached ERP`,
  );
}
