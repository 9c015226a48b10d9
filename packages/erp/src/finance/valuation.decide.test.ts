import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signed } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import {
  emptyValuation,
  MICROS,
  ownedChange,
  ratio,
  valuationEntry,
  valueMovement,
  type Valuation,
  type ValuedMovement,
} from './valuation.decide.js';

const start = emptyValuation('A', 'EUR');

/** Applies units (with a cost for receipts) one after another, as the consumer does. */
function run(steps: Array<[units: number, unitCost?: number | null]>, from: Valuation = start) {
  let valuation = from;
  let booked = 0;
  let variance = 0;
  for (const [units, unitCost = null] of steps) {
    const change = valueMovement(valuation, units, unitCost);
    valuation = change.after;
    booked += change.value;
    variance += change.variance;
  }
  return { valuation, booked, variance };
}

const movement = (kind: string, quantity: number, inTransit = 0): ValuedMovement => ({
  id: `m-${kind}`,
  kind,
  locationId: 'S1',
  quantity,
  inTransit,
  occurredAt: '2026-12-01T10:00:00.000Z',
  unitCost: null,
  channel: null,
});

describe('moving average cost', () => {
  it('averages receipts at their cost and sends units out at the average', () => {
    const { valuation } = run([
      [10, 450],
      [10, 550],
    ]);
    expect(valuation).toMatchObject({ quantity: 20, value: 10_000, unitCostMicros: 500 * MICROS });
    const sale = valueMovement(valuation, -3, null);
    expect(sale.value).toBe(-1500);
    expect(sale.after).toMatchObject({ quantity: 17, value: 8500 });
  });

  it('takes the last unit out at exactly what is left, so no value stays behind with no units', () => {
    // 3 units for 100: 33.33… each; out one by one they cost 33, 34 and 33, and no cent is left over.
    const costed = { ...start, quantity: 3, value: 100, unitCostMicros: ratio(100, MICROS, 3) };
    const out = run([[-1], [-1], [-1]], costed);
    expect(out.valuation).toMatchObject({ quantity: 0, value: 0 });
    expect(out.booked).toBe(-100);
  });

  it('values a return and found stock at the average, and stock with no cost at nothing', () => {
    const stocked = run([[4, 250]]).valuation;
    expect(valueMovement(stocked, 2, null)).toMatchObject({ value: 500, variance: 0 });
    expect(valueMovement(start, 5, null)).toMatchObject({ value: 0, after: { quantity: 5, value: 0 } });
  });

  it('revalues stock sold short at the cost of the receipt that brings it back, the difference to cost of sales', () => {
    // Two sold at an average of 100 before any were on the books; they really cost 150.
    const short = run([[1, 100], [-3]]).valuation;
    expect(short).toMatchObject({ quantity: -2, value: -200 });
    const receipt = valueMovement(short, 10, 150);
    expect(receipt.after).toMatchObject({ quantity: 8, value: 1200, unitCostMicros: 150 * MICROS });
    expect(receipt.value).toBe(1400);
    expect(receipt.variance).toBe(-100);
  });

  it('keeps value and units in step over any run of movements: the value never strays from units × cost', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -50, max: 60 }).filter((units) => units !== 0),
            fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
          ),
          { maxLength: 60 },
        ),
        (steps) => {
          const { valuation, booked } = run(steps);
          // What the account holds is what each change booked.
          expect(valuation.value).toBe(booked);
          if (valuation.quantity === 0) expect(valuation.value).toBe(0);
          // Below zero the books owe units at the last cost; above it, each unit is worth about the average.
          if (valuation.quantity !== 0)
            expect(
              Math.abs(valuation.value - ratio(valuation.quantity, valuation.unitCostMicros, MICROS)),
            ).toBeLessThanOrEqual(Math.abs(valuation.quantity) + 1);
        },
      ),
    );
  });

  it('counts on hand and in transit as owned, but not a transfer shipped nor a reservation', () => {
    expect(ownedChange(movement('sold', -2))).toBe(-2);
    expect(ownedChange(movement('transfer_out', -5))).toBe(0);
    expect(ownedChange(movement('transfer_incoming', 0, 5))).toBe(0);
    // Received at the destination: out of transit into on hand, one unit over what was shipped.
    expect(ownedChange(movement('transfer_in', 6, -5))).toBe(1);
    expect(ownedChange(movement('transfer_lost', 0, -2))).toBe(-2);
    expect(ownedChange(movement('hold', 0))).toBe(0);
    expect(ownedChange(movement('returned_damaged', 0))).toBe(0);
  });

  it('is exact where floating point is not', () => {
    expect(ratio(3, 2_500_000, MICROS)).toBe(8);
    expect(ratio(-3, 2_500_000, MICROS)).toBe(-8);
    expect(ratio(9_000_000_000, 1_000_000, 3)).toBe(3_000_000_000_000_000);
  });
});

describe('valuation entries', () => {
  it('books a sale to cost of sales, a receipt to goods received not invoiced, a count to shrinkage', () => {
    const sale = valuationEntry(movement('sold', -2), 'EUR', { value: -900, variance: 0 })!;
    expect(sale).toMatchObject({ kind: 'cost_of_sales', channel: 'inventory', sourceId: 'm-sold' });
    expect(signed(sale.lines)).toEqual({ '1300': -900, '5000': 900 });
    const ordered = { ...movement('po_received', 10), unitCost: 150 };
    const receipt = valuationEntry(ordered, 'EUR', { value: 1400, variance: -100 })!;
    expect(receipt.kind).toBe('goods_received');
    expect(signed(receipt.lines)).toEqual({ '1300': 1400, '2300': -1500, '5000': 100 });
    // Goods no order agreed a cost for (an item it did not list, stock received by adjustment) are not billed
    // against an order: they wait apart, so 2300 is exactly what orders received and were not billed for.
    for (const unbilled of [movement('po_received', 2), { ...movement('received', 2), unitCost: 150 }])
      expect(signed(valuationEntry(unbilled, 'EUR', { value: 300, variance: 0 })!.lines)).toEqual({
        '1300': 300,
        '2310': -300,
      });
    const count = valuationEntry(movement('counted', -1), 'EUR', { value: -450, variance: 0 })!;
    expect(signed(count.lines)).toEqual({ '1300': -450, '5100': 450 });
    for (const entry of [sale, receipt, count]) expect(isBalanced(entry.lines)).toBe(true);
  });

  it("books cost of sales under the sale's channel, and stock's own movements under inventory", () => {
    const change = { value: -900, variance: 0 };
    expect(valuationEntry({ ...movement('sold', -2), channel: 'pos' }, 'EUR', change)).toMatchObject({
      kind: 'cost_of_sales',
      channel: 'pos',
      locationId: 'S1',
    });
    expect(valuationEntry({ ...movement('commit', -2), channel: 'web' }, 'EUR', change)!.channel).toBe('web');
    const returned = valuationEntry({ ...movement('returned', 2), channel: 'web' }, 'EUR', {
      value: 900,
      variance: 0,
    });
    expect(returned).toMatchObject({ kind: 'cost_of_sales', channel: 'web' });
    // A count names no channel even where a sale's channel was left on its row by mistake.
    expect(valuationEntry({ ...movement('counted', -2), channel: 'pos' }, 'EUR', change)!.channel).toBe(
      'inventory',
    );
  });

  it('makes no entry for a movement that moved no value', () => {
    expect(valuationEntry(movement('received', 5), 'EUR', { value: 0, variance: 0 })).toBeNull();
  });
});
