import { describe, expect, it } from 'vitest';
import { decideReturn, DEFAULT_NO_RECEIPT_POLICY, type ReturnCommand } from '../returns/return.decide.js';
import { decideCashRounding, type CashRoundingRule } from './cash-rounding.decide.js';
import { decideSale, saleFingerprint, type SaleCommand } from './sale.decide.js';

const DUTCH: CashRoundingRule = { increment: 5, former: [] };
const NONE: CashRoundingRule = { increment: null, former: [] };
const cash = (amount: number) => ({ method: 'cash', amount });
const card = (amount: number) => ({ method: 'card', amount });

describe('decideCashRounding', () => {
  it.each([
    { why: 'cash 9.98 at 5 cents: +2', due: 998, tenders: [cash(1000)], stated: 2, rule: DUTCH },
    { why: 'cash 9.97 at 5 cents: −2', due: 997, tenders: [cash(995)], stated: -2, rule: DUTCH },
    {
      why: 'Sweden, SEK 49.50: +50',
      due: 4950,
      tenders: [cash(5000)],
      stated: 50,
      rule: { increment: 100, former: [] },
    },
    {
      why: 'Denmark, DKK 10.24: −24',
      due: 1024,
      tenders: [cash(1000)],
      stated: -24,
      rule: { increment: 50, former: [] },
    },
    {
      why: 'card first: the 4.98 left in cash rounds to 5.00',
      due: 998,
      tenders: [card(500), cash(500)],
      stated: 2,
      rule: DUTCH,
    },
    {
      why: 'two cash payments round together',
      due: 998,
      tenders: [cash(333), cash(667)],
      stated: 2,
      rule: DUTCH,
    },
  ])('takes it when it is the store’s rule: $why', ({ due, tenders, stated, rule }) => {
    expect(decideCashRounding(stated, due, tenders, rule)).toEqual({
      cashRounding: stated,
      cashRoundingRule: { increment: rule.increment, current: true },
    });
  });

  it.each([
    { why: 'none stated', stated: undefined, rule: DUTCH },
    { why: 'zero stated', stated: 0, rule: DUTCH },
    { why: 'none stated where the store does not round', stated: undefined, rule: NONE },
  ])('rounds nothing and refuses nothing when $why', ({ stated, rule }) => {
    expect(decideCashRounding(stated, 998, [cash(998)], rule)).toBeNull();
  });

  it.each([
    { why: 'the wrong way', stated: -3, expected: 2, rule: DUTCH },
    { why: 'a cent off', stated: 1, expected: 2, rule: DUTCH },
    { why: 'at a store that does not round', stated: 2, expected: 0, rule: NONE },
  ])(
    'refuses a rounding $why: cash_rounding_mismatch with the expected one',
    ({ stated, expected, rule }) => {
      expect(() => decideCashRounding(stated, 998, [cash(998 + stated)], rule)).toThrowError(
        expect.objectContaining({
          code: 'cash_rounding_mismatch',
          extensions: { cashDue: 998, increment: rule.increment, expected, cashRounding: stated },
        }),
      );
    },
  );

  it('refuses a rounding with no cash to round: cash_rounding_without_cash', () => {
    expect(() => decideCashRounding(2, 998, [card(1000)], DUTCH)).toThrowError(
      expect.objectContaining({ code: 'cash_rounding_without_cash' }),
    );
  });

  it('refuses a rounding when the other tenders leave nothing due in cash', () => {
    expect(() => decideCashRounding(2, 998, [card(998), cash(2)], DUTCH)).toThrowError(
      expect.objectContaining({
        code: 'cash_rounding_mismatch',
        extensions: expect.objectContaining({ expected: 0 }),
      }),
    );
  });

  it('takes a rounding by a rule the store had before, flagged, from a till that had not learned the change', () => {
    const changed: CashRoundingRule = { increment: 10, former: [5] };
    expect(decideCashRounding(-2, 997, [cash(995)], changed)).toEqual({
      cashRounding: -2,
      cashRoundingRule: { increment: 5, current: false },
    });
    const stopped: CashRoundingRule = { increment: null, former: [5] };
    expect(decideCashRounding(2, 998, [cash(1000)], stopped)).toEqual({
      cashRounding: 2,
      cashRoundingRule: { increment: 5, current: false },
    });
    // What no rule of the store gives is still refused, with what the current one expects.
    expect(() => decideCashRounding(1, 997, [cash(998)], changed)).toThrowError(
      expect.objectContaining({
        code: 'cash_rounding_mismatch',
        extensions: expect.objectContaining({ expected: 3, increment: 10 }),
      }),
    );
  });

  it('prefers the current rule where an old one gives the same', () => {
    expect(
      decideCashRounding(2, 998, [cash(1000)], { increment: 5, former: [10] })?.cashRoundingRule,
    ).toEqual({
      increment: 5,
      current: true,
    });
  });
});

const sale: SaleCommand = {
  id: '0190f0e0-0000-7000-8000-000000000001',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T10:00:00Z',
  currency: 'EUR',
  lines: [{ sku: 'A', quantity: 1, unitPrice: 998, includedTax: { ratePpm: 210_000, amount: 173 } }],
  payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
  cashRounding: 2,
};

describe('decideSale with cash rounding', () => {
  it('keeps the total, the lines and their tax, and records the rounding the payments add', () => {
    const decided = decideSale(sale, DUTCH);
    expect(decided).toMatchObject({
      total: 998,
      cashRounding: 2,
      cashRoundingRule: { increment: 5, current: true },
      lines: [{ lineTotal: 998, includedTax: { ratePpm: 210_000, amount: 173 } }],
      payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
    });
  });

  it('refuses payments that do not add up to the total with the rounding', () => {
    expect(() => decideSale({ ...sale, payments: [cash(998)] }, DUTCH)).toThrowError(
      expect.objectContaining({
        code: 'payment_mismatch',
        extensions: { total: 998, paid: 998, cashRounding: 2 },
      }),
    );
    expect(() => decideSale({ ...sale, cashRounding: undefined }, DUTCH)).toThrowError(
      expect.objectContaining({ code: 'payment_mismatch', extensions: { total: 998, paid: 1000 } }),
    );
  });

  it('refuses a rounding a card-only sale states, and any rounding where the store does not round', () => {
    expect(() => decideSale({ ...sale, payments: [card(1000)] }, DUTCH)).toThrowError(
      expect.objectContaining({ code: 'cash_rounding_without_cash' }),
    );
    expect(() => decideSale(sale)).toThrowError(expect.objectContaining({ code: 'cash_rounding_mismatch' }));
  });

  it('takes an unrounded cash sale in a store that rounds: a till from before, or exact coins', () => {
    const exact = decideSale({ ...sale, payments: [cash(998)], cashRounding: undefined }, DUTCH);
    expect(exact).not.toHaveProperty('cashRounding');
  });

  it('tells a rounded sale apart from the same sale unrounded, and a 0 from none', () => {
    const { cashRounding: _none, ...unrounded } = sale;
    expect(saleFingerprint(sale)).not.toBe(saleFingerprint({ ...unrounded, payments: [cash(998)] }));
    expect(saleFingerprint({ ...sale, cashRounding: 0 })).toBe(saleFingerprint(unrounded));
  });
});

describe('decideReturn with cash rounding', () => {
  const original = {
    sale: { ...decideSale(sale, DUTCH), id: '0190f0e0-0000-7000-8000-000000000001' },
    returned: new Map<number, number>(),
    uncollected: 0,
  };
  const giveBack = (refunds: ReturnCommand['refunds'], cashRounding?: number): ReturnCommand => ({
    id: '0190f0e0-0000-7000-8000-0000000000r1',
    storeId: 'S1',
    terminalId: 'T1',
    occurredAt: '2026-11-02T10:00:00Z',
    currency: 'EUR',
    originalSaleId: original.sale.id,
    lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
    refunds,
    ...(cashRounding === undefined ? {} : { cashRounding }),
  });

  it('rounds what was collected of a sale a card under-paid, and names a full rounded refund for what it is', () => {
    // 9.98 of goods, 4.99 never collected: 4.99 goes back, 5.00 in cash.
    const underPaid = { ...original, uncollected: 499 };
    expect(decideReturn(giveBack([cash(500)], 1), underPaid, DEFAULT_NO_RECEIPT_POLICY, DUTCH)).toMatchObject(
      { total: 998, uncollected: 499, cashRounding: 1 },
    );
    // An offline till refunded (and rounded) the full price: refused as beyond what was collected.
    expect(() =>
      decideReturn(giveBack([cash(1000)], 2), underPaid, DEFAULT_NO_RECEIPT_POLICY, DUTCH),
    ).toThrowError(expect.objectContaining({ code: 'refund_exceeds_collected' }));
  });

  it('pays out 10.00 for a refund of 9.98 in cash, the total unchanged', () => {
    expect(decideReturn(giveBack([cash(1000)], 2), original, DEFAULT_NO_RECEIPT_POLICY, DUTCH)).toMatchObject(
      {
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
        refunds: [{ method: 'cash', amount: 1000 }],
      },
    );
  });

  it.each([
    {
      why: 'wrong rounding',
      refunds: [cash(995)],
      rounding: -3,
      rule: DUTCH,
      code: 'cash_rounding_mismatch',
    },
    {
      why: 'a card refund',
      refunds: [card(1000)],
      rounding: 2,
      rule: DUTCH,
      code: 'cash_rounding_without_cash',
    },
    {
      why: 'a store that does not round',
      refunds: [cash(1000)],
      rounding: 2,
      rule: NONE,
      code: 'cash_rounding_mismatch',
    },
    {
      why: 'refunds off the rounding',
      refunds: [cash(998)],
      rounding: 2,
      rule: DUTCH,
      code: 'refund_mismatch',
    },
  ])('refuses $why: $code', ({ refunds, rounding, rule, code }) => {
    expect(() =>
      decideReturn(giveBack(refunds, rounding), original, DEFAULT_NO_RECEIPT_POLICY, rule),
    ).toThrowError(expect.objectContaining({ code }));
  });
});
