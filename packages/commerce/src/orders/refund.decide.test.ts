import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import { assertRefundable, refundFingerprint } from './refund.decide.js';

describe('assertRefundable', () => {
  it.each([
    [5000, 0, 5000, 'no error'],
    [5000, 4000, 1000, 'no error'],
    [5000, 4000, 1001, 'refund_exceeds_paid'],
    [5000, 5000, 1, 'refund_exceeds_paid'],
  ])('total %i, refunded %i, asking %i → %s', (total, refunded, amount, code) => {
    let got = 'no error';
    try {
      assertRefundable({ id: 'o', total, refunded }, amount);
    } catch (error) {
      got = isDomainError(error) ? error.code : 'not a domain error';
    }
    expect(got).toBe(code);
  });

  it('tells how much is left to refund', () => {
    try {
      assertRefundable({ id: 'o', total: 5000, refunded: 4500 }, 600);
    } catch (error) {
      expect(isDomainError(error) && error.extensions).toEqual({ refundable: 500 });
    }
  });
});

describe('refundFingerprint', () => {
  it('differs when the amount, reason or return differs', () => {
    const base = { amount: 100, reason: 'goodwill', returnId: null };
    const prints = [
      base,
      { ...base, amount: 101 },
      { ...base, reason: 'late' },
      { ...base, returnId: 'r-1' },
    ].map(refundFingerprint);
    expect(new Set(prints).size).toBe(4);
    expect(refundFingerprint({ ...base })).toBe(prints[0]);
  });
});
