import { unprocessable } from '@tillstream/kernel';

/** When to reorder a SKU at a location and how far to fill up (min/max), in units. */
export interface ReorderPolicy {
  sku: string;
  locationId: string;
  /** Reorder once the inventory position is at or below this. */
  reorderPoint: number;
  /** Order enough to bring the position back up to this. */
  orderUpTo: number;
  /** The supplier's pack: suggestions are whole packs. */
  packSize: number;
  version: number;
}

export interface PutReorderPolicy {
  reorderPoint: number;
  orderUpTo: number;
  packSize?: number;
}

/** The figures of one (SKU, location) the inventory position is made of, in units. */
export interface PositionFigures {
  onHand: number;
  /** Shipped to this location by transfers, not received yet. */
  inTransit: number;
  /** What open purchase orders for this location still owe. */
  onOrder: number;
  reserved: number;
  /** Units of open backorders queued here: promised to customers, not held yet. */
  backordered: number;
}

export interface ReplenishmentSuggestion {
  figures: PositionFigures;
  position: number;
  suggested: number;
}

/**
 * A PUT of a policy: the same content keeps the version (a retried PUT changes nothing), other content is one
 * more version. `orderUpTo` below `reorderPoint` would suggest nothing at the point it is meant to trigger.
 */
export function decideReorderPolicy(
  current: ReorderPolicy | null,
  key: { sku: string; locationId: string },
  command: PutReorderPolicy,
): { state: ReorderPolicy; created: boolean; changed: boolean } {
  if (command.orderUpTo < command.reorderPoint)
    throw unprocessable(
      'order_up_to_below_reorder_point',
      `orderUpTo ${command.orderUpTo} is below reorderPoint ${command.reorderPoint}`,
    );
  const packSize = command.packSize ?? 1;
  const same =
    current !== null &&
    current.reorderPoint === command.reorderPoint &&
    current.orderUpTo === command.orderUpTo &&
    current.packSize === packSize;
  if (current && same) return { state: current, created: false, changed: false };
  return {
    state: {
      ...key,
      reorderPoint: command.reorderPoint,
      orderUpTo: command.orderUpTo,
      packSize,
      version: (current?.version ?? 0) + 1,
    },
    created: current === null,
    changed: true,
  };
}

/**
 * Inventory position: what the location has and is sure to get, less what is already promised. A store sale
 * may have driven on-hand negative; that shortfall counts in full, so the suggestion covers it.
 */
export const positionOf = (figures: PositionFigures): number =>
  figures.onHand + figures.inTransit + figures.onOrder - figures.reserved - figures.backordered;

/**
 * What to order for one policy, or null when nothing is: the position is above the reorder point, or already
 * at `orderUpTo` (a policy with both equal, exactly at it). The quantity fills the position up to `orderUpTo`,
 * rounded up to whole packs, so it may pass `orderUpTo` by less than one pack.
 *
 * `replenishment.store.ts` filters by the same two conditions in SQL, so a page holds only suggestions.
 */
export function suggestReplenishment(
  policy: Pick<ReorderPolicy, 'reorderPoint' | 'orderUpTo' | 'packSize'>,
  figures: PositionFigures,
): ReplenishmentSuggestion | null {
  const position = positionOf(figures);
  if (position > policy.reorderPoint || position >= policy.orderUpTo) return null;
  const shortfall = policy.orderUpTo - position;
  const suggested = Math.ceil(shortfall / policy.packSize) * policy.packSize;
  return { figures, position, suggested };
}
