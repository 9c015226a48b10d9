import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type {
  ReturnCompletedV1Data,
  ShiftClosedV1Data,
  StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import { cashRoundingOf } from '@tillstream/pricing';
import { AT, bookedSale, noRate, sale, signed, vat21 } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import {
  overShortEntry,
  returnEntry,
  storedValueExpiredEntry,
  storedValueShortfallEntry,
  storedValueSoldEntry,
} from './store-documents.decide.js';

describe('saleEntry', () => {
  it('books tenders, sales net of an included tax, and the discount apart', () => {
    const entry = bookedSale(
      sale({
        lines: [
          { lineNo: 1, sku: 'TEE', quantity: 2, unitPrice: 1210, discount: 242, lineTotal: 2178 },
          { lineNo: 2, sku: 'BOOK', quantity: 1, unitPrice: 500, lineTotal: 500 },
        ],
        payments: [
          { method: 'cash', amount: 1000, tendered: 2000 },
          { method: 'card', amount: 1678 },
        ],
        total: 2678,
      }),
      (sku) => (sku === 'TEE' ? 210_000 : null),
    );
    // 21 % inside 2178 is 378; inside the gross 2420 it is 420, so the discount's share of tax is 42.
    expect(signed(entry.lines)).toEqual({
      '1000': 1000,
      '1100': 1678,
      '2100': -378,
      '4000': -2500,
      '4050': 200,
    });
    expect(entry).toMatchObject({ kind: 'sale', sourceId: 'S1', locationId: 'store-a', channel: 'pos' });
    // Per rate: the shirts at 21 % (net of tax, after the discount), the book at no rate.
    expect(entry.taxBases).toEqual([
      { ratePpm: 210_000, net: 1800, tax: 378 },
      { ratePpm: null, net: 500, tax: 0 },
    ]);
  });

  it('books an added tax as the till charged it, and a gift card as the liability it spends', () => {
    const entry = bookedSale(
      sale({
        lines: [
          {
            lineNo: 1,
            sku: 'MUG',
            quantity: 1,
            unitPrice: 1000,
            lineTotal: 1000,
            tax: { ratePpm: 88_750, amount: 89 },
          },
        ],
        payments: [{ method: 'gift_card', amount: 1089, reference: 'GC-1' }],
        tax: 89,
        total: 1089,
      }),
      vat21,
    );
    expect(signed(entry.lines)).toEqual({ '2200': 1089, '2100': -89, '4000': -1000 });
  });

  it('keeps a free line out of sales and discounts net of tax alike', () => {
    const entry = bookedSale(
      sale({
        lines: [
          { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, discount: 1210, lineTotal: 0 },
          { lineNo: 2, sku: 'MUG', quantity: 1, unitPrice: 1210, lineTotal: 1210 },
        ],
        payments: [{ method: 'card', amount: 1210 }],
        total: 1210,
      }),
      vat21,
    );
    expect(signed(entry.lines)).toEqual({ '1100': 1210, '2100': -210, '4000': -2000, '4050': 1000 });
  });

  it('posts what does not add up to suspense, so the entry still balances', () => {
    const entry = bookedSale(
      sale({
        lines: [{ lineNo: 1, sku: 'MUG', quantity: 1, unitPrice: 1000, lineTotal: 1000 }],
        payments: [{ method: 'voucher', amount: 1100 }],
        total: 1100,
      }),
      noRate,
    );
    expect(signed(entry.lines)).toEqual({ '1190': 1100, '4000': -1000, '9990': -100 });
    expect(isBalanced(entry.lines)).toBe(true);
  });

  it('balances every sale whose arithmetic holds, with no suspense, and books its total as revenue plus tax', () => {
    const line = fc.record({
      quantity: fc.integer({ min: 1, max: 50 }),
      unitPrice: fc.integer({ min: 0, max: 100_000 }),
      discountShare: fc.integer({ min: 0, max: 100 }),
      tax: fc.oneof(
        fc.constant<null>(null),
        fc.record({ inclusive: fc.boolean(), ratePpm: fc.integer({ min: 0, max: 300_000 }) }),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 100 }),
        (lines, cash) => {
          const built = lines.map((spec, index) => {
            const gross = spec.quantity * spec.unitPrice;
            const discount = Math.floor((gross * spec.discountShare) / 100);
            const lineTotal = gross - discount;
            const added =
              spec.tax && !spec.tax.inclusive
                ? { ratePpm: spec.tax.ratePpm, amount: Math.round((lineTotal * spec.tax.ratePpm) / 1e6) }
                : undefined;
            return {
              lineNo: index + 1,
              sku: `SKU-${index}`,
              quantity: spec.quantity,
              unitPrice: spec.unitPrice,
              discount,
              lineTotal,
              ...(added ? { tax: added } : {}),
            };
          });
          const tax = built.reduce((sum, entry) => sum + (entry.tax?.amount ?? 0), 0);
          const total = built.reduce((sum, entry) => sum + entry.lineTotal, 0) + tax;
          const inCash = Math.floor((total * cash) / 100);
          // The cash part rounded to 5 cents, as a Dutch till states it.
          const cashRounding = inCash > 0 ? cashRoundingOf(inCash, 5) : 0;
          const entry = bookedSale(
            sale({
              lines: built,
              payments: [
                { method: 'cash', amount: inCash + cashRounding },
                { method: 'card', amount: total - inCash },
              ],
              tax,
              total,
              ...(cashRounding !== 0 ? { cashRounding } : {}),
            }),
            (sku) => {
              const spec = lines[Number(sku.slice(4))]!.tax;
              return spec?.inclusive ? spec.ratePpm : null;
            },
          );
          const amounts = signed(entry.lines);
          expect(isBalanced(entry.lines)).toBe(true);
          expect(amounts['9990']).toBeUndefined();
          const revenueAndTax = -(amounts['4000'] ?? 0) - (amounts['4050'] ?? 0) - (amounts['2100'] ?? 0);
          expect(revenueAndTax + 0).toBe(total);
          expect(0 - (amounts['4960'] ?? 0)).toBe(cashRounding);
          for (const posted of entry.lines) expect(posted.debit >= 0 && posted.credit >= 0).toBe(true);
          // The goods per rate are the same revenue and tax, one base per rate.
          const bases = entry.taxBases;
          expect(bases.reduce((sum, base) => sum + base.tax, 0)).toBe(0 - (amounts['2100'] ?? 0));
          expect(bases.reduce((sum, base) => sum + base.net + base.tax, 0)).toBe(total);
          expect(new Set(bases.map((base) => base.ratePpm)).size).toBe(bases.length);
        },
      ),
    );
  });
});

describe('returnEntry', () => {
  const returned: ReturnCompletedV1Data = {
    returnId: 'R1',
    storeId: 'store-a',
    terminalId: 't1',
    occurredAt: AT,
    currency: 'EUR',
    originalSaleId: 'S1',
    lines: [{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, lineTotal: 1210, disposition: 'restock' }],
    refunds: [
      { method: 'store_credit', amount: 1000, reference: 'SC-1' },
      { method: 'cash', amount: 210 },
    ],
    total: 1210,
  };

  it('debits returns net of the tax given back, and credits each refund where it went', () => {
    const vat = [{ amount: 210, ratePpm: 210_000 }];
    const entry = returnEntry(returned, vat);
    expect(signed(entry.lines)).toEqual({
      '1000': -210,
      '2100': 210,
      '2200': -1000,
      '4100': 1000,
    });
    // The goods given back, at their rate, as negative sales.
    expect(entry.taxBases).toEqual([{ ratePpm: 210_000, net: -1000, tax: -210 }]);
    // An added tax is refunded on top of the line's total.
    const added = { ...returned, lines: [{ ...returned.lines[0]!, lineTotal: 1000, tax: 210 }] };
    expect(signed(returnEntry(added, vat).lines)).toEqual(signed(entry.lines));
  });

  it('credits the share a card never paid back to the shortfall written off, refunding only the rest', () => {
    const ret: ReturnCompletedV1Data = {
      ...returned,
      returnId: 'R2',
      refunds: [{ method: 'cash', amount: 810 }],
      uncollected: 400,
    };
    const entry = returnEntry(ret, [{ amount: 210, ratePpm: 210_000 }]);
    expect(signed(entry.lines)).toEqual({ '1000': -810, '2100': 210, '4100': 1000, '6950': -400 });
    expect(isBalanced(entry.lines)).toBe(true);
  });
});

describe('gift cards', () => {
  const issued: StoredValueIssuedV1Data = {
    number: 'GC-1',
    kind: 'gift_card',
    currency: 'EUR',
    balance: 5000,
    version: 1,
    storeId: 'store-a',
    terminalId: 't1',
    occurredAt: AT,
    amount: 5000,
    cause: { kind: 'sold', reference: 'issue/I1' },
    payments: [
      { method: 'cash', amount: 2000 },
      { method: 'card', amount: 3000 },
    ],
  };

  it('books the value owed to the holder against its tenders', () => {
    const entry = storedValueSoldEntry(issued)!;
    expect(signed(entry.lines)).toEqual({ '1000': 2000, '1100': 3000, '2200': -5000 });
    expect(entry.sourceId).toBe('issue/I1');
    const { payments: _payments, ...unitemised } = issued;
    expect(signed(storedValueSoldEntry(unitemised)!.lines)).toEqual({ '1190': 5000, '2200': -5000 });
  });

  it('leaves store credit given on a return to the return, which books it', () => {
    expect(
      storedValueSoldEntry({ ...issued, cause: { kind: 'refunded', reference: 'return/R1' } }),
    ).toBeNull();
  });

  it('puts a shortfall spent offline back on the liability and writes it off', () => {
    const entry = storedValueShortfallEntry({
      exceptionId: 'X1',
      number: 'GC-NEVER',
      saleId: 'S1',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      reason: 'unknown_number',
      requested: 1999,
      covered: 0,
      shortfall: 1999,
    })!;
    expect(signed(entry.lines)).toEqual({ '2200': -1999, '6950': 1999 });
  });

  it('takes the value left on an expired card off the liability as breakage, at its business time', () => {
    const expired = {
      number: 'GC-1',
      kind: 'gift_card' as const,
      currency: 'EUR',
      balance: 0,
      version: 4,
      storeId: 'store-a',
      amount: 1250,
      expiresAt: '2027-11-01T00:00:00.000Z',
      expiredAt: '2027-11-01T00:00:30.000Z',
    };
    const entry = storedValueExpiredEntry(expired)!;
    expect(signed(entry.lines)).toEqual({ '2200': 1250, '4900': -1250 });
    expect(entry).toMatchObject({
      kind: 'stored_value_expired',
      sourceId: 'GC-1#4',
      locationId: 'store-a',
      occurredAt: expired.expiresAt,
      taxBases: [],
    });
    expect(storedValueExpiredEntry({ ...expired, amount: 0 })).toBeNull();
  });
});

describe('overShortEntry', () => {
  const shift = (overShort: number | null, revision: number) =>
    ({
      shiftId: 'SH1',
      terminalId: 't1',
      storeId: 'store-a',
      seq: 1,
      revision,
      openedAt: AT,
      closedAt: AT,
      currency: 'EUR',
      report: { cash: { overShort } },
    }) as unknown as ShiftClosedV1Data;
  const none = { revision: 0, overShort: 0 };

  it('books a short drawer, then only the change a revised report makes', () => {
    const first = overShortEntry(shift(-500, 1), none);
    expect(signed(first.entry!.lines)).toEqual({ '1000': -500, '6900': 500 });
    expect(first.entry!.sourceId).toBe('SH1#1');
    expect(first.booked).toEqual({ revision: 1, overShort: -500 });
    const second = overShortEntry(shift(-300, 2), first.booked!);
    expect(signed(second.entry!.lines)).toEqual({ '1000': 200, '6900': -200 });
  });

  it('ignores a revision older than or equal to the newest booked, whatever its figure', () => {
    expect(overShortEntry(shift(-200, 2), { revision: 3, overShort: 0 })).toEqual({
      entry: null,
      booked: null,
    });
    expect(overShortEntry(shift(-500, 1), { revision: 1, overShort: -500 })).toEqual({
      entry: null,
      booked: null,
    });
  });

  it('books nothing while the cash is not counted or nothing changed, but remembers the revision', () => {
    expect(overShortEntry(shift(null, 1), none)).toEqual({
      entry: null,
      booked: { revision: 1, overShort: 0 },
    });
    expect(overShortEntry(shift(-300, 3), { revision: 2, overShort: -300 }).entry).toBeNull();
  });
});
