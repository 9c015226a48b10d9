import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import { decideReturn, type ReturnLine } from './return.decide.js';
import type { OrderStatus } from './order.decide.js';

// 3 tees paid 2,000 in total after a promotion (not 3 × 700): refunds share what was paid, not list prices.
const order = (status: OrderStatus = 'delivered') => ({
  id: 'order-1',
  status,
  lines: [
    { sku: 'TEE', quantity: 3, lineTotal: 2000 },
    { sku: 'CAP', quantity: 1, lineTotal: 1500 },
  ],
});
const line = (sku: string, quantity: number): ReturnLine => ({ sku, quantity, disposition: 'restock' });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.code : 'not a domain error';
  }
  return 'no error';
};

describe('decideReturn', () => {
  it('refunds each SKU its share of what was paid, and returning everything refunds exactly the total', () => {
    const first = decideReturn(order(), [], [line('TEE', 1)]).refundAmount;
    const second = decideReturn(order(), [line('TEE', 1)], [line('TEE', 1)]).refundAmount;
    const third = decideReturn(order(), [line('TEE', 2)], [line('TEE', 1), line('CAP', 1)]).refundAmount;
    expect([first, second, third]).toEqual([666, 667, 667 + 1500]);
    expect(first + second + third).toBe(3500);
  });

  it('prices each line, one after another, with the tax its SKU added on top: what a report needs per product', () => {
    // Two caps at 8.875 % on top (4998 + 444 = 5442), one returned restocked and one damaged, then the tee.
    const added = {
      ...order(),
      lines: [
        order().lines[0]!,
        { sku: 'CAP', quantity: 2, lineTotal: 5442, tax: { inclusive: false, amount: 444 } },
      ],
    };
    const first = decideReturn(added, [], [line('CAP', 1), { ...line('CAP', 1), disposition: 'damaged' }]);
    expect(first.lines).toEqual([
      { ...line('CAP', 1), value: 2721, addedTax: 222 },
      { sku: 'CAP', quantity: 1, disposition: 'damaged', value: 2721, addedTax: 222 },
    ]);
    expect(first.refundAmount).toBe(5442);
    // Included tax is in the price: nothing of it is added on top.
    expect(decideReturn(added, [], [line('TEE', 2)]).lines).toEqual([
      { ...line('TEE', 2), value: 1333, addedTax: 0 },
    ]);
  });

  it.each([
    ['before shipping', order('allocated'), [], [line('TEE', 1)], 'order_transition_invalid'],
    ['after a cancel', order('cancelled'), [], [line('TEE', 1)], 'order_transition_invalid'],
    ['a SKU the order lacks', order(), [], [line('SOCK', 1)], 'return_line_not_in_order'],
    ['more than shipped', order(), [], [line('TEE', 4)], 'return_exceeds_shipped'],
    [
      'more than is left after a return',
      order(),
      [line('TEE', 2)],
      [line('TEE', 2)],
      'return_exceeds_shipped',
    ],
    [
      'two lines of one SKU adding up to too many',
      order(),
      [],
      [line('CAP', 1), line('CAP', 1)],
      'return_exceeds_shipped',
    ],
  ] as const)('refuses %s', (_name, given, before, lines, code) => {
    expect(codeOf(() => decideReturn(given, before, lines))).toBe(code);
  });

  describe('of a partly shipped order', () => {
    // Two of the three tees left in one parcel; the cap and the last tee wait.
    const partly = { ...order('partially_shipped'), shipped: [{ lines: [{ sku: 'TEE', quantity: 2 }] }] };

    it('takes back units that left, refunding their share of what was paid', () => {
      expect(decideReturn(partly, [], [line('TEE', 2)]).refundAmount).toBe(1333);
    });

    it.each([
      ['more units than left', [], [line('TEE', 3)], { sku: 'TEE', shipped: 2, returned: 0, requested: 3 }],
      [
        'a SKU none of which left',
        [],
        [line('CAP', 1)],
        { sku: 'CAP', shipped: 0, returned: 0, requested: 1 },
      ],
      [
        'more than is left after a return',
        [line('TEE', 1)],
        [line('TEE', 2)],
        { sku: 'TEE', shipped: 2, returned: 1, requested: 2 },
      ],
    ] as const)('refuses %s, naming what shipped', (_name, before, lines, detail) => {
      let caught: unknown;
      try {
        decideReturn(partly, before, lines);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'return_exceeds_shipped', extensions: { lines: [detail] } });
    });
  });

  it('accepts returns of a shipped order that was not delivered yet', () => {
    expect(decideReturn(order('shipped'), [], [line('CAP', 1)]).refundAmount).toBe(1500);
  });
});
