import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import {
  assertRefundable,
  assertShippingRefundable,
  cappedToWhatIsLeft,
  refundFingerprint,
} from './refund.decide.js';

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
  const base = { amount: 100, shipping: null, reason: 'goodwill', returnId: null };

  it('differs when the amount, reason, return or delivery part differs', () => {
    const prints = [
      base,
      { ...base, amount: 101 },
      { ...base, reason: 'late' },
      { ...base, returnId: 'r-1' },
      { ...base, shipping: 40 },
    ].map(refundFingerprint);
    expect(new Set(prints).size).toBe(5);
    expect(refundFingerprint({ ...base })).toBe(prints[0]);
  });

  it('is the same for no delivery part as for none named, as refunds stored before named one', () => {
    expect(refundFingerprint({ ...base, shipping: 0 })).toBe(refundFingerprint(base));
  });
});

describe('assertShippingRefundable', () => {
  const codeOf = (run: () => void) => {
    try {
      run();
      return 'no error';
    } catch (error) {
      return isDomainError(error)
        ? `${error.code} ${JSON.stringify(error.extensions)}`
        : 'not a domain error';
    }
  };

  it.each([
    [495, 0, 495, 1000, 'no error'],
    [495, 0, 496, 1000, 'refund_shipping_exceeds_paid {"refundableShipping":495}'],
    [495, 200, 295, 1000, 'no error'],
    [495, 200, 296, 1000, 'refund_shipping_exceeds_paid {"refundableShipping":295}'],
    [495, 0, 300, 250, 'refund_shipping_exceeds_paid {"refundableShipping":250}'],
    [0, 0, 1, 1000, 'refund_shipping_exceeds_paid {"refundableShipping":0}'],
    [0, 0, 0, 1000, 'no error'],
  ])(
    'delivery %i, %i given back, naming %i of a refund of %i → %s',
    (shipping, given, named, amount, code) => {
      expect(
        codeOf(() =>
          assertShippingRefundable(
            { id: 'o', shipping, shippingRefunded: given },
            { amount, shipping: named },
          ),
        ),
      ).toBe(code);
    },
  );
});

describe('cappedToWhatIsLeft', () => {
  const rest = { id: 'cancel', amount: 2599, shipping: 599, reason: 'cancelled', returnId: null };

  it('asks no more than is left of the order, nor of its delivery, nor of the refund', () => {
    const paid = { total: 2599, refunded: 500 };
    expect(cappedToWhatIsLeft(rest, paid, { shipping: 599, shippingRefunded: 0 })).toMatchObject({
      amount: 2099,
      shipping: 599,
    });
    expect(cappedToWhatIsLeft(rest, paid, { shipping: 599, shippingRefunded: 400 })).toMatchObject({
      amount: 2099,
      shipping: 199,
    });
    expect(
      cappedToWhatIsLeft(rest, { total: 2599, refunded: 2499 }, { shipping: 599, shippingRefunded: 0 }),
    ).toMatchObject({ amount: 100, shipping: 100 });
  });

  it('asks what it asked when that is left, and nothing once the order is paid back', () => {
    const share = { id: 'return-1', amount: 1000, shipping: 0, reason: 'return', returnId: '1' };
    const delivery = { shipping: 599, shippingRefunded: 0 };
    expect(cappedToWhatIsLeft(share, { total: 2599, refunded: 0 }, delivery)).toEqual(share);
    expect(cappedToWhatIsLeft(share, { total: 2599, refunded: 2599 }, delivery)).toMatchObject({ amount: 0 });
  });
});
