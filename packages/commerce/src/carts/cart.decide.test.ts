import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import {
  assertCheckoutable,
  decideCart,
  isAbandoned,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  removeCoupon,
  type Cart,
} from './cart.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const cart = (overrides: Partial<Cart> = {}): Cart => ({
  id: 'cart-1',
  channel: 'web',
  currency: 'EUR',
  status: 'open',
  lines: [],
  couponCodes: [],
  version: 1,
  updatedAt: '2026-11-30T09:00:00.000Z',
  ...overrides,
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.code : 'not a domain error';
  }
  return 'no error';
};

describe('decideCart', () => {
  it('given an empty cart, when a SKU is added twice, then it has one line with the sum', () => {
    const once = decideCart(cart(), { type: 'add', sku: 'A', quantity: 2 }, NOW);
    const twice = decideCart(once, { type: 'add', sku: 'A', quantity: 3 }, NOW);
    expect(twice.lines).toEqual([{ sku: 'A', quantity: 5 }]);
    expect(twice.version).toBe(3);
    expect(twice.updatedAt).toBe(NOW);
  });

  it('sets and removes lines; quantity 0 removes', () => {
    const start = cart({
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    });
    expect(decideCart(start, { type: 'set', sku: 'A', quantity: 4 }, NOW).lines[0]).toEqual({
      sku: 'A',
      quantity: 4,
    });
    expect(decideCart(start, { type: 'set', sku: 'A', quantity: 0 }, NOW).lines).toEqual([
      { sku: 'B', quantity: 1 },
    ]);
    expect(decideCart(start, { type: 'remove', sku: 'B' }, NOW).lines).toEqual([{ sku: 'A', quantity: 1 }]);
  });

  it.each([
    ['a closed cart', cart({ status: 'ordered' }), { type: 'add', sku: 'A', quantity: 1 }, 'cart_closed'],
    ['an expired cart', cart({ status: 'expired' }), { type: 'add', sku: 'A', quantity: 1 }, 'cart_expired'],
    ['a missing line', cart(), { type: 'remove', sku: 'A' }, 'cart_line_not_found'],
    [
      'one SKU too many',
      cart({ lines: Array.from({ length: MAX_CART_LINES }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
      { type: 'add', sku: 'X', quantity: 1 },
      'cart_too_large',
    ],
  ] as const)('rejects %s', (_name, given, command, code) => {
    expect(codeOf(() => decideCart(given, command, NOW))).toBe(code);
  });

  it('checks out only a non-empty cart that was not ordered', () => {
    expect(codeOf(() => assertCheckoutable(cart()))).toBe('cart_empty');
    expect(
      codeOf(() => assertCheckoutable(cart({ status: 'ordered', lines: [{ sku: 'A', quantity: 1 }] }))),
    ).toBe('cart_closed');
    expect(codeOf(() => assertCheckoutable(cart({ lines: [{ sku: 'A', quantity: 1 }] })))).toBe('no error');
  });

  it('does not check out an expired cart', () => {
    expect(
      codeOf(() => assertCheckoutable(cart({ status: 'expired', lines: [{ sku: 'A', quantity: 1 }] }))),
    ).toBe('cart_expired');
  });
});

describe('isAbandoned', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['open, untouched for exactly the expiry', 'open', '2026-11-30T09:00:00.000Z', true],
    ['open, touched a second too recently', 'open', '2026-11-30T09:00:01.000Z', false],
    ['stuck checking out past the expiry', 'checking_out', '2026-11-30T08:00:00.000Z', true],
    ['ordered long ago', 'ordered', '2026-11-01T00:00:00.000Z', false],
    ['already expired', 'expired', '2026-11-01T00:00:00.000Z', false],
  ] as const)('%s → %s', (_name, status, updatedAt, abandoned) => {
    expect(isAbandoned({ status, updatedAt }, at(NOW), 3600)).toBe(abandoned);
  });
});

describe('removeCoupon', () => {
  it('given a coupon entered in lower case, when the upper-case code is removed, then it is gone', () => {
    const next = removeCoupon(cart({ couponCodes: ['spring10', 'vip'] }), 'SPRING10', NOW);
    expect(next).toMatchObject({ couponCodes: ['vip'], version: 2, updatedAt: NOW });
  });

  it('given a code the cart lacks, then the cart is unchanged', () => {
    const before = cart({ couponCodes: ['vip'] });
    expect(removeCoupon(before, 'OTHER', NOW)).toBe(before);
  });

  it('given a cart being checked out, then it refuses with cart_closed', () => {
    expect(
      codeOf(() => removeCoupon(cart({ status: 'checking_out', couponCodes: ['vip'] }), 'vip', NOW)),
    ).toBe('cart_closed');
  });

  it('given a line at the most units a cart holds, when one more is added or set, then it is refused', () => {
    const full = cart({ lines: [{ sku: 'A', quantity: MAX_LINE_QUANTITY }] });
    expect(codeOf(() => decideCart(full, { type: 'add', sku: 'A', quantity: 1 }, NOW))).toBe(
      'cart_too_large',
    );
    const adds = Array.from({ length: 10 }, () => ({ type: 'add', sku: 'B', quantity: 10_000 }) as const);
    expect(codeOf(() => adds.reduce((next, command) => decideCart(next, command, NOW), full))).toBe(
      'cart_too_large',
    );
    expect(decideCart(full, { type: 'set', sku: 'A', quantity: 5 }, NOW).lines).toEqual([
      { sku: 'A', quantity: 5 },
    ]);
  });
});
