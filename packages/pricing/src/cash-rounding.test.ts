import { describe, expect, it } from 'vitest';
import { cashRoundingOf, roundToIncrement } from './cash-rounding.js';

describe('roundToIncrement: to the nearest multiple, half away from zero', () => {
  it.each([
    // The Netherlands, Belgium, Finland, Ireland, Switzerland, Canada, Australia: 5 cents (or rappen).
    { amount: 990, increment: 5, expected: 990, why: 'x.x0 stays' },
    { amount: 991, increment: 5, expected: 990, why: 'x.x1 goes down' },
    { amount: 992, increment: 5, expected: 990, why: 'x.x2 goes down' },
    { amount: 993, increment: 5, expected: 995, why: 'x.x3 goes up to x.x5' },
    { amount: 994, increment: 5, expected: 995, why: 'x.x4 goes up to x.x5' },
    { amount: 995, increment: 5, expected: 995, why: 'x.x5 stays' },
    { amount: 996, increment: 5, expected: 995, why: 'x.x6 goes down to x.x5' },
    { amount: 997, increment: 5, expected: 995, why: 'x.x7 goes down to x.x5' },
    { amount: 998, increment: 5, expected: 1000, why: 'x.x8 goes up' },
    { amount: 999, increment: 5, expected: 1000, why: 'x.x9 goes up' },
    { amount: 2, increment: 5, expected: 0, why: 'two cents in cash are nothing' },
    { amount: 3, increment: 5, expected: 5, why: 'three cents are a five' },
    // Sweden: 1 krona (100 öre); exactly half goes up.
    { amount: 4_949, increment: 100, expected: 4_900, why: 'SEK 49.49 → 49' },
    { amount: 4_950, increment: 100, expected: 5_000, why: 'SEK 49.50, exactly half → 50' },
    { amount: 4_951, increment: 100, expected: 5_000, why: 'SEK 49.51 → 50' },
    // Denmark: 50 øre; 25 øre is the half.
    { amount: 1_024, increment: 50, expected: 1_000, why: 'DKK 10.24 → 10.00' },
    { amount: 1_025, increment: 50, expected: 1_050, why: 'DKK 10.25, exactly half → 10.50' },
    { amount: 1_074, increment: 50, expected: 1_050, why: 'DKK 10.74 → 10.50' },
    { amount: 1_075, increment: 50, expected: 1_100, why: 'DKK 10.75 → 11.00' },
    // Switzerland in rappen, Australia in cents: the same 5.
    { amount: 1_234_567, increment: 5, expected: 1_234_565, why: 'a large amount, x.x7 down' },
    // Refunds: a negative amount rounds as its size does.
    { amount: -998, increment: 5, expected: -1_000, why: 'a refund of 9.98 pays out 10.00' },
    { amount: -996, increment: 5, expected: -995, why: 'a refund of 9.96 pays out 9.95' },
    { amount: -4_950, increment: 100, expected: -5_000, why: 'half of a krona away from zero' },
    { amount: 0, increment: 5, expected: 0, why: 'nothing is nothing' },
    { amount: 998, increment: 1, expected: 998, why: 'an increment of one cent changes nothing' },
  ])('$amount to $increment → $expected: $why', ({ amount, increment, expected }) => {
    expect(roundToIncrement(amount, increment)).toBe(expected);
  });

  it.each([0, -5, 2.5, Number.NaN])('refuses an increment of %s', (increment) => {
    expect(() => roundToIncrement(100, increment)).toThrow(RangeError);
  });
});

describe('cashRoundingOf: what rounding the cash due adds or takes off', () => {
  it.each([
    { cashDue: 998, increment: 5, expected: 2 },
    { cashDue: 997, increment: 5, expected: -2 },
    { cashDue: 995, increment: 5, expected: 0 },
    { cashDue: 4_950, increment: 100, expected: 50 },
    { cashDue: 1_024, increment: 50, expected: -24 },
    { cashDue: -998, increment: 5, expected: -2 },
    { cashDue: 998, increment: null, expected: 0 },
    { cashDue: 998, increment: undefined, expected: 0 },
  ])('$cashDue to $increment: $expected', ({ cashDue, increment, expected }) => {
    expect(cashRoundingOf(cashDue, increment)).toBe(expected);
  });

  it('never moves the cash by more than half the increment, and always lands on a multiple of it', () => {
    for (const increment of [5, 10, 50, 100])
      for (let cashDue = 0; cashDue < 1_000; cashDue += 1) {
        const rounding = cashRoundingOf(cashDue, increment);
        expect(Math.abs(rounding) * 2).toBeLessThanOrEqual(increment);
        expect((cashDue + rounding) % increment).toBe(0);
      }
  });
});
