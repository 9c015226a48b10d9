import { describe, expect, it } from 'vitest';
import type { QuoteShipping } from '@tillstream/contracts';
import { isDomainError } from '@tillstream/kernel';
import {
  applyCoupon,
  assertCheckoutable,
  chooseShipping,
  clearShipping,
  decideCart,
  isAbandoned,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  removeCoupon,
  assertSameCollection,
  shippingChoiceOf,
  type Cart,
  type CartShipping,
} from './cart.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const cart = (overrides: Partial<Cart> = {}): Cart => ({
  id: 'cart-1',
  channel: 'web',
  currency: 'EUR',
  status: 'open',
  lines: [],
  couponCodes: [],
  shipping: null,
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
  it('given a coupon entered in lower case, when it is entered in upper case, then the cart is unchanged', () => {
    const before = cart({ couponCodes: ['spring10'] });
    expect(applyCoupon(before, 'SPRING10', NOW)).toBe(before);
  });

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

describe('chooseShipping and clearShipping', () => {
  const filled = (overrides: Partial<Cart> = {}) =>
    cart({ lines: [{ sku: 'A', quantity: 1 }], ...overrides });
  const home: CartShipping = {
    methodId: 'standard',
    address: { name: 'Ann Smit', line1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
  };

  it('given a cart with lines, when a delivery is chosen, then it is kept and the version bumps', () => {
    const next = chooseShipping(filled(), home, NOW);
    expect(next).toMatchObject({ shipping: home, version: 2, updatedAt: NOW });
  });

  it('given a chosen delivery, when the same one is chosen again, then the cart is unchanged', () => {
    const before = chooseShipping(filled(), home, NOW);
    const again = { methodId: 'standard', address: { ...home.address } };
    expect(chooseShipping(before, again, '2026-11-30T11:00:00.000Z')).toBe(before);
  });

  it.each([
    ['another method', { ...home, methodId: 'express' }],
    ['another address line', { ...home, address: { ...home.address, line2: 'Floor 3' } }],
    ['another country', { ...home, address: { ...home.address, country: 'BE' } }],
  ])('given a chosen delivery, when %s is chosen, then it replaces it', (_name, choice) => {
    const before = chooseShipping(filled(), home, NOW);
    expect(chooseShipping(before, choice, NOW)).toMatchObject({ shipping: choice, version: 3 });
  });

  it('given an empty cart, when a delivery is chosen, then it refuses with cart_empty', () => {
    expect(codeOf(() => chooseShipping(cart(), home, NOW))).toBe('cart_empty');
  });

  it.each([
    ['a closed cart', 'ordered', 'cart_closed'],
    ['a cart being checked out', 'checking_out', 'cart_closed'],
    ['an expired cart', 'expired', 'cart_expired'],
  ] as const)('given %s, then choosing and clearing refuse', (_name, status, code) => {
    expect(codeOf(() => chooseShipping(filled({ status }), home, NOW))).toBe(code);
    expect(codeOf(() => clearShipping(filled({ status, shipping: home }), NOW))).toBe(code);
  });

  it('given a chosen delivery, when it is cleared, then it is gone; clearing none changes nothing', () => {
    const chosen = filled({ shipping: home });
    expect(clearShipping(chosen, NOW)).toMatchObject({ shipping: null, version: 2, updatedAt: NOW });
    const none = filled();
    expect(clearShipping(none, NOW)).toBe(none);
  });

  it('given a chosen delivery, when the last line is removed, then the delivery stays', () => {
    const emptied = decideCart(filled({ shipping: home }), { type: 'remove', sku: 'A' }, NOW);
    expect(emptied).toMatchObject({ lines: [], shipping: home });
  });
});

describe('assertCheckoutable with delivery', () => {
  const filled = (shipping: CartShipping | null) => cart({ lines: [{ sku: 'A', quantity: 1 }], shipping });
  const home: CartShipping = {
    methodId: 'standard',
    address: { name: 'Ann', line1: 'Damrak 1', postalCode: '1012', city: 'Amsterdam', country: 'NL' },
  };

  it.each([
    ['delivery offered, none chosen', true, null, 'shipping_required'],
    ['delivery offered and chosen', true, home, 'no error'],
    ['no delivery offered, none chosen', false, null, 'no error'],
  ] as const)('%s → %s', (_name, offered, shipping, code) => {
    expect(codeOf(() => assertCheckoutable(filled(shipping), offered))).toBe(code);
  });

  it('given an empty cart with delivery offered, then cart_empty comes first', () => {
    expect(codeOf(() => assertCheckoutable(cart(), true))).toBe('cart_empty');
  });
});

describe('shippingChoiceOf', () => {
  const address = {
    name: 'Ann Smit',
    line1: 'Damrak 1',
    postalCode: '1012 LG',
    city: 'Amsterdam',
    country: 'NL',
  };
  const kalverstraat = {
    locationId: 'store-amsterdam',
    address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
  };

  it('given a delivery method, then the shopper’s address is the delivery; a collector is refused', () => {
    expect(shippingChoiceOf({ methodId: 'standard', address }, null)).toEqual({
      methodId: 'standard',
      address,
    });
    expect(codeOf(() => shippingChoiceOf({ methodId: 'standard' }, null))).toBe('shipping_address_required');
    expect(
      codeOf(() => shippingChoiceOf({ methodId: 'standard', address, collector: { name: 'Ann' } }, null)),
    ).toBe('shipping_choice_invalid');
  });

  it('given a collection method, then it goes to the collection point in the collector’s name', () => {
    expect(
      shippingChoiceOf(
        { methodId: 'collect-ams', collector: { name: 'Ann Smit', phone: '+31 6 1234 5678' } },
        kalverstraat,
      ),
    ).toEqual({
      methodId: 'collect-ams',
      address: { name: 'Ann Smit', ...kalverstraat.address, phone: '+31 6 1234 5678' },
      pickupLocationId: 'store-amsterdam',
    });
    expect(codeOf(() => shippingChoiceOf({ methodId: 'collect-ams' }, kalverstraat))).toBe(
      'shipping_collector_required',
    );
    expect(
      codeOf(() =>
        shippingChoiceOf({ methodId: 'collect-ams', address, collector: { name: 'Ann' } }, kalverstraat),
      ),
    ).toBe('shipping_choice_invalid');
  });

  it('given the same collection chosen again, then the cart is unchanged', () => {
    const choice = shippingChoiceOf({ methodId: 'collect-ams', collector: { name: 'Ann' } }, kalverstraat);
    const chosen = chooseShipping(cart({ lines: [{ sku: 'A', quantity: 1 }] }), choice, NOW);
    expect(chooseShipping(chosen, { ...choice }, NOW)).toBe(chosen);
    const elsewhere = { ...choice, pickupLocationId: 'store-utrecht' };
    expect(chooseShipping(chosen, elsewhere, NOW).version).toBe(chosen.version + 1);
  });
});

describe('assertSameCollection', () => {
  const address = {
    name: 'Ann',
    line1: 'Kalverstraat 92',
    postalCode: '1012 PH',
    city: 'Amsterdam',
    country: 'NL',
  };
  const quoted = (locationId?: string) =>
    ({
      methodId: 'collect',
      ...(locationId === undefined
        ? {}
        : { pickup: { locationId, address: { line1: 'x', postalCode: '1', city: 'y', country: 'NL' } } }),
    }) as unknown as QuoteShipping;
  const collection = { methodId: 'collect', address, pickupLocationId: 'store-ams' };

  it('given the same collection point, or a delivery still delivering, then the choice stands', () => {
    expect(codeOf(() => assertSameCollection(collection, quoted('store-ams')))).toBe('no error');
    expect(codeOf(() => assertSameCollection({ methodId: 'collect', address }, quoted()))).toBe('no error');
    expect(codeOf(() => assertSameCollection(null, undefined))).toBe('no error');
  });

  it('given the method moved, stopped collecting, or started collecting, then it is shipping_not_available', () => {
    expect(codeOf(() => assertSameCollection(collection, quoted('store-utr')))).toBe(
      'shipping_not_available',
    );
    expect(codeOf(() => assertSameCollection(collection, quoted()))).toBe('shipping_not_available');
    expect(codeOf(() => assertSameCollection({ methodId: 'collect', address }, quoted('store-ams')))).toBe(
      'shipping_not_available',
    );
  });
});
