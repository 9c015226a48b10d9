import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type {
  OrderPlacedV1Data,
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
  ShiftClosedV1Data,
  StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import {
  isBalanced,
  onlineOrderEntry,
  onlineRefundEntry,
  overShortEntry,
  returnEntry,
  saleEntry,
  storedValueSoldEntry,
  type JournalLine,
} from './journal.decide.js';

const AT = '2026-12-01T10:00:00.000Z';
const noTax = () => null;
const vat21 = () => 210_000;

/** The lines as `{ account: signed amount }`, debits positive, for compact expectations. */
const signed = (lines: readonly JournalLine[]) =>
  Object.fromEntries(lines.map((line) => [line.account, line.debit - line.credit]));

function sale(overrides: Partial<SaleCompletedV1Data>): SaleCompletedV1Data {
  return {
    saleId: 'S1',
    storeId: 'store-a',
    terminalId: 't1',
    occurredAt: AT,
    currency: 'EUR',
    lines: [],
    payments: [],
    total: 0,
    ...overrides,
  };
}

describe('saleEntry', () => {
  it('books tenders, sales net of an included tax, and the discount apart', () => {
    const entry = saleEntry(
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
  });

  it('books an added tax as the till charged it, and a gift card as the liability it spends', () => {
    const entry = saleEntry(
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

  it('posts what does not add up to suspense, so the entry still balances', () => {
    const entry = saleEntry(
      sale({
        lines: [{ lineNo: 1, sku: 'MUG', quantity: 1, unitPrice: 1000, lineTotal: 1000 }],
        payments: [{ method: 'voucher', amount: 1100 }],
        total: 1100,
      }),
      noTax,
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
          const entry = saleEntry(
            sale({
              lines: built,
              payments: [
                { method: 'cash', amount: inCash },
                { method: 'card', amount: total - inCash },
              ],
              tax,
              total,
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
          for (const posted of entry.lines) expect(posted.debit >= 0 && posted.credit >= 0).toBe(true);
        },
      ),
    );
  });
});

describe('returnEntry', () => {
  it('debits returns net of included tax and the tax given back, and credits each refund where it went', () => {
    const ret: ReturnCompletedV1Data = {
      returnId: 'R1',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      originalSaleId: 'S1',
      lines: [
        { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, lineTotal: 1210, disposition: 'restock' },
      ],
      refunds: [
        { method: 'store_credit', amount: 1000, reference: 'SC-1' },
        { method: 'cash', amount: 210 },
      ],
      total: 1210,
    };
    expect(signed(returnEntry(ret, vat21).lines)).toEqual({
      '1000': -210,
      '2100': 210,
      '2200': -1000,
      '4100': 1000,
    });
  });
});

describe('online orders and refunds', () => {
  const order: OrderPlacedV1Data = {
    orderId: 'O1',
    cartId: 'C1',
    reservationId: 'R1',
    channel: 'web',
    email: 'a@example.com',
    currency: 'EUR',
    lines: [{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 2420, lineTotal: 2178 }],
    total: 2178,
    payment: { method: 'card', reference: 'pay_1' },
    placedAt: AT,
  };

  it('books a placed order against the payment provider', () => {
    const entry = onlineOrderEntry(order, vat21);
    expect(signed(entry.lines)).toEqual({ '1150': 2178, '2100': -378, '4000': -2000, '4050': 200 });
    expect(entry).toMatchObject({ kind: 'online_order', locationId: null, channel: 'web' });
  });

  it('gives back the tax in proportion to the order, and all of it on a full refund', () => {
    const refund = (amount: number) =>
      onlineRefundEntry(
        {
          orderId: 'O1',
          refundId: `F${amount}`,
          currency: 'EUR',
          amount,
          refunded: amount,
          reason: 'return',
          returnId: null,
          payment: { method: 'card', reference: 'pay_1' },
          refundedAt: AT,
        },
        { channel: 'web', total: 2178, tax: 378 },
      );
    expect(signed(refund(1089).lines)).toEqual({ '1150': -1089, '2100': 189, '4100': 900 });
    expect(signed(refund(2178).lines)).toEqual({ '1150': -2178, '2100': 378, '4100': 1800 });
  });
});

describe('storedValueSoldEntry', () => {
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
  };

  it('books the value owed to the holder against its tenders', () => {
    const payments = [
      { method: 'cash', amount: 2000 },
      { method: 'card', amount: 3000 },
    ];
    expect(signed(storedValueSoldEntry(issued, 'issue/I1', payments)!.lines)).toEqual({
      '1000': 2000,
      '1100': 3000,
      '2200': -5000,
    });
    expect(signed(storedValueSoldEntry(issued, 'issue/I1', undefined)!.lines)).toEqual({
      '1190': 5000,
      '2200': -5000,
    });
  });

  it('leaves store credit given on a return to the return, which books it', () => {
    expect(
      storedValueSoldEntry(
        { ...issued, cause: { kind: 'refunded', reference: 'return/R1' } },
        'return/R1',
        [],
      ),
    ).toBeNull();
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

  it('books a short drawer, then only the change a revised report makes', () => {
    const first = overShortEntry(shift(-500, 1), 0)!;
    expect(signed(first.lines)).toEqual({ '1000': -500, '6900': 500 });
    expect(first.sourceId).toBe('SH1#1');
    expect(signed(overShortEntry(shift(-300, 2), -500)!.lines)).toEqual({ '1000': 200, '6900': -200 });
  });

  it('books nothing when the cash was not counted or nothing changed', () => {
    expect(overShortEntry(shift(null, 1), 0)).toBeNull();
    expect(overShortEntry(shift(-300, 3), -300)).toBeNull();
  });
});
