/**
 * Pure inventory rules over one (SKU, location) balance. Every change is a movement; a balance is the sum of
 * its movements. Nothing here reads the clock or the database.
 */
export type MovementKind =
  | 'received'
  | 'sold'
  | 'returned'
  | 'returned_damaged'
  | 'damaged'
  | 'adjusted'
  | 'counted'
  | 'count_offset'
  | 'transfer_out'
  | 'transfer_incoming'
  | 'transfer_in'
  | 'transfer_lost'
  | 'po_received'
  | 'hold'
  | 'commit'
  | 'release'
  | 'expire';

/** What one movement does to each balance of its key, in units (signed). */
export interface Change {
  onHand: number;
  reserved: number;
  inTransit: number;
  damaged: number;
}

export interface StockBalance {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  inTransit: number;
  damaged: number;
  /** Bumped by every movement: the per-key version that projections compare. */
  version: number;
  /** Business time of the latest physical count of this key, or null. */
  lastCountedAt: string | null;
}

export interface Movement {
  id: string;
  sku: string;
  locationId: string;
  kind: MovementKind;
  change: Change;
  /** Business time (ISO 8601, UTC): when it happened, not when ERP heard of it. */
  occurredAt: string;
  /** The document that caused it: `adjustment/<id>`, `sale/<id>`, `reservation/<id>`, … */
  reference: string;
  /** What a receipt cost per unit, in minor units of the product's currency, where it is known. */
  unitCost?: number | null;
  /**
   * The sales channel whose sale, return or reservation moved it (`pos` for the stores, else the online
   * channel): what its cost of sales is reported under. Absent for stock's own operations.
   */
  channel?: string | null;
  /**
   * Raised as a stock exception for review whatever the stock does: goods that left without being paid for (a
   * collection a till handed over after its order was cancelled and refunded), for the store to recover.
   */
  forReview?: boolean;
}

/** The channel of the stores' sales and returns, as the journal books their documents. */
export const STORE_CHANNEL = 'pos';

export const NO_CHANGE: Change = { onHand: 0, reserved: 0, inTransit: 0, damaged: 0 };

/** A full change from the balances it touches; `|| 0` turns a computed -0 into 0. */
export const changeOf = (change: Partial<Change>): Change => ({
  onHand: change.onHand || 0,
  reserved: change.reserved || 0,
  inTransit: change.inTransit || 0,
  damaged: change.damaged || 0,
});

export const emptyBalance = (sku: string, locationId: string): StockBalance => ({
  sku,
  locationId,
  ...NO_CHANGE,
  version: 0,
  lastCountedAt: null,
});

/** Available to promise: what can still be reserved or sold online. */
export function availableOf(balance: Pick<StockBalance, 'onHand' | 'reserved'>, safetyStock = 0): number {
  return balance.onHand - balance.reserved - safetyStock;
}

export function applyMovement(balance: StockBalance, movement: Movement): StockBalance {
  const { change } = movement;
  return {
    ...balance,
    onHand: balance.onHand + change.onHand,
    reserved: balance.reserved + change.reserved,
    inTransit: balance.inTransit + change.inTransit,
    damaged: balance.damaged + change.damaged,
    version: balance.version + 1,
    lastCountedAt:
      movement.kind === 'counted' && (balance.lastCountedAt ?? '') < movement.occurredAt
        ? movement.occurredAt
        : balance.lastCountedAt,
  };
}

/**
 * A store sale is physical fact: it is recorded even when it drives on-hand below zero, and that case is
 * raised as an exception for review instead of being refused.
 */
export function isNegativeStockException(before: StockBalance, after: StockBalance): boolean {
  return after.onHand < 0 && after.onHand < before.onHand;
}

/**
 * When a movement happened as far as counts are concerned: its business time, but never later than when ERP
 * recorded it. A till whose clock runs ahead dates a sale in the future, yet the units left the shelf before
 * ERP heard of them; a count taken in between has seen them gone. (Counts are stored at this time too.)
 */
export function countTimeOf(occurredAt: string, recordedAt: string): string {
  return occurredAt < recordedAt ? occurredAt : recordedAt;
}

/**
 * The count rule: a physical count at time T observed every movement that happened at or before T. A movement
 * that changes on-hand, happened at or before the latest count of its key and arrives only now (an offline
 * sale) has already been seen by that count, so it must not change on-hand again. `recordedAt` is now: a
 * movement dated later counts as happening now (see countTimeOf).
 */
export function observedByCount(balance: StockBalance, movement: Movement, recordedAt: string): boolean {
  return (
    movement.change.onHand !== 0 &&
    movement.kind !== 'counted' &&
    movement.kind !== 'count_offset' &&
    balance.lastCountedAt !== null &&
    countTimeOf(movement.occurredAt, recordedAt) <= balance.lastCountedAt
  );
}

export interface MovementPlan {
  /** The ledger rows to write, in order: the movement, and its count offset when a count observed it. */
  rows: Movement[];
  after: StockBalance;
  exception: boolean;
}

/**
 * Plans one movement on its balance. A movement observed by a count is recorded as it happened and followed
 * by a `count_offset` row that takes back its on-hand change, so the ledger keeps both and still sums up.
 */
export function decideMovement(before: StockBalance, movement: Movement, recordedAt: string): MovementPlan {
  const rows = [movement];
  if (observedByCount(before, movement, recordedAt)) {
    rows.push({
      ...movement,
      id: `${movement.id}/count-offset`,
      kind: 'count_offset',
      change: changeOf({ onHand: -movement.change.onHand }),
      unitCost: null,
      channel: null,
    });
  }
  const after = rows.reduce(applyMovement, before);
  return { rows, after, exception: movement.forReview === true || isNegativeStockException(before, after) };
}

/** A deliberate adjustment: stock found damaged moves to `damaged`; a positive receipt is `received`. */
export function adjustmentMovement(reason: string, delta: number): { kind: MovementKind; change: Change } {
  if (reason === 'damaged' && delta < 0)
    return { kind: 'damaged', change: changeOf({ onHand: delta, damaged: -delta }) };
  return {
    kind: delta > 0 && reason === 'received' ? 'received' : 'adjusted',
    change: changeOf({ onHand: delta }),
  };
}
