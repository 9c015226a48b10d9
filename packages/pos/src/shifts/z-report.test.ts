import { describe, expect, it } from 'vitest';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { Issue } from '../stored-value/stored-value.decide.js';
import type { Shift } from './shift.decide.js';
import { zReport } from './z-report.js';

const shift: Shift = {
  id: 'shift-1',
  terminalId: 'T1',
  storeId: 'S1',
  seq: 4,
  currency: 'EUR',
  openedAt: '2026-11-01T08:00:00.000Z',
  openingFloat: 10_000,
  openHash: 'h',
  closedAt: '2026-11-01T18:00:00.000Z',
  closeId: 'c',
  countedCash: 11_450,
  closeHash: 'h2',
  closeReceivedAt: '2026-11-01T18:00:05.000Z',
  revision: 1,
};

const sale = (receiptNo: string, payments: Sale['payments'], discount = 0): Sale => {
  const total = payments.reduce((sum, payment) => sum + payment.amount, 0);
  return {
    id: receiptNo,
    status: 'completed',
    storeId: 'S1',
    terminalId: 'T1',
    occurredAt: '2026-11-01T10:00:00.000Z',
    currency: 'EUR',
    lines: [{ lineNo: 1, sku: 'A', quantity: 1, unitPrice: total + discount, discount, lineTotal: total }],
    payments,
    total,
    receiptNo,
  };
};

const refund = (receiptNo: string, method: string, amount: number): SaleReturn => ({
  id: receiptNo,
  status: 'completed',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T12:00:00.000Z',
  currency: 'EUR',
  originalSaleId: null,
  lines: [{ lineNo: 1, sku: 'A', quantity: 1, unitPrice: amount, lineTotal: amount, disposition: 'restock' }],
  refunds: [{ method, amount }],
  total: amount,
  receiptNo,
});

const issue = (receiptNo: string, amount: number, payments: Issue['payments']): Issue => ({
  id: receiptNo,
  status: 'completed',
  number: `GC-${receiptNo}`,
  kind: 'gift_card',
  amount,
  currency: 'EUR',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T11:00:00.000Z',
  payments,
  receiptNo,
});

describe('zReport', () => {
  const at =
    (receivedAt: string) =>
    <T>(document: T) => ({ document, receivedAt });
  const onTime = at('2026-11-01T17:00:00.000Z');
  const report = zReport(
    shift,
    [
      onTime(sale('T1-4-1', [{ method: 'cash', amount: 1000, tendered: 2000 }])),
      onTime(
        sale(
          'T1-4-2',
          [
            { method: 'card', amount: 700 },
            { method: 'cash', amount: 300 },
          ],
          100,
        ),
      ),
      at('2026-11-02T09:00:00.000Z')(
        sale('T1-4-10', [{ method: 'gift_card', amount: 500, reference: 'GC1' }]),
      ),
    ],
    [onTime(refund('T1-4-3', 'cash', 200)), onTime(refund('T1-4-4', 'store_credit', 300))],
  );

  it('adds sales, returns and tenders up', () => {
    expect(report.sales).toEqual({ count: 3, gross: 2600, discounts: 100, net: 2500 });
    expect(report.returns).toEqual({ count: 2, total: 500 });
    expect(report.net).toBe(2000);
    expect(report.tenders.reduce((sum, tender) => sum + tender.net, 0)).toBe(report.net);
    expect(report.tenders).toEqual([
      { method: 'card', sales: 700, refunds: 0, net: 700 },
      { method: 'cash', sales: 1300, refunds: 200, net: 1100 },
      { method: 'gift_card', sales: 500, refunds: 0, net: 500 },
      { method: 'store_credit', sales: 0, refunds: 300, net: -300 },
    ]);
  });

  it('expects the float plus cash taken (net of change) minus cash refunded, and reports over/short', () => {
    expect(report.cash).toEqual({
      openingFloat: 10_000,
      sales: 1300,
      refunds: 200,
      expected: 11_100,
      counted: 11_450,
      overShort: 350,
    });
  });

  it('orders receipt numbers numerically and counts what arrived after the close', () => {
    expect(report.receipts).toEqual({ first: 'T1-4-1', last: 'T1-4-10' });
    expect(report.lateTransactions).toBe(1);
  });

  it('counts gift cards redeemed and store credit refunded', () => {
    expect(report.storedValue).toEqual({
      sold: { count: 0, amount: 0 },
      refunded: { count: 1, amount: 300 },
      redeemed: { count: 1, amount: 500 },
    });
  });

  it('adds added tax, gift cards sold and offline card payments, and still adds up', () => {
    const taxed: Sale = {
      ...sale('T1-4-20', [{ method: 'card', amount: 1210, offline: true }]),
      lines: [
        {
          lineNo: 1,
          sku: 'A',
          quantity: 1,
          unitPrice: 1000,
          lineTotal: 1000,
          tax: { ratePpm: 210_000, amount: 210 },
        },
      ],
      tax: 210,
    };
    const giftCard = issue('T1-4-21', 2500, [
      { method: 'cash', amount: 2000, tendered: 2000 },
      { method: 'card', amount: 500, offline: true },
    ]);
    const withAll = zReport(
      shift,
      [onTime(taxed)],
      [onTime(refund('T1-4-22', 'cash', 100))],
      [onTime(giftCard)],
    );
    expect(withAll.sales).toEqual({ count: 1, gross: 1000, discounts: 0, net: 1000, tax: 210 });
    expect(withAll.net).toBe(1000 + 210 + 2500 - 100);
    expect(withAll.tenders.reduce((sum, tender) => sum + tender.net, 0)).toBe(withAll.net);
    expect(withAll.storedValue?.sold).toEqual({ count: 1, amount: 2500 });
    expect(withAll.offlineCard).toEqual({ count: 2, amount: 1710 });
    // The same sale reaching the server more than a day after it was rung up: acquirers decline its card.
    const lateSale = { document: taxed, receivedAt: '2026-11-02T10:00:00.001Z' };
    expect(zReport(shift, [lateSale], []).offlineCard).toEqual({
      count: 1,
      amount: 1210,
      late: { count: 1, amount: 1210 },
    });
    const justInTime = { document: taxed, receivedAt: '2026-11-02T10:00:00.000Z' };
    expect(zReport(shift, [justInTime], []).offlineCard).not.toHaveProperty('late');
    expect(withAll.cash.expected).toBe(10_000 + 2000 - 100);
    expect(withAll.receipts).toEqual({ first: 'T1-4-20', last: 'T1-4-22' });
  });

  it('lists goods and tax per rate, sales less returns, and what states no rate, adding up', () => {
    const line = (lineNo: number, lineTotal: number, tax: Partial<Sale['lines'][number]>) => ({
      lineNo,
      sku: `S${lineNo}`,
      quantity: 1,
      unitPrice: lineTotal,
      lineTotal,
      ...tax,
    });
    const mixed: Sale = {
      ...sale('T1-4-50', [{ method: 'card', amount: 1210 + 1090 + 500 + 1000 + 80 }]),
      lines: [
        line(1, 1210, { includedTax: { ratePpm: 210_000, amount: 210 } }),
        line(2, 1090, { includedTax: { ratePpm: 90_000, amount: 90 } }),
        line(3, 500, {}),
        line(4, 1000, { tax: { ratePpm: 80_000, amount: 80 } }),
      ],
      tax: 80,
    };
    const returned: SaleReturn = {
      ...refund('T1-4-51', 'card', 605 + 100 + 108),
      lines: [
        { ...refund('x', 'card', 0).lines[0]!, lineTotal: 605, includedTax: 105, taxRatePpm: 210_000 },
        { ...refund('x', 'card', 0).lines[0]!, lineNo: 2, lineTotal: 100 },
        { ...refund('x', 'card', 0).lines[0]!, lineNo: 3, lineTotal: 100, tax: 8, taxRatePpm: 80_000 },
      ],
    };
    const report = zReport(shift, [onTime(mixed)], [onTime(returned)]);
    expect(report.taxes).toEqual({
      rates: [
        { ratePpm: 80_000, included: false, net: 900, tax: 72 },
        { ratePpm: 90_000, included: true, net: 1000, tax: 90 },
        { ratePpm: 210_000, included: true, net: 500, tax: 105 },
      ],
      unstated: 400,
    });
    const parts = report.taxes!.rates.reduce((sum, row) => sum + row.net + row.tax, report.taxes!.unstated);
    expect(parts).toBe(report.sales.net + (report.sales.tax ?? 0) - report.returns.total);
    expect(
      zReport(shift, [onTime(sale('T1-4-52', [{ method: 'cash', amount: 100 }]))], []),
    ).not.toHaveProperty('taxes');
  });

  it('leaves out documents in another currency than the shift, which arrived before it', () => {
    const eur = sale('T1-4-30', [{ method: 'cash', amount: 1000 }]);
    const usd = { ...sale('T1-4-31', [{ method: 'cash', amount: 50_000 }]), currency: 'USD' };
    const usdRefund = { ...refund('T1-4-32', 'cash', 700), currency: 'USD' };
    const mixed = zReport(shift, [onTime(eur), onTime(usd)], [onTime(usdRefund)]);
    expect(mixed).toEqual(zReport(shift, [onTime(eur)], []));
    expect(mixed.cash).toMatchObject({ expected: 10_000 + 1000, overShort: 11_450 - 11_000 });
  });

  it('lists refunds of the shift the server quarantined, read with care, apart from its figures', () => {
    const quarantined = [
      { ...refund('T1-4-40', 'cash', 600), shiftId: shift.id },
      { ...refund('T1-4-41', 'card', 400), shiftId: shift.id },
      { ...refund('T1-4-42', 'cash', 999), shiftId: 'another-shift' },
      { ...refund('T1-4-43', 'cash', 999), shiftId: shift.id, currency: 'USD' },
      { shiftId: shift.id, currency: 'EUR', refunds: [{ method: 'cash', amount: 'lots' }] },
      null,
      'not a return',
    ];
    const withQuarantine = zReport(shift, [], [], [], quarantined);
    expect(withQuarantine.quarantinedRefunds).toEqual({ count: 3, amount: 1000, cash: 600 });
    expect({ ...withQuarantine, quarantinedRefunds: undefined }).toEqual({
      ...zReport(shift, [], []),
      quarantinedRefunds: undefined,
    });
    expect(zReport(shift, [], []).quarantinedRefunds).toBeUndefined();
  });

  it('counts cash as it changed hands, so a drawer of rounded sales closes exact, and shows the rounding', () => {
    const rounded = (receiptNo: string, total: number, cashRounding: number, current = true): Sale => ({
      ...sale(receiptNo, [{ method: 'cash', amount: total }]),
      payments: [{ method: 'cash', amount: total + cashRounding }],
      cashRounding,
      cashRoundingRule: { increment: 5, current },
    });
    const roundedRefund: SaleReturn = {
      ...refund('T1-4-63', 'cash', 998),
      refunds: [{ method: 'cash', amount: 1000 }],
      cashRounding: 2,
      cashRoundingRule: { increment: 5, current: true },
    };
    const sales = [
      rounded('T1-4-60', 998, 2),
      rounded('T1-4-61', 997, -2),
      rounded('T1-4-62', 1_499, 1, false),
    ];
    const drawer = 10_000 + 1_000 + 995 + 1_500 - 1_000;
    const report = zReport({ ...shift, countedCash: drawer }, sales.map(onTime), [onTime(roundedRefund)]);
    expect(report.cashRounding).toEqual({ sales: 1, returns: 2, net: -1, formerRule: { count: 1 } });
    expect(report.cash).toMatchObject({ sales: 3_495, refunds: 1_000, expected: drawer, overShort: 0 });
    expect(report.sales.net).toBe(998 + 997 + 1_499);
    expect(report.returns.total).toBe(998);
    expect(report.net).toBe(report.sales.net - report.returns.total + report.cashRounding!.net);
    expect(report.tenders.reduce((sum, tender) => sum + tender.net, 0)).toBe(report.net);
    expect(
      zReport(shift, [onTime(sale('T1-4-64', [{ method: 'cash', amount: 100 }]))], []),
    ).not.toHaveProperty('cashRounding');
  });

  it('counts a gift card sold for rounded cash like a rounded sale: the card takes its amount, the drawer closes exact', () => {
    const rounded = (receiptNo: string, amount: number, cashRounding: number, current = true): Issue => ({
      ...issue(receiptNo, amount, [{ method: 'cash', amount: amount + cashRounding }]),
      cashRounding,
      cashRoundingRule: { increment: 5, current },
    });
    const issues = [rounded('T1-4-70', 1_234, 1), rounded('T1-4-71', 2_498, 2, false)];
    const topUp = issue('T1-4-72', 1_000, [{ method: 'card', amount: 1_000 }]);
    const drawer = 10_000 + 1_235 + 2_500;
    const report = zReport({ ...shift, countedCash: drawer }, [], [], [...issues, topUp].map(onTime));
    expect(report.cashRounding).toEqual({ sales: 3, returns: 0, net: 3, formerRule: { count: 1 } });
    expect(report.storedValue?.sold).toEqual({ count: 3, amount: 1_234 + 2_498 + 1_000 });
    expect(report.cash).toMatchObject({ sales: 3_735, expected: drawer, overShort: 0 });
    expect(report.net).toBe(report.storedValue!.sold.amount + report.cashRounding!.net);
    expect(report.tenders.reduce((sum, tender) => sum + tender.net, 0)).toBe(report.net);
    expect(zReport(shift, [], [], [onTime(topUp)])).not.toHaveProperty('cashRounding');
  });

  it('cannot expect cash before the opening float is known', () => {
    expect(zReport({ ...shift, openingFloat: null }, [], []).cash).toMatchObject({
      expected: null,
      overShort: null,
    });
  });
});
