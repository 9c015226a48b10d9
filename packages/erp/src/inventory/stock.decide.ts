/**
 * Pure inventory rules over one (SKU, location) balance. Every change is a movement; a balance is the sum of
 * its movements. Nothing here reads the clock or the database.
 */
export type MovementKind = 'received' | 'adjusted' | 'sold';

export interface StockBalance {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  /** Bumped by every movement: the per-key version that projections compare. */
  version: number;
}

export interface Movement {
  id: string;
  sku: string;
  locationId: string;
  kind: MovementKind;
  /** Signed change to on-hand stock. */
  quantity: number;
  occurredAt: string;
  /** The document that caused it: an adjustment id or `sale/<id>`. */
  reference: string;
}

/** Available to promise: what can still be sold or reserved. Safety stock comes with channels. */
export function availableOf(balance: Pick<StockBalance, 'onHand' | 'reserved'>, safetyStock = 0): number {
  return balance.onHand - balance.reserved - safetyStock;
}

export function applyMovement(balance: StockBalance, movement: Movement): StockBalance {
  return { ...balance, onHand: balance.onHand + movement.quantity, version: balance.version + 1 };
}

/**
 * A store sale is physical fact: it is recorded even when it drives on-hand below zero, and that case is
 * raised as an exception for review instead of being refused.
 */
export function isNegativeStockException(before: StockBalance, after: StockBalance): boolean {
  return after.onHand < 0 && after.onHand < before.onHand;
}

export function movementKindForAdjustment(reason: string, delta: number): MovementKind {
  return delta > 0 && reason === 'received' ? 'received' : 'adjusted';
}
