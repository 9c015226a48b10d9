import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  heldChange,
  holdMovement,
  locationSummary,
  NOTHING_HELD,
  totalsByLocation,
  valueAtLocations,
  valueHoldings,
  type LocationHolding,
} from './location-valuation.decide.js';
import { MICROS, ownedChange, ratio } from './valuation.decide.js';

const at = (unitCost: number, value: number) => ({ value, unitCostMicros: unitCost * MICROS });

describe('a SKU’s value split over its locations', () => {
  it.each([
    // [value, average, units, values]
    [1000, 100, [3, 7], [300, 700]],
    // A cent no location can take whole goes by the largest remainder, ties to the earlier location.
    [100, 100 / 3, [1, 1, 1], [34, 33, 33]],
    // A store that sold two the books have not received owes them at the average; the rest holds the value.
    [800, 100, [10, -2], [1000, -200]],
    // The chain is three short: the location that holds two has them at the average, the short one owes five.
    [-300, 100, [2, -5], [200, -500]],
    // Nothing on the books, three here and three owed there.
    [0, 100 / 3, [3, -3], [100, -100]],
    [0, 0, [4, -1], [0, 0]],
    [500, 100, [0, 5, 0], [0, 500, 0]],
  ])('splits %i at %d over %j as %j', (value, average, units, values) => {
    const valuation = { value, unitCostMicros: Math.round(average * MICROS) };
    const parts = valueAtLocations(valuation, units);
    expect(parts).toEqual(values);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(value);
  });

  it('leaves on no location what no location holds units of (the units do not add up to the SKU’s)', () => {
    expect(valueAtLocations(at(100, 500), [0, -2])).toEqual([0, -200]);
    expect(valueAtLocations(at(100, 500), [])).toEqual([]);
  });

  it('never answers -0', () => {
    expect(Object.is(valueAtLocations(at(0, 0), [-2, 0])[0], 0)).toBe(true);
    expect(Object.is(valueAtLocations(at(100, -200), [-2, 0])[1], 0)).toBe(true);
  });

  it('adds up to the SKU’s value whenever the units add up to its units, each location near units × average', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: -3, max: 3 }),
        (units, unitCostMicros, drift) => {
          const quantity = units.reduce((sum, unit) => sum + unit, 0);
          // The value the valuation keeps: units × average, off by rounding, never across zero.
          const exact = ratio(quantity, unitCostMicros, MICROS);
          const value = Math.sign(quantity) * Math.max(0, Math.abs(exact) + drift) || 0;
          const parts = valueAtLocations({ value, unitCostMicros }, units);
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(value);
          units.forEach((unit, index) => {
            const part = parts[index]!;
            expect(Math.sign(part) === Math.sign(unit) || part === 0).toBe(true);
            if (unit === 0) expect(part).toBe(0);
          });
          // Off the exact share only by the value's own rounding and a minor unit per location.
          const worst = Math.max(
            ...units.map((unit, index) => Math.abs(parts[index]! - (unit * unitCostMicros) / MICROS)),
          );
          expect(worst).toBeLessThanOrEqual(
            Math.abs(value - (quantity * unitCostMicros) / MICROS) + units.length,
          );
        },
      ),
    );
  });
});

describe('units per location', () => {
  const movement = (kind: string, quantity: number, inTransit = 0) => ({ kind, quantity, inTransit });

  it('counts a shipped transfer at both ends, so the locations add up to what the chain owns', () => {
    const shipment = [movement('transfer_out', -5), movement('transfer_incoming', 0, 5)];
    expect(shipment.map(heldChange)).toEqual([-5, 5]);
    expect(shipment.map(ownedChange)).toEqual([0, 0]);
    for (const other of [
      movement('sold', -2),
      movement('transfer_in', 6, -5),
      movement('transfer_lost', 0, -2),
    ])
      expect(heldChange(other)).toBe(ownedChange(other));
  });

  it('skips movements the row was filled with from the stock balance, and counts the ones after', () => {
    const filled = { quantity: 7, backfilledVersion: 12 };
    expect(holdMovement(filled, -2, 12)).toBeNull();
    expect(holdMovement(filled, -2, 13)).toEqual({ quantity: 5, backfilledVersion: 12 });
    expect(holdMovement(NOTHING_HELD, 3, 1)).toEqual({ quantity: 3, backfilledVersion: 0 });
    expect(holdMovement(NOTHING_HELD, 0, 4)).toBeNull();
  });
});

describe('location totals', () => {
  const holding = (sku: string, locationId: string, quantity: number, skuValue: number): LocationHolding => ({
    sku,
    locationId,
    currency: 'EUR',
    quantity,
    skuValue,
    unitCostMicros: 100 * MICROS,
  });

  it('splits each SKU in location order, whatever order the rows come in', () => {
    const rows = [holding('B', 'S2', 1, 100), holding('A', 'W1', 1, 1), holding('A', 'S1', 1, 1)];
    expect(valueHoldings(rows).map((row) => [row.sku, row.locationId, row.value])).toEqual([
      ['A', 'S1', 1],
      ['A', 'W1', 0],
      ['B', 'S2', 100],
    ]);
    expect(valueHoldings([...rows].reverse())).toEqual(valueHoldings(rows));
  });

  it('sums per location and reconciles with the chain and the books', () => {
    const valued = valueHoldings([
      holding('A', 'W1', 10, 800),
      holding('A', 'S1', -2, 800),
      holding('B', 'S1', 3, 300),
    ]);
    const totals = totalsByLocation(valued);
    expect(totals).toEqual([
      { currency: 'EUR', locationId: 'S1', skus: 2, quantity: 1, value: 100 },
      { currency: 'EUR', locationId: 'W1', skus: 1, quantity: 10, value: 1000 },
    ]);
    const chain = { currency: 'EUR', skus: 2, quantity: 11, value: 1100, books: 1100 };
    expect(locationSummary(totals, [chain])).toEqual([
      {
        currency: 'EUR',
        locations: [
          { locationId: 'S1', skus: 2, quantity: 1, value: 100 },
          { locationId: 'W1', skus: 1, quantity: 10, value: 1000 },
        ],
        quantity: 11,
        value: 1100,
        chain: { skus: 2, quantity: 11, value: 1100 },
        books: 1100,
        reconciled: true,
      },
    ]);
    // Units the locations do not account for, or books that differ, are not reconciled.
    expect(locationSummary(totals, [{ ...chain, quantity: 12 }])[0]!.reconciled).toBe(false);
    expect(locationSummary(totals, [{ ...chain, books: 1000 }])[0]!.reconciled).toBe(false);
    // A currency with books and no stock is listed with no locations.
    expect(locationSummary([], [{ currency: 'USD', skus: 0, quantity: 0, value: 0, books: 0 }])).toEqual([
      expect.objectContaining({ currency: 'USD', locations: [], reconciled: true }),
    ]);
  });
});
