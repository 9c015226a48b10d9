import { describe, expect, it } from 'vitest';
import type { RedeemResult } from '../erp.port.js';
import { couponsToDrop, judgeRedemption } from './checkout.redeem.js';

describe('judgeRedemption', () => {
  const cases: Array<[string, string[], RedeemResult, ReturnType<typeof judgeRedemption>]> = [
    [
      'ERP took what the quote applied',
      ['a', 'b'],
      { redeemed: true, promotionIds: ['b', 'a'] },
      { ok: true },
    ],
    [
      'ERP refused: its used-up promotions',
      ['a', 'b'],
      { redeemed: false, promotionIds: ['b'] },
      { ok: false, exhausted: ['b'] },
    ],
    [
      'ERP left out a used-up automatic promotion',
      ['a', 'b'],
      { redeemed: true, promotionIds: ['a'] },
      { ok: false, exhausted: ['b'] },
    ],
    [
      'ERP counted one the quote did not apply (snapshot behind)',
      ['a'],
      { redeemed: true, promotionIds: ['a', 'c'] },
      { ok: false, exhausted: [] },
    ],
  ];
  it.each(cases)('given %s', (_, limited, answer, verdict) => {
    expect(judgeRedemption(limited, answer)).toEqual(verdict);
  });
});

describe('couponsToDrop', () => {
  it('names the coupons of used-up promotions, applied or already shown exhausted, and no other', () => {
    const coupons = [
      { code: 'APPLIED', status: 'applied' as const, promotionId: 'a' },
      { code: 'SHOWN', status: 'exhausted' as const, promotionId: 'b' },
      { code: 'FINE', status: 'applied' as const, promotionId: 'c' },
      { code: 'NOPE', status: 'unknown' as const },
    ];
    expect(couponsToDrop({ coupons }, ['a', 'b', 'auto'])).toEqual(['APPLIED', 'SHOWN']);
  });
});
