import { describe, expect, it } from 'vitest';
import type { ZReport } from '@tillstream/contracts';
import { overShortWord, reportChecks } from './z-report.logic.js';

/** A shift: 14.00 of sales (cash), one 3.50 cash refund, one 3.50 store-credit refund, float 100, counted 106.50. */
const report: ZReport = {
  sales: { count: 1, gross: 1400, discounts: 0, net: 1400 },
  returns: { count: 2, total: 700 },
  net: 700,
  tenders: [
    { method: 'cash', sales: 1400, refunds: 350, net: 1050 },
    { method: 'store_credit', sales: 0, refunds: 350, net: -350 },
  ],
  cash: {
    openingFloat: 10_000,
    sales: 1400,
    refunds: 350,
    expected: 11_050,
    counted: 11_000,
    overShort: -50,
  },
  receipts: { first: 'T1-1-1', last: 'T1-1-3' },
  lateTransactions: 0,
};

describe('reportChecks', () => {
  it('holds for a report whose figures add up', () => {
    const checks = reportChecks(report);
    expect(checks).toHaveLength(6);
    expect(checks.filter((check) => !check.holds)).toEqual([]);
  });

  it.each([
    [
      'a net that is not sales net − returns',
      { ...report, net: 800 },
      'sales net + tax + gift cards sold − returns = net',
    ],
    [
      'a cash figure off by one',
      { ...report, cash: { ...report.cash, expected: 11_051 } },
      'float + cash taken − cash refunded = expected',
    ],
    [
      'an over/short that is not counted − expected',
      { ...report, cash: { ...report.cash, overShort: 50 } },
      'counted − expected = over/short',
    ],
  ])('flags %s', (_name, broken, label) => {
    expect(reportChecks(broken).find((check) => check.label === label)?.holds).toBe(false);
  });

  it('counts added tax and gift cards sold into the net', () => {
    const taxed: ZReport = {
      ...report,
      sales: { ...report.sales, tax: 140 },
      net: 700 + 140 + 2500,
      tenders: [
        { method: 'cash', sales: 1540 + 2500, refunds: 350, net: 1190 + 2500 },
        { method: 'store_credit', sales: 0, refunds: 350, net: -350 },
      ],
      cash: { ...report.cash, sales: 4040, expected: 13_690, counted: 13_690, overShort: 0 },
      storedValue: {
        sold: { count: 1, amount: 2500 },
        refunded: { count: 1, amount: 350 },
        redeemed: { count: 0, amount: 0 },
      },
    };
    expect(reportChecks(taxed).filter((check) => !check.holds)).toEqual([]);
  });

  it('counts cash rounding into the net, and checks its own sum, when the shift rounded cash', () => {
    const label = 'sales net + tax + gift cards sold − returns + cash rounding = net';
    // The 14.00 of sales took 14.02 in cash rounding odd amounts up, the cash refund paid out 3.50 exact.
    const rounded: ZReport = {
      ...report,
      net: 702,
      cashRounding: { sales: 2, returns: 0, net: 2 },
      tenders: [
        { method: 'cash', sales: 1402, refunds: 350, net: 1052 },
        { method: 'store_credit', sales: 0, refunds: 350, net: -350 },
      ],
      cash: { ...report.cash, sales: 1402, expected: 11_052, counted: 11_052, overShort: 0 },
    };
    expect(reportChecks(rounded).filter((check) => !check.holds)).toEqual([]);
    expect(reportChecks(rounded).map((check) => check.label)).toContain(label);
    const off = { ...rounded, cashRounding: { sales: 2, returns: 0, net: 3 } };
    expect(
      reportChecks(off)
        .filter((check) => !check.holds)
        .map((check) => check.label),
    ).toEqual([label, 'cash rounding of sales − of returns = its net']);
  });

  it('counts what returns left unrefunded, because a card never paid it, into the net', () => {
    const label = 'sales net + tax + gift cards sold − returns + returns never paid = net';
    // The second 3.50 came back from a sale its gift card never paid: nothing refunded for it.
    const unpaid: ZReport = {
      ...report,
      returns: { count: 2, total: 700, uncollected: 350 },
      net: 1050,
      tenders: [{ method: 'cash', sales: 1400, refunds: 350, net: 1050 }],
    };
    expect(reportChecks(unpaid).filter((check) => !check.holds)).toEqual([]);
    expect(reportChecks({ ...unpaid, net: 700 }).find((check) => check.label === label)?.holds).toBe(false);
  });

  it('checks the tax by rate against the sales and returns, when the report has it', () => {
    const label = 'each rate’s goods + tax, and what states none = sales net + tax − returns';
    // 14.00 sold at 21 % included (2.43 of tax), 7.00 of it returned (1.21 of tax).
    const taxes = { rates: [{ ratePpm: 210_000, included: true, net: 578, tax: 122 }], unstated: 0 };
    expect(reportChecks({ ...report, taxes }).find((check) => check.label === label)?.holds).toBe(true);
    const off = { ...taxes, unstated: 1 };
    expect(reportChecks({ ...report, taxes: off }).find((check) => check.label === label)?.holds).toBe(false);
    expect(reportChecks(report).map((check) => check.label)).not.toContain(label);
  });

  it('leaves out the cash checks until the opening and the count have arrived', () => {
    const open = {
      ...report,
      cash: { ...report.cash, openingFloat: null, expected: null, counted: null, overShort: null },
    };
    expect(reportChecks(open).map((check) => check.label)).not.toContain('counted − expected = over/short');
    expect(reportChecks(open)).toHaveLength(4);
  });
});

it.each([
  [50, 'over'],
  [-1, 'short'],
  [0, 'exact'],
])('overShortWord(%i) is %s', (difference, word) => expect(overShortWord(difference)).toBe(word));
