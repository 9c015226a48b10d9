import { describe, expect, it } from 'vitest';
import { allocate, mulDivRound, refundShares, shareOf } from './rounding.js';

describe('mulDivRound rounds half up', () => {
  it.each([
    { a: 5, b: 1000, c: 10_000, expected: 1, why: 'exactly half goes up (0.5)' },
    { a: 4, b: 1000, c: 10_000, expected: 0, why: 'below half goes down (0.4)' },
    { a: 15, b: 1000, c: 10_000, expected: 2, why: '1.5 goes up' },
    { a: 999, b: 190_000, c: 1_190_000, expected: 160, why: '159.504 goes up' },
    { a: 1000, b: 0, c: 7, expected: 0, why: 'zero stays zero' },
    { a: 2 ** 52, b: 3, c: 4, expected: 3 * 2 ** 50, why: 'a product past 2^53 is exact (BigInt)' },
    {
      a: 999_999_999_999,
      b: 9_999,
      c: 10_000,
      expected: 999_899_999_999,
      why: '999899999999.0001 past 2^50',
    },
  ])('$a × $b / $c = $expected: $why', ({ a, b, c, expected }) => {
    expect(mulDivRound(a, b, c)).toBe(expected);
  });
});

describe('allocate spreads an amount by largest remainder', () => {
  it.each([
    { amount: 100, weights: [333, 333, 333], expected: [34, 33, 33], why: 'a tie goes to the earlier line' },
    { amount: 2, weights: [5, 5, 5], expected: [1, 1, 0], why: 'two units over three equal lines' },
    { amount: 10, weights: [1, 2, 7], expected: [1, 2, 7], why: 'exact shares stay exact' },
    { amount: 7, weights: [100, 1, 1], expected: [7, 0, 0], why: 'the big line takes the leftovers' },
    { amount: 5, weights: [1, 1, 8], expected: [1, 0, 4], why: 'largest fraction first: 0.5, 0.5, 4.0' },
    { amount: 0, weights: [3, 4], expected: [0, 0], why: 'nothing to spread' },
    { amount: 9, weights: [0, 9], expected: [0, 9], why: 'a line with nothing gets nothing' },
  ])('$amount over $weights → $expected: $why', ({ amount, weights, expected }) => {
    const parts = allocate(amount, weights);
    expect(parts).toEqual(expected);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(amount);
  });
});

describe('shareOf', () => {
  it('shares a whole out on the running total, so the parts add up to it', () => {
    // 3 units carrying 2 cents of tax, returned one at a time: 1 + 0 + 1, not 1 + 1 + 1.
    const parts = [0, 1, 2].map((done) => shareOf(2, 3, done, 1));
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(2);
    expect(shareOf(378, 2178, 0, 2178)).toBe(378);
    expect(shareOf(52, 300, 0, 100) + shareOf(52, 300, 100, 100) + shareOf(52, 300, 200, 100)).toBe(52);
    expect(shareOf(0, 300, 0, 100)).toBe(0);
  });
});

describe('refundShares', () => {
  // An order of 21 % and 9 % goods: 1210 (1000 + 210) and 218 (200 + 18), 1428 in all, 228 of it tax.
  const parts = [
    { ratePpm: 210_000, net: 1000, tax: 210 },
    { ratePpm: 90_000, net: 200, tax: 18 },
  ];
  const order = { total: 1428, tax: 228 };

  it('gives back each part exactly, refund by refund, when the order is refunded in uneven steps', () => {
    let refunded = 0;
    const given = [333, 1, 500, 594].map((amount) =>
      refundShares(parts, order, { refunded: (refunded += amount), amount }),
    );
    const sum = (pick: (share: { gross: number; tax: number }) => number) =>
      [0, 1].map((index) => given.reduce((total, shares) => total + pick(shares[index]!), 0));
    expect(sum((share) => share.gross)).toEqual([1210, 218]);
    expect(sum((share) => share.tax)).toEqual([210, 18]);
    // Within the order's total, each refund is split whole over the parts.
    expect(given.map((shares) => shares[0]!.gross + shares[1]!.gross)).toEqual([333, 1, 500, 594]);
  });

  it('gives nothing more once the order is refunded in full, whatever is refunded beyond it', () => {
    expect(refundShares(parts, order, { refunded: 1528, amount: 100 })).toEqual([
      { gross: 0, tax: 0 },
      { gross: 0, tax: 0 },
    ]);
    expect(refundShares(parts, order, { refunded: 1500, amount: 1500 })).toEqual([
      { gross: 1210, tax: 210 },
      { gross: 218, tax: 18 },
    ]);
  });
});
