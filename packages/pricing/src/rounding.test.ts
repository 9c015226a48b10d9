import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, mulDivRound, shareOf, splitInTurn } from './rounding.js';

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

describe('splitInTurn', () => {
  it('never gives a part less of a larger amount, gives each its weight at their sum, and adds up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (weights, seed) => {
          const sum = weights.reduce((total, weight) => total + weight, 0);
          fc.pre(sum > 0);
          const amount = seed % sum;
          const now = splitInTurn(amount, weights);
          const next = splitInTurn(amount + 1, weights);
          expect(now.reduce((total, part) => total + part, 0)).toBe(amount);
          now.forEach((part, index) => {
            expect(next[index]!).toBeGreaterThanOrEqual(part);
            expect(Math.abs(part - (amount * weights[index]!) / sum)).toBeLessThan(2);
          });
          expect(splitInTurn(sum, weights)).toEqual(weights);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('gives the last of [3218, 792, 506, 1] no less of 2,156 than of 2,155, where the largest remainder does', () => {
    const weights = [3218, 792, 506, 1];
    expect([splitInTurn(2155, weights)[3], splitInTurn(2156, weights)[3]]).toEqual([0, 0]);
    expect([allocate(2155, weights)[3], allocate(2156, weights)[3]]).toEqual([1, 0]);
  });
});
