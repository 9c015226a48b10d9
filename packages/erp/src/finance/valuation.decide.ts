import { ACCOUNTS, type AccountCode } from './accounts.js';
import { posting, type JournalEntry } from './journal.decide.js';

/**
 * Perpetual inventory at moving average cost, one average per SKU across the chain (a transfer moves goods,
 * not value). Units and value move with every stock movement that changes what the chain owns: on hand plus
 * in transit; damaged goods are written off when they are found damaged. Values are minor units of the SKU's
 * currency; the average is kept in millionths of a minor unit so that it survives many small receipts.
 */
export interface Valuation {
  sku: string;
  currency: string;
  /** Units owned: may fall below zero when stores sell what the books have not received yet. */
  quantity: number;
  /** What those units cost, in minor units: the balance of the inventory account for this SKU. */
  value: number;
  /** The moving average cost per unit in millionths of a minor unit; what units go out and come back at. */
  unitCostMicros: number;
}

/** The one-line view of a stock movement that valuation needs, as `erp.stock.changed` carries it. */
export interface ValuedMovement {
  id: string;
  kind: string;
  locationId: string;
  /** The change of on hand, signed. */
  quantity: number;
  /** The change of in transit, signed. */
  inTransit: number;
  occurredAt: string;
  /** What a receipt cost per unit in minor units (a purchase order's agreed cost); null: the average. */
  unitCost: number | null;
  /** The sales channel whose sale, return or reservation it was, as its event says; null: none. */
  channel: string | null;
}

export const MICROS = 1_000_000;

/** Shipping a transfer moves on hand at the source into in transit at the destination: the chain owns as much. */
const INTERNAL_KINDS = new Set(['transfer_out', 'transfer_incoming']);

const COST_OF_SALES_KINDS = new Set(['sold', 'commit', 'returned']);
const RECEIPT_KINDS = new Set(['received', 'po_received']);

/** Receipts carry their cost per unit on their ledger row, where one was given. */
export const isReceipt = (kind: string): boolean => RECEIPT_KINDS.has(kind);

/** Stock's own entries, and cost of sales whose channel is not known, are booked under this channel. */
export const INVENTORY_CHANNEL = 'inventory';

export type ValuationEntryKind = 'cost_of_sales' | 'goods_received' | 'stock_adjustment';

export const emptyValuation = (sku: string, currency: string): Valuation => ({
  sku,
  currency,
  quantity: 0,
  value: 0,
  unitCostMicros: 0,
});

/** The units a movement adds to (or takes from) what the chain owns; 0 for reservations and transfers shipped. */
export function ownedChange(movement: Pick<ValuedMovement, 'kind' | 'quantity' | 'inTransit'>): number {
  if (INTERNAL_KINDS.has(movement.kind)) return 0;
  return movement.quantity + movement.inTransit;
}

/**
 * a × b ÷ c rounded half away from zero, exactly: the products of values, units and millionths pass 2^53 long
 * before any one of them does.
 */
export function ratio(a: number, b: number, c: number): number {
  const numerator = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  const negative = numerator < 0n !== divisor < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = divisor < 0n ? -divisor : divisor;
  const rounded = (2n * n + d) / (2n * d);
  return Number(negative ? -rounded : rounded);
}

/** What `units` cost at the average. */
const atAverage = (units: number, unitCostMicros: number): number => ratio(units, unitCostMicros, MICROS);

/**
 * One movement's effect on a SKU's valuation. `value` is the change of the inventory account, of which
 * `variance` is a correction against cost of sales: stock that went below zero was costed at the old average,
 * so the receipt that brings it back revalues what is left at the receipt's cost; and when no units are left
 * no value may stay behind (rounding). Pure: the caller keeps the valuation and posts the entry.
 */
export function valueMovement(
  before: Valuation,
  units: number,
  unitCost: number | null,
): { after: Valuation; value: number; variance: number } {
  if (units === 0) return { after: before, value: 0, variance: 0 };
  const quantity = before.quantity + units;
  let value: number;
  let unitCostMicros = before.unitCostMicros;
  if (units < 0) {
    const out = -units;
    const onBooks = Math.max(before.quantity, 0);
    // Units that are on the books leave at their share of the value (all of it for the last one), so that
    // the value of what is left stays exactly what it cost; units beyond go at the average.
    const fromBooks = Math.min(out, onBooks);
    const share = fromBooks === onBooks ? Math.max(before.value, 0) : ratio(before.value, fromBooks, onBooks);
    value = -(share + atAverage(out - fromBooks, unitCostMicros));
  } else {
    const costMicros = unitCost === null ? unitCostMicros : unitCost * MICROS;
    value = unitCost === null ? atAverage(units, costMicros) : units * unitCost;
    if (before.quantity >= 0 && quantity > 0) {
      unitCostMicros = ratio(before.value + value, MICROS, quantity);
    } else {
      // Below zero before: what was sold short is revalued at this cost, the difference to cost of sales.
      unitCostMicros = costMicros;
      const revalued = atAverage(quantity, costMicros);
      const variance = revalued - (before.value + value);
      return settle(before, quantity, value + variance, variance, unitCostMicros);
    }
  }
  return settle(before, quantity, value, 0, unitCostMicros);
}

/** The valuation after a movement; nothing of value stays with no units (the rest is variance). */
function settle(
  before: Valuation,
  quantity: number,
  value: number,
  variance: number,
  unitCostMicros: number,
) {
  let total = before.value + value;
  if (quantity === 0 && total !== 0) {
    variance -= total;
    value -= total;
    total = 0;
  }
  return { after: { ...before, quantity, value: total, unitCostMicros }, value, variance };
}

/** Which entry a movement makes and the account on the other side of inventory. */
export function entryKindOf(movement: Pick<ValuedMovement, 'kind' | 'unitCost'>): {
  kind: ValuationEntryKind;
  contra: AccountCode;
} {
  if (COST_OF_SALES_KINDS.has(movement.kind))
    return { kind: 'cost_of_sales', contra: ACCOUNTS.costOfSales.code };
  // Only goods a purchase order agreed a cost for are billed against it, so only they wait on 2300: then 2300
  // is exactly what the orders received and were not invoiced for yet, line by line.
  if (movement.kind === 'po_received' && movement.unitCost !== null)
    return { kind: 'goods_received', contra: ACCOUNTS.goodsReceived.code };
  if (RECEIPT_KINDS.has(movement.kind))
    return { kind: 'goods_received', contra: ACCOUNTS.receivedOutsideOrders.code };
  return { kind: 'stock_adjustment', contra: ACCOUNTS.shrinkage.code };
}

/**
 * The journal entry of a movement's value: inventory against cost of sales (a sale, a return), goods received
 * not invoiced (a purchase order's receipt), goods received outside orders (any other receipt) or shrinkage (damage, counts, adjustments, goods lost in transit), a variance
 * against cost of sales. Null when it moved no value (nothing known of its cost yet).
 */
export function valuationEntry(
  movement: ValuedMovement,
  currency: string,
  change: { value: number; variance: number },
): JournalEntry | null {
  if (change.value === 0 && change.variance === 0) return null;
  const { kind, contra } = entryKindOf(movement);
  const entry = posting();
  entry.debit(ACCOUNTS.inventory.code, change.value);
  entry.credit(contra, change.value - change.variance);
  entry.credit(ACCOUNTS.costOfSales.code, change.variance);
  const lines = entry.lines();
  if (lines.length === 0) return null;
  return {
    kind,
    sourceId: movement.id,
    locationId: movement.locationId,
    // Cost of sales sits beside its channel's revenue, so the channel's gross margin is in the books.
    channel: kind === 'cost_of_sales' ? (movement.channel ?? INVENTORY_CHANNEL) : INVENTORY_CHANNEL,
    occurredAt: movement.occurredAt,
    currency,
    lines,
    taxBases: [],
  };
}
