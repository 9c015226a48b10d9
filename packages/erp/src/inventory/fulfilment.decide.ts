import type { Placement } from './allocation.decide.js';

export type FulfilmentStatus = 'allocated' | 'shipped';

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
  shippedAt: string | null;
}

/** One fulfilment per location holding part of the order: a split when the hold spans locations. */
export function planFulfilments(
  order: { orderId: string; reservationId: string },
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
    shippedAt: null,
  }));
}

export interface ShipDecision {
  fulfilment: Fulfilment;
  /** True when no other fulfilment of the order is still open: the order's reservation is committed now. */
  orderShipped: boolean;
}

/**
 * Ships one fulfilment among all of its order's; null when it already shipped (a repeated request).
 * `siblings` must include the fulfilment itself.
 */
export function decideShip(siblings: readonly Fulfilment[], id: string, now: string): ShipDecision | null {
  const current = siblings.find((fulfilment) => fulfilment.id === id);
  if (!current) throw new Error(`fulfilment ${id} is not among its order's fulfilments`);
  if (current.status === 'shipped') return null;
  const orderShipped = siblings.every(
    (fulfilment) => fulfilment.id === id || fulfilment.status === 'shipped',
  );
  return {
    fulfilment: { ...current, status: 'shipped', version: current.version + 1, shippedAt: now },
    orderShipped,
  };
}
