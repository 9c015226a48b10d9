import { describe, expect, it } from 'vitest';
import type { Quote } from '@tillstream/contracts';
import { holdLinesOf, orderLinesOf, orderShippingOf } from './order-lines.decide.js';

type QuoteLine = Quote['lines'][number];

const adjustment = (promotionId: string, amount: number) => ({
  promotionId,
  promotionVersion: 1,
  name: promotionId,
  type: 'percent_off_lines',
  amount,
  reason: 'test',
});

const line = (over: Partial<QuoteLine>): QuoteLine =>
  ({
    lineNo: 1,
    sku: 'CAP',
    quantity: 2,
    basePrice: 1000,
    unitPrice: 1000,
    priceSource: { kind: 'base' },
    grossAmount: 2000,
    adjustments: [],
    discountAmount: 0,
    netAmount: 2000,
    tax: { ratePpm: 0, inclusive: true, amount: 0 },
    total: 2000,
    ...over,
  }) as QuoteLine;

describe('orderLinesOf', () => {
  it('names each promotion behind a line’s discount once, with its share, for analytics to count', () => {
    const lines = orderLinesOf({
      lines: [
        line({
          adjustments: [adjustment('spring', 200), adjustment('members', 100), adjustment('spring', 50)],
          discountAmount: 350,
          netAmount: 1650,
          total: 1650,
        }),
        line({ lineNo: 2, sku: 'MUG' }),
      ],
    } as Quote);
    expect(lines[0]).toEqual({
      lineNo: 1,
      sku: 'CAP',
      quantity: 2,
      unitPrice: 1000,
      lineTotal: 1650,
      promotions: [
        { promotionId: 'spring', amount: 250 },
        { promotionId: 'members', amount: 100 },
      ],
    });
    expect(lines[1]).not.toHaveProperty('promotions');
  });
});

describe('orderShippingOf', () => {
  const address = { name: 'Ann', line1: 'Damrak 1', postalCode: '1012', city: 'Amsterdam', country: 'NL' };
  const shipping: NonNullable<Quote['shipping']> = {
    methodId: 'standard',
    methodVersion: 3,
    name: 'Standard',
    country: 'NL',
    amount: 500,
    freeFrom: 5000,
    discountAmount: 0,
    netAmount: 500,
    tax: { rateId: 'nl', taxCategory: 'shipping', ratePpm: 210_000, inclusive: false, amount: 105 },
    total: 605,
  } as NonNullable<Quote['shipping']>;
  const quoted = (withShipping: boolean) =>
    ({ promotions: [], ...(withShipping ? { shipping } : {}) }) as unknown as Quote;

  it('given a quoted delivery, then the order is charged its total, tax added on top included', () => {
    expect(orderShippingOf(quoted(true), { methodId: 'standard', address })).toEqual({
      methodId: 'standard',
      name: 'Standard',
      amount: 605,
      tax: { ratePpm: 210_000, inclusive: false, amount: 105 },
      address,
    });
  });

  it('given a free-shipping promotion waived it, then the order names it with what it waived', () => {
    const waived = {
      ...shipping,
      discountAmount: 500,
      netAmount: 0,
      tax: { ...shipping.tax, amount: 0 },
      total: 0,
      promotionId: 'freeship',
    };
    const quote = {
      promotions: [
        {
          promotionId: 'tenoff',
          promotionVersion: 1,
          name: 'Ten off',
          type: 'amount_off_order',
          amount: 1000,
          limited: false,
        },
        {
          promotionId: 'freeship',
          promotionVersion: 2,
          name: 'Free',
          type: 'free_shipping',
          amount: 500,
          limited: true,
        },
      ],
      shipping: waived,
    } as unknown as Quote;
    expect(orderShippingOf(quote, { methodId: 'standard', address })).toMatchObject({
      amount: 0,
      promotions: [{ promotionId: 'freeship', amount: 500 }],
    });
  });

  it('given no delivery chosen, then the order has none', () => {
    expect(orderShippingOf(quoted(false), null)).toBeNull();
  });

  it('given a collection, then the order names the location the shopper collects at', () => {
    const chosen = { methodId: 'standard', address, pickupLocationId: 'store-amsterdam' };
    expect(orderShippingOf(quoted(true), chosen)).toMatchObject({
      address,
      pickup: { locationId: 'store-amsterdam' },
    });
    expect(orderShippingOf(quoted(true), { methodId: 'standard', address })).not.toHaveProperty('pickup');
  });
});

describe('holdLinesOf', () => {
  const lines = [
    { sku: 'CAP', quantity: 2 },
    { sku: 'TEE', quantity: 1 },
  ];
  const address = {
    name: 'Ann',
    line1: 'Kalverstraat 92',
    postalCode: '1012',
    city: 'Amsterdam',
    country: 'NL',
  };

  it('given a collection, then every line is held at its store; otherwise where the channel allocates', () => {
    expect(
      holdLinesOf({ lines, shipping: { methodId: 'collect', address, pickupLocationId: 'store-amsterdam' } }),
    ).toEqual([
      { sku: 'CAP', quantity: 2, locationId: 'store-amsterdam' },
      { sku: 'TEE', quantity: 1, locationId: 'store-amsterdam' },
    ]);
    expect(holdLinesOf({ lines, shipping: { methodId: 'standard', address } })).toEqual(lines);
    expect(holdLinesOf({ lines, shipping: null })).toEqual(lines);
  });
});
