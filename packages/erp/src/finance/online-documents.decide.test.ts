import { describe, expect, it } from 'vitest';
import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import { AT, noRate, signed, vat21 } from './finance.fixtures.js';
import { onlineOrderEntry, onlineRefundEntry, orderLineTax } from './online-documents.decide.js';

describe('online orders and refunds', () => {
  const order = (lines: OrderPlacedV1Data['lines'], total: number): OrderPlacedV1Data => ({
    orderId: 'O1',
    cartId: 'C1',
    reservationId: 'R1',
    channel: 'web',
    email: 'a@example.com',
    currency: 'EUR',
    lines,
    total,
    payment: { method: 'card', reference: 'pay_1' },
    placedAt: AT,
  });
  /** A refund of `amount` of order O1, `refunded` in all with it. */
  const refund = (amount: number, refunded: number): OrderRefundedV1Data => ({
    orderId: 'O1',
    refundId: `F${refunded}`,
    currency: 'EUR',
    amount,
    refunded,
    reason: 'return',
    returnId: null,
    payment: { method: 'card', reference: 'pay_1' },
    refundedAt: AT,
  });
  const placed = (data: OrderPlacedV1Data, rate: (sku: string) => number | null) =>
    onlineOrderEntry(
      data,
      data.lines.map((line) => orderLineTax(line, rate)),
    );
  const booked = (data: OrderPlacedV1Data, rate: (sku: string) => number | null) => placed(data, rate).entry;
  /** An old order's refund (no deposit): only its entry. */
  const refundEntry = (data: OrderRefundedV1Data, order: Parameters<typeof onlineRefundEntry>[1]) =>
    onlineRefundEntry(data, order).entry;

  it('books a placed order against the payment provider, the tax owed, the goods as a deposit', () => {
    const included = order(
      [
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 1,
          unitPrice: 2420,
          lineTotal: 2178,
          tax: { ratePpm: 210_000, inclusive: true, amount: 378 },
        },
      ],
      2178,
    );
    expect(signed(booked(included, noRate).lines)).toEqual({ '1150': 2178, '2100': -378, '2400': -1800 });
    // What the goods earn once shipped, as a sale would have booked it: 2000 gross less 200 discount.
    expect(placed(included, noRate).deposit).toEqual({
      orderId: 'O1',
      channel: 'web',
      currency: 'EUR',
      sales: 2000,
      discount: 200,
      deposit: 1800,
      recognised: 0,
      recognisedSales: 0,
      refunded: 0,
      shipping: 0,
      shippingTax: 0,
      shippingRatePpm: null,
      shippingRecognised: 0,
      shippingRefunded: 0,
      shippingReturned: 0,
    });
    // Added on top: 2 caps at 2499, 8.875 % added, inside each line's total.
    const added = order(
      [
        {
          lineNo: 1,
          sku: 'CAP',
          quantity: 2,
          unitPrice: 2499,
          lineTotal: 5442,
          tax: { ratePpm: 88_750, inclusive: false, amount: 444 },
        },
      ],
      5442,
    );
    expect(signed(booked(added, noRate).lines)).toEqual({ '1150': 5442, '2100': -444, '2400': -4998 });
    expect(placed(added, noRate).deposit).toMatchObject({ sales: 4998, discount: 0, deposit: 4998 });
  });

  it('works the tax out of an order that does not name it, with the rate online', () => {
    const unnamed = order([{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 2420, lineTotal: 2178 }], 2178);
    expect(signed(booked(unnamed, vat21).lines)).toEqual({ '1150': 2178, '2100': -378, '2400': -1800 });
    expect(placed(unnamed, vat21).deposit).toMatchObject({ sales: 2000, discount: 200 });
  });

  it('gives an old order’s refund back as returns, the tax in proportion, to the cent over partial refunds', () => {
    const orderBooked = {
      channel: 'web',
      total: 300,
      tax: 52,
      taxBases: [{ ratePpm: 210_000, net: 248, tax: 52 }],
    };
    const taxes = [100, 200, 300].map(
      (refunded) => signed(refundEntry(refund(100, refunded), orderBooked).lines)['2100']!,
    );
    expect(taxes.reduce((sum, tax) => sum + tax, 0)).toBe(52);
    const entry = refundEntry(refund(100, 100), orderBooked);
    expect(entry.sourceId).toBe('O1/F100');
    expect(signed(entry.lines)).toEqual({ '1150': -100, '2100': 17, '4100': 83 });
  });

  it('gives each rate its tax back to the cent over refunds, as the order took it', () => {
    // 21 % inside 1210 and 9 % inside 545 (a book): 210 + 45 of tax in 1755.
    const mixed = order(
      [
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 1,
          unitPrice: 1210,
          lineTotal: 1210,
          tax: { ratePpm: 210_000, inclusive: true, amount: 210 },
        },
        {
          lineNo: 2,
          sku: 'BOOK',
          quantity: 1,
          unitPrice: 545,
          lineTotal: 545,
          tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
        },
      ],
      1755,
    );
    const { taxBases } = booked(mixed, noRate);
    expect(taxBases).toEqual([
      { ratePpm: 90_000, net: 500, tax: 45 },
      { ratePpm: 210_000, net: 1000, tax: 210 },
    ]);
    const orderBooked = { channel: 'web', total: 1755, tax: 255, taxBases };
    let refunded = 0;
    const perRate = new Map<number | null, { net: number; tax: number }>();
    for (const amount of [333, 1, 700, 721]) {
      refunded += amount;
      const entry = refundEntry(refund(amount, refunded), orderBooked);
      const amounts = signed(entry.lines);
      // The bases hold the entry's own figures: what went to returns, and the tax given back.
      expect(entry.taxBases.reduce((sum, base) => sum - base.tax, 0)).toBe(amounts['2100'] ?? 0);
      expect(entry.taxBases.reduce((sum, base) => sum - base.net, 0)).toBe(amounts['4100'] ?? 0);
      for (const base of entry.taxBases) {
        const sum = perRate.get(base.ratePpm) ?? { net: 0, tax: 0 };
        perRate.set(base.ratePpm, { net: sum.net - base.net, tax: sum.tax - base.tax });
      }
    }
    expect(Object.fromEntries(perRate)).toEqual({
      '90000': { net: 500, tax: 45 },
      '210000': { net: 1000, tax: 210 },
    });
  });

  it('books a refund beyond the goods the journal knows as returns with no rate', () => {
    const entry = refundEntry(refund(500, 500), null);
    expect(signed(entry.lines)).toEqual({ '1150': -500, '4100': 500 });
    expect(entry.taxBases).toEqual([{ ratePpm: null, net: -500, tax: 0 }]);
  });
});
