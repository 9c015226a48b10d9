import { describe, expect, it } from 'vitest';
import type { ReturnCompletedV1Data, StoredValueIssuedV1Data } from '@tillstream/contracts';
import { AT, bookedSale, noRate, sale, signed, vat21 } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import { returnEntry, storedValueSoldEntry } from './store-documents.decide.js';

/** Cash rounding in the journal: 4960 takes the difference, sales, returns and tax stay what the goods came to. */
describe('saleEntry with cash rounding', () => {
  it('books cash rounding to 4960, leaving sales and tax what the goods came to', () => {
    const line = { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 998, lineTotal: 998 };
    const rounded = (cash: number, cashRounding: number) =>
      bookedSale(
        sale({
          lines: [line],
          payments: [{ method: 'cash', amount: cash }],
          total: 998,
          cashRounding,
          cashRoundingRule: { increment: 5, current: true },
        }),
        vat21,
      );
    const unrounded = bookedSale(
      sale({ lines: [line], payments: [{ method: 'card', amount: 998 }], total: 998 }),
      vat21,
    );
    const up = rounded(1000, 2);
    expect(signed(up.lines)).toEqual({ '1000': 1000, '2100': -173, '4000': -825, '4960': -2 });
    expect(isBalanced(up.lines)).toBe(true);
    expect(up.taxBases).toEqual(unrounded.taxBases);
    // 9.97 paid 9.95: the store gave up two cents, a debit.
    const down = bookedSale(
      sale({
        lines: [{ ...line, unitPrice: 997, lineTotal: 997 }],
        payments: [{ method: 'cash', amount: 995 }],
        total: 997,
        cashRounding: -2,
      }),
      noRate,
    );
    expect(signed(down.lines)).toEqual({ '1000': 995, '4000': -997, '4960': 2 });
  });
});

describe('returnEntry with cash rounding', () => {
  it('debits the cash rounding of a refund to 4960, returns and tax as the goods came to', () => {
    const ret: ReturnCompletedV1Data = {
      returnId: 'R2',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      originalSaleId: 'S1',
      lines: [{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 998, lineTotal: 998, disposition: 'restock' }],
      refunds: [{ method: 'cash', amount: 1000 }],
      total: 998,
      cashRounding: 2,
      cashRoundingRule: { increment: 5, current: true },
    };
    const entry = returnEntry(ret, [{ amount: 173, ratePpm: 210_000 }]);
    expect(signed(entry.lines)).toEqual({ '1000': -1000, '2100': 173, '4100': 825, '4960': 2 });
    expect(isBalanced(entry.lines)).toBe(true);
    expect(entry.taxBases).toEqual([{ ratePpm: 210_000, net: -825, tax: -173 }]);
  });
});

describe('storedValueSoldEntry with cash rounding', () => {
  const sold = (amount: number, payments: Array<{ method: string; amount: number }>, cashRounding?: number) =>
    storedValueSoldEntry({
      number: 'GC-1',
      kind: 'gift_card',
      currency: 'EUR',
      balance: amount,
      version: 1,
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      amount,
      cause: { kind: 'sold', reference: 'issue/I2' },
      payments,
      ...(cashRounding === undefined
        ? {}
        : { cashRounding, cashRoundingRule: { increment: 5, current: true } }),
    } satisfies StoredValueIssuedV1Data)!;

  it('owes the holder the amount loaded, and books the cash taken above or below it to 4960', () => {
    // 12.34 loaded, 12.35 taken in cash: the store kept a cent, a credit.
    const up = sold(1234, [{ method: 'cash', amount: 1235 }], 1);
    expect(signed(up.lines)).toEqual({ '1000': 1235, '2200': -1234, '4960': -1 });
    expect(isBalanced(up.lines)).toBe(true);
    expect(up.taxBases).toEqual([]);
    // 12.35 loaded, 2.34 by card and 10.00 in cash for the 10.01 due: the store gave up a cent, a debit.
    const down = sold(
      1235,
      [
        { method: 'card', amount: 234 },
        { method: 'cash', amount: 1000 },
      ],
      -1,
    );
    expect(signed(down.lines)).toEqual({ '1000': 1000, '1100': 234, '2200': -1235, '4960': 1 });
    expect(isBalanced(down.lines)).toBe(true);
    // Exact cash: no rounding line.
    expect(signed(sold(1234, [{ method: 'cash', amount: 1234 }]).lines)).toEqual({
      '1000': 1234,
      '2200': -1234,
    });
  });
});
