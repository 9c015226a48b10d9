import { allocate } from '@tillstream/pricing';
import { MICROS, ratio, type Valuation, type ValuedMovement } from './valuation.decide.js';

/**
 * The chain's valuation of a SKU split over its locations. A location holds what is on hand there and what
 * is in transit to it: a shipped transfer leaves the source's on hand and enters the destination's in transit
 * (the chain owns as much, see `ownedChange`), so the units at the locations add up to the SKU's units. The
 * value is not kept per location: there is one average per SKU, and what each location's units are worth is
 * worked out from it when asked (`valueAtLocations`).
 */

/** A SKU's units at one location. */
export interface HeldUnits {
  quantity: number;
  /**
   * The version of the (SKU, location) stock balance the row was filled from when this began (finance
   * migration 028): its movements up to that version are counted already. 0: none were.
   */
  backfilledVersion: number;
}

export const NOTHING_HELD: HeldUnits = { quantity: 0, backfilledVersion: 0 };

/** What a movement changes at its own location: on hand and in transit there, transfers included. */
export const heldChange = (movement: Pick<ValuedMovement, 'quantity' | 'inTransit'>): number =>
  movement.quantity + movement.inTransit;

/**
 * The units at a location after a movement that left its balance at `version`. A movement the row was
 * filled with already (the valuation had not applied it yet when 028 ran) changes nothing. Null: nothing
 * changes.
 */
export function holdMovement(before: HeldUnits, change: number, version: number): HeldUnits | null {
  if (change === 0 || version <= before.backfilledVersion) return null;
  return { ...before, quantity: before.quantity + change };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What each location's units of one SKU are worth: the SKU's `value` split over them, so that the parts add
 * up to it to the minor unit. The locations holding units on the side of the value (above zero for a SKU
 * worth something) share what is left to them by the largest remainder over their units; the others, which
 * sold what the books have not received (below zero) or hold units of a SKU the chain is short of, are
 * valued at their units × the average, signed. With every location on one side that is `allocate(value,
 * units)`. A zero value goes to the side the units sum to. Where no location holds units on that side (the
 * locations' units do not add up to the SKU's, see finance.md), that part of the value is on no location.
 */
export function valueAtLocations(
  valuation: Pick<Valuation, 'value' | 'unitCostMicros'>,
  units: readonly number[],
): number[] {
  const total = units.reduce((sum, quantity) => sum + quantity, 0);
  const side = valuation.value > 0 || (valuation.value === 0 && total >= 0) ? 1 : -1;
  const shares = units.map((quantity) => Math.sign(quantity) === side);
  const fixed = units.map((quantity, index) =>
    shares[index] || quantity === 0 ? 0 : ratio(quantity, valuation.unitCostMicros, MICROS),
  );
  const rest = valuation.value - fixed.reduce((sum, value) => sum + value, 0);
  const parts = allocate(
    rest * side,
    units.map((quantity, index) => (shares[index] ? quantity * side : 0)),
  );
  // `|| 0`: a share of nothing on the side below zero is 0, not -0.
  return units.map((_, index) => (shares[index] ? parts[index]! * side || 0 : fixed[index]!));
}

/** One SKU's units at one location, with the SKU's valuation. */
export interface LocationHolding {
  sku: string;
  locationId: string;
  currency: string;
  quantity: number;
  /** The SKU's value, chain-wide. */
  skuValue: number;
  unitCostMicros: number;
}

/** A holding and its share of the SKU's value. */
export interface ValuedHolding extends LocationHolding {
  value: number;
}

/**
 * Values holdings of whole SKUs (every location's of each SKU given, in any order): each SKU's value split over
 * its locations in location order, so both engines break ties alike. In SKU order, then location order.
 */
export function valueHoldings(holdings: readonly LocationHolding[]): ValuedHolding[] {
  const bySku = new Map<string, LocationHolding[]>();
  for (const holding of holdings) {
    const group = bySku.get(holding.sku);
    if (group) group.push(holding);
    else bySku.set(holding.sku, [holding]);
  }
  const valued: ValuedHolding[] = [];
  for (const sku of [...bySku.keys()].sort(byCodeUnits)) {
    const group = bySku.get(sku)!.sort((a, b) => byCodeUnits(a.locationId, b.locationId));
    const values = valueAtLocations(
      { value: group[0]!.skuValue, unitCostMicros: group[0]!.unitCostMicros },
      group.map((holding) => holding.quantity),
    );
    group.forEach((holding, index) => valued.push({ ...holding, value: values[index]! }));
  }
  return valued;
}

/** Units and value summed per currency and location. */
export interface LocationTotals {
  currency: string;
  locationId: string;
  skus: number;
  quantity: number;
  value: number;
}

/** Per currency (in code order) the totals of each location (in location order). */
export function totalsByLocation(valued: readonly ValuedHolding[]): LocationTotals[] {
  const totals = new Map<string, LocationTotals>();
  for (const holding of valued) {
    const key = `${holding.currency} ${holding.locationId}`;
    const total = totals.get(key) ?? {
      currency: holding.currency,
      locationId: holding.locationId,
      skus: 0,
      quantity: 0,
      value: 0,
    };
    total.skus += 1;
    total.quantity += holding.quantity;
    total.value += holding.value;
    totals.set(key, total);
  }
  return [...totals.values()].sort(
    (a, b) => byCodeUnits(a.currency, b.currency) || byCodeUnits(a.locationId, b.locationId),
  );
}

/** What the chain's valuation and the inventory account say per currency. */
export interface ChainTotals {
  currency: string;
  skus: number;
  quantity: number;
  value: number;
  books: number;
}

/**
 * Per currency, each location's totals, their sum, the chain's and the books': `reconciled` when the
 * locations add up to the chain in units and value and the value is what the inventory account holds.
 */
export function locationSummary(totals: readonly LocationTotals[], chain: readonly ChainTotals[]) {
  return [...chain]
    .sort((a, b) => byCodeUnits(a.currency, b.currency))
    .map(({ currency, books, ...figures }) => {
      const locations = totals
        .filter((total) => total.currency === currency)
        .map(({ currency: _currency, ...location }) => location);
      const quantity = locations.reduce((sum, location) => sum + location.quantity, 0);
      const value = locations.reduce((sum, location) => sum + location.value, 0);
      return {
        currency,
        locations,
        quantity,
        value,
        chain: figures,
        books,
        reconciled: quantity === figures.quantity && value === figures.value && value === books,
      };
    });
}
