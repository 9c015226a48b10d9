import { describe, expect, it } from 'vitest';
import { allocate, describeShortages, totalsByKey } from './allocation.decide.js';
import type { Demand } from './kit.decide.js';

const demand = (sku: string, quantity: number, extra: Partial<Demand> = {}): Demand => ({
  line: 0,
  sku,
  quantity,
  backorderable: false,
  ...extra,
});

const stock = (entries: Record<string, number | undefined>) =>
  new Map(Object.entries(entries).map(([key, units]) => [key, units ?? 0]));

describe('allocate', () => {
  it.each([
    {
      name: 'the first location in channel order that covers the whole line',
      demands: [demand('A', 3)],
      available: { 'A@W1': 2, 'A@W2': 5, 'A@W3': 9 },
      allocations: [['A', 'W2', 3]],
    },
    {
      name: 'an explicit location, even outside the channel (click and collect)',
      demands: [demand('A', 2, { locationId: 'S1' })],
      available: { 'A@W1': 9, 'A@S1': 2 },
      allocations: [['A', 'S1', 2]],
    },
    {
      name: 'a split in channel order when no single location covers the line',
      demands: [demand('A', 6)],
      available: { 'A@W1': 2, 'A@W2': 1, 'A@W3': 4 },
      allocations: [
        ['A', 'W1', 2],
        ['A', 'W2', 1],
        ['A', 'W3', 3],
      ],
    },
    {
      name: 'two lines of one SKU never count the same units',
      demands: [demand('A', 3), demand('A', 3, { line: 1 })],
      available: { 'A@W1': 4, 'A@W2': 2 },
      allocations: [
        ['A', 'W1', 3],
        ['A', 'W1', 1],
        ['A', 'W2', 2],
      ],
    },
    {
      name: 'negative availability (a store oversold) counts as none',
      demands: [demand('A', 1)],
      available: { 'A@W1': -3, 'A@W2': 1 },
      allocations: [['A', 'W2', 1]],
    },
  ])('takes $name', ({ demands, available, allocations }) => {
    const plan = allocate(demands, ['W1', 'W2', 'W3'], stock(available));
    expect(plan.shortages).toEqual([]);
    expect(plan.backorders).toEqual([]);
    expect(plan.allocations.map((a) => [a.sku, a.locationId, a.quantity])).toEqual(allocations);
  });

  it('reports a shortage with what was left, and places nothing for that line', () => {
    const plan = allocate([demand('A', 5)], ['W1', 'W2'], stock({ 'A@W1': 2, 'A@W2': 1 }));
    expect(plan.shortages).toEqual([{ line: 0, sku: 'A', requested: 5, available: 3 }]);
    expect(plan.allocations).toEqual([]);
  });

  it('backorders what stock cannot cover for a backorderable product, at its first location', () => {
    const plan = allocate([demand('A', 5, { backorderable: true })], ['W1', 'W2'], stock({ 'A@W2': 2 }));
    expect(plan.shortages).toEqual([]);
    expect(plan.allocations).toEqual([{ line: 0, sku: 'A', locationId: 'W2', quantity: 2 }]);
    expect(plan.backorders).toEqual([{ line: 0, sku: 'A', locationId: 'W1', quantity: 3 }]);
  });

  it('a channel without locations can only serve explicit lines', () => {
    const plan = allocate([demand('A', 1, { backorderable: true })], [], stock({ 'A@W1': 5 }));
    expect(plan.shortages).toEqual([{ line: 0, sku: 'A', requested: 1, available: 0 }]);
  });

  it('kits sharing a component compete for the same units', () => {
    const demands = [
      demand('A', 2, { line: 0 }),
      demand('B', 2, { line: 0 }),
      demand('A', 2, { line: 1 }),
      demand('C', 2, { line: 1 }),
    ];
    const plan = allocate(demands, ['W1'], stock({ 'A@W1': 3, 'B@W1': 9, 'C@W1': 9 }));
    expect(plan.shortages).toEqual([{ line: 1, sku: 'A', requested: 2, available: 1 }]);
  });
});

describe('describeShortages', () => {
  it('reports a kit line in kit units, with its short components', () => {
    const lines = [
      { sku: 'A', quantity: 1, kit: false },
      { sku: 'K', quantity: 3, kit: true },
    ];
    const short = describeShortages(lines, [
      { line: 1, sku: 'B', requested: 6, available: 4 },
      { line: 1, sku: 'C', requested: 3, available: 1 },
    ]);
    expect(short).toEqual([
      {
        line: 1,
        sku: 'K',
        requested: 3,
        available: 1,
        components: [
          { sku: 'B', requested: 6, available: 4 },
          { sku: 'C', requested: 3, available: 1 },
        ],
      },
    ]);
  });
});

describe('totalsByKey', () => {
  it('sums placements per (sku, location), in key order', () => {
    expect(
      totalsByKey([
        { line: 1, sku: 'B', locationId: 'W1', quantity: 1 },
        { line: 0, sku: 'A', locationId: 'W2', quantity: 2 },
        { line: 2, sku: 'A', locationId: 'W2', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', locationId: 'W2', quantity: 5 },
      { sku: 'B', locationId: 'W1', quantity: 1 },
    ]);
  });
});
