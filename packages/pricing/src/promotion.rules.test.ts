import { describe, expect, it } from 'vitest';
import type { Promotion } from '@tillstream/contracts';
import { price, product, promotion, snapshot } from './pricing.fixtures.js';
import type { PricingInput } from './quote.engine.js';

const PRODUCTS = [
  product('A', 1000, { categories: ['shoes'] }),
  product('B', 500, { categories: ['socks'] }),
];
const TEN = { type: 'percent_off_lines', basisPoints: 1000 } as const;
const TWENTY = { type: 'percent_off_lines', basisPoints: 2000 } as const;
const HUNDRED_OFF = { type: 'amount_off_order', amount: 100 } as const;

interface Case {
  name: string;
  promotions: Promotion[];
  input?: Partial<PricingInput>;
  /** Applied promotion ids, in the order they applied. */
  applied: string[];
  /** The cart is one A; its net after promotions. */
  net: number;
  coupons?: Array<{ code: string; status: string }>;
}

const CASES: Case[] = [
  {
    name: 'two stackable percentages compound, the higher priority first',
    promotions: [
      promotion('p10', { effect: TEN, priority: 1 }),
      promotion('p20', { effect: TWENTY, priority: 2 }),
    ],
    applied: ['p20', 'p10'],
    net: 720,
  },
  {
    name: 'stacking order matters: 100 off first, then 10 % → 810',
    promotions: [
      promotion('fixed', { effect: HUNDRED_OFF, priority: 10 }),
      promotion('pct', { effect: TEN, priority: 5 }),
    ],
    applied: ['fixed', 'pct'],
    net: 810,
  },
  {
    name: 'stacking order matters: 10 % first, then 100 off → 800',
    promotions: [
      promotion('fixed', { effect: HUNDRED_OFF, priority: 5 }),
      promotion('pct', { effect: TEN, priority: 10 }),
    ],
    applied: ['pct', 'fixed'],
    net: 800,
  },
  {
    name: 'equal priority: the smaller id goes first',
    promotions: [promotion('b', { effect: HUNDRED_OFF }), promotion('a', { effect: TEN })],
    applied: ['a', 'b'],
    net: 800,
  },
  {
    name: 'an exclusive promotion of higher priority stops the rest',
    promotions: [
      promotion('staff', {
        effect: { type: 'percent_off_lines', basisPoints: 3000 },
        priority: 100,
        stacking: 'exclusive',
      }),
      promotion('summer', { effect: TEN, priority: 1 }),
    ],
    applied: ['staff'],
    net: 700,
  },
  {
    name: 'an exclusive promotion after one that applied is refused, even if bigger',
    promotions: [
      promotion('summer', { effect: TEN, priority: 10 }),
      promotion('vip', {
        effect: { type: 'percent_off_lines', basisPoints: 5000 },
        priority: 1,
        stacking: 'exclusive',
        couponCodes: ['VIP50'],
      }),
    ],
    input: { couponCodes: ['vip50'] },
    applied: ['summer'],
    net: 900,
    coupons: [{ code: 'VIP50', status: 'not_combinable' }],
  },
  {
    name: 'an exclusive promotion that takes nothing off blocks nothing',
    promotions: [
      promotion('socks', { effect: TWENTY, priority: 50, stacking: 'exclusive', target: { skus: ['B'] } }),
      promotion('summer', { effect: TEN, priority: 1 }),
    ],
    applied: ['summer'],
    net: 900,
  },
  {
    name: 'of one exclusive group only the first that applies does',
    promotions: [
      promotion('g1', { effect: TEN, priority: 3, exclusiveGroup: 'coupons' }),
      promotion('g2', { effect: TWENTY, priority: 2, exclusiveGroup: 'coupons' }),
      promotion('free', { effect: HUNDRED_OFF, priority: 1 }),
    ],
    applied: ['g1', 'free'],
    net: 800,
  },
  {
    name: 'a spend threshold reached exactly applies',
    promotions: [promotion('spend', { effect: HUNDRED_OFF, minSubtotal: 1000 })],
    applied: ['spend'],
    net: 900,
  },
  {
    name: 'a spend threshold one cent short does not apply',
    promotions: [promotion('spend', { effect: HUNDRED_OFF, minSubtotal: 1001 })],
    applied: [],
    net: 1000,
  },
  {
    name: 'a threshold is measured after the promotions before it',
    promotions: [
      promotion('first', { effect: TEN, priority: 2 }),
      promotion('spend', { effect: HUNDRED_OFF, minSubtotal: 1000, priority: 1 }),
    ],
    applied: ['first'],
    net: 900,
  },
  {
    name: 'a coupon promotion needs its code; codes compare case-insensitively',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['SAVE10'] })],
    input: { couponCodes: ['Save10', 'NOPE'] },
    applied: ['c'],
    net: 900,
    coupons: [
      { code: 'SAVE10', status: 'applied' },
      { code: 'NOPE', status: 'unknown' },
    ],
  },
  {
    name: 'without its code a coupon promotion does nothing',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['SAVE10'] })],
    applied: [],
    net: 1000,
  },
  {
    name: 'a used-up promotion is skipped and its coupon says so',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['ONCE'], limits: { totalUses: 1 } })],
    input: { couponCodes: ['ONCE'], exhaustedPromotionIds: ['c'] },
    applied: [],
    net: 1000,
    coupons: [{ code: 'ONCE', status: 'exhausted' }],
  },
  {
    name: 'a coupon valid only online is not applicable at the till',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['WEB'], channels: ['web'] })],
    input: { couponCodes: ['WEB'] },
    applied: [],
    net: 1000,
    coupons: [{ code: 'WEB', status: 'not_applicable' }],
  },
  {
    name: 'a promotion limited per customer needs a known customer',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['ONE'], limits: { perCustomer: 1 } })],
    input: { couponCodes: ['ONE'] },
    applied: [],
    net: 1000,
    coupons: [{ code: 'ONE', status: 'not_applicable' }],
  },
  {
    name: 'a promotion limited per customer applies to a known one',
    promotions: [promotion('c', { effect: TEN, couponCodes: ['ONE'], limits: { perCustomer: 1 } })],
    input: { couponCodes: ['ONE'], customerId: 'cust-1' },
    applied: ['c'],
    net: 900,
  },
  {
    name: 'a category target matches the product categories',
    promotions: [promotion('shoes', { effect: TEN, target: { categories: ['shoes'] } })],
    applied: ['shoes'],
    net: 900,
  },
  {
    name: 'a promotion in another currency does not apply',
    promotions: [promotion('usd', { effect: HUNDRED_OFF, currency: 'USD' })],
    applied: [],
    net: 1000,
  },
  {
    name: 'customer-group promotions need the group',
    promotions: [promotion('members', { effect: TEN, customerGroups: ['members'] })],
    input: { customerGroups: ['members'] },
    applied: ['members'],
    net: 900,
  },
];

describe('stacking', () => {
  it.each(CASES)('given $name', ({ promotions, input, applied, net, coupons }) => {
    const result = price(snapshot({ products: PRODUCTS, promotions }), [{ sku: 'A', quantity: 1 }], input);
    expect(result.promotions.map((entry) => entry.promotionId)).toEqual(applied);
    expect(result.lines[0]!.netAmount).toBe(net);
    expect(result.lines[0]!.adjustments.map((adjustment) => adjustment.promotionId)).toEqual(applied);
    if (coupons) expect(result.coupons).toMatchObject(coupons);
  });
});

describe('usage the snapshot carries', () => {
  const limited = [
    promotion('auto', { effect: TEN, priority: 2, limits: { totalUses: 1 } }),
    promotion('coupon', { effect: TWENTY, priority: 1, couponCodes: ['ONCE'], limits: { totalUses: 1 } }),
  ];
  const cart = [{ sku: 'A', quantity: 1 }];

  it('given a snapshot naming used-up promotions, its quotes skip them and report their coupons exhausted', () => {
    const result = price(
      snapshot({ products: PRODUCTS, promotions: limited, exhaustedPromotionIds: ['auto', 'coupon'] }),
      cart,
      { couponCodes: ['ONCE'] },
    );
    expect(result.promotions).toEqual([]);
    expect(result.totals.net).toBe(1000);
    expect(result.coupons).toMatchObject([{ code: 'ONCE', status: 'exhausted', promotionId: 'coupon' }]);
  });

  it('given the caller knows of more used-up promotions, both sets are skipped', () => {
    const result = price(
      snapshot({ products: PRODUCTS, promotions: limited, exhaustedPromotionIds: ['auto'] }),
      cart,
      { couponCodes: ['ONCE'], exhaustedPromotionIds: ['coupon'] },
    );
    expect(result.promotions).toEqual([]);
    expect(result.coupons).toMatchObject([{ code: 'ONCE', status: 'exhausted' }]);
  });

  it('given a snapshot with nothing used up, both apply', () => {
    const result = price(snapshot({ products: PRODUCTS, promotions: limited }), cart, {
      couponCodes: ['ONCE'],
    });
    expect(result.promotions.map((entry) => entry.promotionId)).toEqual(['auto', 'coupon']);
  });
});

describe('recurring windows', () => {
  // Wednesdays 17:00–19:00 in Amsterdam (UTC+2 in June), and Fridays 22:00–02:00 across midnight.
  const happyHour = promotion('happy', {
    effect: TEN,
    schedule: {
      timeZone: 'Europe/Amsterdam',
      slots: [
        { days: [3], from: '17:00', to: '19:00' },
        { days: [5], from: '22:00', to: '02:00' },
      ],
    },
  });
  const given = snapshot({ products: PRODUCTS, promotions: [happyHour] });

  it.each([
    { at: '2026-06-10T14:59:59.999Z', applies: false, why: 'Wednesday 16:59:59.999 local' },
    { at: '2026-06-10T15:00:00.000Z', applies: true, why: 'Wednesday 17:00 local, the start' },
    { at: '2026-06-10T16:59:00.000Z', applies: true, why: 'Wednesday 18:59 local' },
    { at: '2026-06-10T17:00:00.000Z', applies: false, why: 'Wednesday 19:00 local, the end' },
    { at: '2026-06-17T15:30:00.000Z', applies: true, why: 'the next Wednesday' },
    { at: '2026-06-11T15:30:00.000Z', applies: false, why: 'Thursday at the same hour' },
    { at: '2026-06-12T20:00:00.000Z', applies: true, why: 'Friday 22:00 local' },
    { at: '2026-06-12T23:30:00.000Z', applies: true, why: 'Saturday 01:30 local, carried over from Friday' },
    { at: '2026-06-13T00:00:00.000Z', applies: false, why: 'Saturday 02:00 local, the end' },
    { at: '2026-06-13T23:30:00.000Z', applies: false, why: 'Sunday 01:30 local: Saturday has no slot' },
    { at: '2026-01-14T16:30:00.000Z', applies: true, why: 'a winter Wednesday 17:30 local (UTC+1)' },
  ])('at $at ($why) it applies: $applies', ({ at, applies }) => {
    const result = price(given, [{ sku: 'A', quantity: 1 }], { at });
    expect(result.promotions.length).toBe(applies ? 1 : 0);
  });
});
