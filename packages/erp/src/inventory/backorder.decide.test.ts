import { describe, expect, it } from 'vitest';
import { fillQueue } from './backorder.decide.js';

const queue = [
  { backorderId: 1, quantity: 3, filled: 1 },
  { backorderId: 2, quantity: 4, filled: 0 },
  { backorderId: 3, quantity: 1, filled: 0 },
];

describe('fillQueue', () => {
  it.each([
    { available: 0, fills: [] },
    { available: 1, fills: [[1, 1, 2, 1]] },
    { available: 2, fills: [[1, 2, 3, 0]] },
    {
      available: 5,
      fills: [
        [1, 2, 3, 0],
        [2, 3, 3, 1],
      ],
    },
    {
      available: 99,
      fills: [
        [1, 2, 3, 0],
        [2, 4, 4, 0],
        [3, 1, 1, 0],
      ],
    },
  ])('$available units arrive: oldest first, no skipping', ({ available, fills }) => {
    expect(fillQueue(queue, available).map((f) => [f.backorderId, f.take, f.filled, f.remaining])).toEqual(
      fills,
    );
  });
});
