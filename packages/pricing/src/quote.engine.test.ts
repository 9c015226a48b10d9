import { describe, expect, it } from 'vitest';
import { price, priceList, product, promotion, snapshot, taxRate } from './pricing.fixtures.js';

describe('quote', () => {
  const given = snapshot({
    products: [product('TEE', 2000, { categories: ['tops'] }), product('SOCK', 500)],
    priceLists: [
      priceList('members', [{ sku: 'TEE', amount: 1800 }], { customerGroups: ['members'], version: 3 }),
    ],
    promotions: [
      promotion('tops10', {
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
        target: { categories: ['tops'] },
      }),
      promotion('spend', {
        effect: { type: 'amount_off_order', amount: 300 },
        minSubtotal: 3000,
        priority: -1,
        couponCodes: ['SPEND30'],
        limits: { totalUses: 100 },
      }),
    ],
    taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
  });

  it('given a member with a coupon, when quoted, then every step is explained and the totals add up', () => {
    const result = price(
      given,
      [
        { sku: 'TEE', quantity: 2 },
        { sku: 'SOCK', quantity: 1 },
      ],
      { customerGroups: ['members'], couponCodes: ['spend30'], storeId: 'S1' },
    );
    expect(result).toMatchObject({
      snapshotVersion: 1,
      at: '2026-06-10T12:00:00.000Z',
      channel: 'pos',
      currency: 'EUR',
      storeId: 'S1',
      coupons: [{ code: 'SPEND30', status: 'applied', promotionId: 'spend' }],
      promotions: [
        { promotionId: 'tops10', amount: 360, limited: false },
        { promotionId: 'spend', couponCode: 'SPEND30', amount: 300, limited: true },
      ],
    });
    const [tee, sock] = result.lines;
    expect(tee).toMatchObject({
      basePrice: 2000,
      unitPrice: 1800,
      priceSource: { kind: 'price_list', priceListId: 'members', priceListVersion: 3 },
      grossAmount: 3600,
      discountAmount: 360 + 260,
      netAmount: 2980,
    });
    expect(tee!.adjustments.map((adjustment) => [adjustment.promotionId, adjustment.amount])).toEqual([
      ['tops10', 360],
      ['spend', 260],
    ]);
    expect(sock).toMatchObject({ grossAmount: 500, discountAmount: 40, netAmount: 460 });
    expect(result.totals).toEqual({ subtotal: 4100, discount: 660, net: 3440, tax: 597, total: 3440 });
  });

  it('refuses an instant that is not one', () => {
    expect(() => price(given, [{ sku: 'TEE', quantity: 1 }], { at: 'yesterday' })).toThrowError(
      expect.objectContaining({ code: 'invalid_instant' }),
    );
  });

  it('refuses a cart too large to price exactly', () => {
    const huge = snapshot({ products: [product('GOLD', 1e12)] });
    expect(() => price(huge, [{ sku: 'GOLD', quantity: 100_000 }])).toThrowError(
      expect.objectContaining({ code: 'amount_out_of_range' }),
    );
  });
});
