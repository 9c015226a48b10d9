import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Sale } from '../sales/sale.decide.js';
import {
  decideReturn,
  DEFAULT_NO_RECEIPT_POLICY,
  refundFor,
  uncollectedShare,
  type ReturnCommand,
} from './return.decide.js';

const sale: Sale = {
  id: '0190f0e0-0000-7000-8000-000000000001',
  status: 'completed',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  currency: 'EUR',
  lines: [
    { lineNo: 1, sku: 'A', quantity: 3, unitPrice: 100, discount: 50, lineTotal: 250 },
    { lineNo: 2, sku: 'B', quantity: 1, unitPrice: 400, lineTotal: 400 },
  ],
  payments: [{ method: 'card', amount: 650 }],
  total: 650,
};

const withReceipt = (lines: ReturnCommand['lines'], refund: number): ReturnCommand => ({
  id: '0190f0e0-0000-7000-8000-0000000000r1',
  storeId: 'S1',
  terminalId: 'T2',
  occurredAt: '2026-11-02T10:00:00Z',
  currency: 'EUR',
  originalSaleId: sale.id,
  lines,
  refunds: [{ method: 'card', amount: refund }],
});

describe('refundFor', () => {
  it('refunds a line returned unit by unit to exactly what was paid for it', () => {
    const line = { quantity: 3, lineTotal: 250 };
    const parts = [refundFor(line, 0, 1), refundFor(line, 1, 1), refundFor(line, 2, 1)];
    expect(parts).toEqual([83, 83, 84]);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(250);
  });
});

describe('decideReturn with a receipt', () => {
  it('refunds the price paid after discounts, line by line', () => {
    const decided = decideReturn(
      withReceipt([{ sku: 'A', quantity: 2, disposition: 'restock', originalLineNo: 1 }], 166),
      { sale, returned: new Map(), uncollected: 0 },
      DEFAULT_NO_RECEIPT_POLICY,
    );
    expect(decided).toMatchObject({
      originalSaleId: sale.id,
      total: 166,
      lines: [
        { lineNo: 1, sku: 'A', quantity: 2, lineTotal: 166, originalLineNo: 1, disposition: 'restock' },
      ],
    });
  });

  it('refunds its share of the added tax with each line, so a line returned bit by bit refunds all of it', () => {
    const taxed: Sale = {
      ...sale,
      lines: [{ ...sale.lines[0]!, tax: { ratePpm: 210_000, amount: 53 } }, sale.lines[1]!],
      tax: 53,
      total: 703,
    };
    const unit = (before: number, refund: number) =>
      decideReturn(
        withReceipt([{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }], refund),
        { sale: taxed, returned: new Map([[1, before]]), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      );
    const parts = [unit(0, 83 + 17), unit(1, 83 + 18), unit(2, 84 + 18)];
    expect(parts.map((part) => part.lines[0]!.tax)).toEqual([17, 18, 18]);
    expect(parts.reduce((sum, part) => sum + part.total, 0)).toBe(250 + 53);
    expect(() => unit(0, 83)).toThrowError(expect.objectContaining({ code: 'refund_mismatch' }));
  });

  it('gives back its share of the tax inside the price, adding nothing to the refund, with the rate', () => {
    // 2.50 at 21 % holds 0.43: returned unit by unit, 0.14, 0.14 and 0.15.
    const inclusive: Sale = {
      ...sale,
      lines: [{ ...sale.lines[0]!, includedTax: { ratePpm: 210_000, amount: 43 } }, sale.lines[1]!],
    };
    const unit = (before: number, refund: number) =>
      decideReturn(
        withReceipt([{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }], refund),
        { sale: inclusive, returned: new Map([[1, before]]), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      ).lines[0]!;
    const parts = [unit(0, 83), unit(1, 83), unit(2, 84)];
    expect(parts.map((part) => [part.includedTax, part.taxRatePpm])).toEqual([
      [14, 210_000],
      [14, 210_000],
      [15, 210_000],
    ]);
    expect(parts.every((part) => part.tax === undefined)).toBe(true);
  });

  it.each([
    { name: 'more than sold', returned: 0, quantity: 4 },
    { name: 'more than sold minus returned', returned: 2, quantity: 2 },
  ])('refuses $name', ({ returned, quantity }) => {
    expect(() =>
      decideReturn(
        withReceipt([{ sku: 'A', quantity, disposition: 'restock', originalLineNo: 1 }], 0),
        { sale, returned: new Map([[1, returned]]), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      ),
    ).toThrowError(expect.objectContaining({ code: 'return_exceeds_sold' }));
  });

  it('counts two lines of one return against the same sold line', () => {
    const line = { sku: 'B', quantity: 1, disposition: 'restock' as const, originalLineNo: 2 };
    expect(() =>
      decideReturn(
        withReceipt([line, line], 800),
        { sale, returned: new Map(), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      ),
    ).toThrowError(expect.objectContaining({ code: 'return_exceeds_sold' }));
  });

  it.each([
    {
      name: 'another SKU',
      line: { sku: 'B', quantity: 1, disposition: 'restock' as const, originalLineNo: 1 },
    },
    {
      name: 'no such line',
      line: { sku: 'A', quantity: 1, disposition: 'restock' as const, originalLineNo: 9 },
    },
    { name: 'no line named', line: { sku: 'A', quantity: 1, disposition: 'restock' as const } },
  ])('refuses a line that names $name', ({ line }) => {
    expect(() =>
      decideReturn(
        withReceipt([line], 100),
        { sale, returned: new Map(), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      ),
    ).toThrowError(expect.objectContaining({ code: 'return_line_mismatch' }));
  });

  it('refuses refunds that do not add up to the return', () => {
    expect(() =>
      decideReturn(
        withReceipt([{ sku: 'B', quantity: 1, disposition: 'damaged', originalLineNo: 2 }], 399),
        { sale, returned: new Map(), uncollected: 0 },
        DEFAULT_NO_RECEIPT_POLICY,
      ),
    ).toThrowError(expect.objectContaining({ code: 'refund_mismatch' }));
  });
});

describe('decideReturn without a receipt', () => {
  const command = (unitPrice: number, method: string): ReturnCommand => ({
    ...withReceipt([{ sku: 'A', quantity: 2, disposition: 'restock', unitPrice }], unitPrice * 2),
    originalSaleId: undefined,
    refunds: [{ method, amount: unitPrice * 2 }],
  });

  it('takes back within the policy, in store credit', () => {
    expect(decideReturn(command(1000, 'store_credit'), null, DEFAULT_NO_RECEIPT_POLICY)).toMatchObject({
      originalSaleId: null,
      total: 2000,
    });
  });

  it.each([
    { name: 'above the amount', unitPrice: 3000, method: 'store_credit' },
    { name: 'in cash', unitPrice: 100, method: 'cash' },
  ])('refuses a return $name', ({ unitPrice, method }) => {
    expect(() => decideReturn(command(unitPrice, method), null, DEFAULT_NO_RECEIPT_POLICY)).toThrowError(
      expect.objectContaining({ code: 'return_policy_violation' }),
    );
  });
});

describe('uncollectedShare', () => {
  it('leaves out nothing of a sale paid in full', () => {
    expect(uncollectedShare({ total: 1500, uncollected: 0 }, 0, 500)).toBe(0);
  });

  it('never leaves out more than was returned, however large the shortfall says it is', () => {
    expect(uncollectedShare({ total: 1500, uncollected: 9000 }, 0, 500)).toBe(500);
  });

  it('adds up to exactly the shortfall over returns in any pieces, each at most what it takes back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 8 }),
        (total, shortfallPermille, weights) => {
          const uncollected = Math.floor((total * shortfallPermille) / 1000);
          const sum = weights.reduce((all, weight) => all + weight, 0);
          const cuts = weights.map((_, index) =>
            Math.floor((total * weights.slice(0, index + 1).reduce((all, w) => all + w, 0)) / sum),
          );
          let before = 0;
          let leftOut = 0;
          for (const cut of cuts) {
            const share = uncollectedShare({ total, uncollected }, before, cut - before);
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(cut - before);
            leftOut += share;
            before = cut;
          }
          expect(leftOut).toBe(uncollected);
        },
      ),
    );
  });
});

describe('decideReturn of a sale a card never fully paid', () => {
  const original = { sale, returned: new Map<number, number>(), uncollected: 325 };
  const lineB = [{ sku: 'B', quantity: 1, disposition: 'restock' as const, originalLineNo: 2 }];

  it('refunds the value less its share of the shortfall, and records the share', () => {
    // B is 400 of the sale's 650; 325 of 650 never collected: half of it.
    expect(decideReturn(withReceipt(lineB, 200), original, DEFAULT_NO_RECEIPT_POLICY)).toMatchObject({
      total: 400,
      uncollected: 200,
      refunds: [{ method: 'card', amount: 200 }],
    });
  });

  it('refuses refunds above what was collected with a code of its own, and others as a mismatch', () => {
    const decide = (refund: number) => () =>
      decideReturn(withReceipt(lineB, refund), original, DEFAULT_NO_RECEIPT_POLICY);
    expect(decide(400)).toThrowError(
      expect.objectContaining({
        code: 'refund_exceeds_collected',
        extensions: expect.objectContaining({ total: 400, uncollected: 200, refundable: 200, refunded: 400 }),
      }),
    );
    expect(decide(150)).toThrowError(
      expect.objectContaining({
        code: 'refund_mismatch',
        extensions: expect.objectContaining({ uncollected: 200 }),
      }),
    );
  });
});
