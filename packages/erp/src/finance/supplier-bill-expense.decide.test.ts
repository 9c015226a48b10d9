import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '@tillstream/kernel';
import { BILL_EXPENSE_ACCOUNTS } from './accounts.js';
import { signed } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import type { BillExpenseRequest } from './supplier-bill-expense.decide.js';
import {
  billFingerprint,
  decideSupplierBill,
  supplierBillEntries,
  type ReceiptOnRecord,
  type SupplierBill,
  type SupplierBillCommand,
} from './supplier-bill.decide.js';

const receipt = (movementId: string, locationId = 'S1', value = 1200): ReceiptOnRecord => ({
  movementId,
  kind: 'received',
  unitCost: value / 10,
  sku: 'BREAD',
  locationId,
  quantity: 10,
  booked: { currency: 'EUR', value },
  billedBy: null,
});
const expense = (account: string, amount: number, locationId?: string): BillExpenseRequest => ({
  account,
  amount,
  description: `${account} November`,
  ...(locationId === undefined ? {} : { locationId }),
});
const command = (
  total: number,
  expenses: BillExpenseRequest[],
  receipts: string[] = [],
): SupplierBillCommand => ({
  id: 'bill-1',
  supplierId: 'landlord',
  supplierInvoiceNumber: 'L-2026-11',
  currency: 'EUR',
  invoicedAt: '2026-11-01T00:00:00.000Z',
  dueAt: '2026-12-01T00:00:00.000Z',
  receipts,
  expenses,
  total,
});
const LOCATIONS = ['S1', 'S2', 'W1'];
/** The bill's entries as `[sourceId, locationId, signed lines]`, each checked balanced. */
const booked = (bill: SupplierBill) =>
  supplierBillEntries(bill).map((entry) => {
    expect(isBalanced(entry.lines), entry.sourceId).toBe(true);
    return [entry.sourceId, entry.locationId, signed(entry.lines)];
  });
const refusal = (bill: SupplierBillCommand, found: ReceiptOnRecord[] = []) => {
  try {
    decideSupplierBill(bill, found, LOCATIONS);
    return null;
  } catch (error) {
    const { code, extensions } = error as { code: string; extensions: object };
    return { code, ...extensions };
  }
};

describe('supplier bills of expenses', () => {
  it("books a store's rent to 6100 at the store, owed in full on 2000, with no variance", () => {
    const bill = decideSupplierBill(
      command(250_000, [expense('6100', 230_000, 'S1'), expense('6100', 20_000, 'S1')]),
      [],
      LOCATIONS,
    );
    expect(bill).toMatchObject({ matched: 0, total: 250_000, locationId: 'S1', receipts: [] });
    expect(bill.expenses).toEqual([
      { account: '6100', amount: 230_000, description: '6100 November', locationId: 'S1' },
      { account: '6100', amount: 20_000, description: '6100 November', locationId: 'S1' },
    ]);
    expect(booked(bill)).toEqual([['bill-1', 'S1', { '6100': 250_000, '2000': -250_000 }]]);
  });

  it('takes expenses at face value beside goods: the goods are billed what is left, against 2310', () => {
    // Two crates came in at 12.00 each; the bill charges 3.00 carriage and 30.00 in all: the goods at 27.00.
    const bill = decideSupplierBill(
      command(3_000, [expense('6300', 300, 'S1')], ['a', 'b']),
      [receipt('a'), receipt('b')],
      LOCATIONS,
    );
    expect(bill).toMatchObject({ matched: 2_400, locationId: 'S1' });
    expect(booked(bill)).toEqual([
      ['bill-1', 'S1', { '2310': 2_400, '6300': 300, '5200': 300, '2000': -3_000 }],
    ]);
    // The expenses may take the whole total: the goods then came free, a variance credit of what they cost.
    const free = decideSupplierBill(
      command(300, [expense('6300', 300, 'S1')], ['a']),
      [receipt('a')],
      LOCATIONS,
    );
    expect(booked(free)).toEqual([
      ['bill-1', 'S1', { '2310': 1_200, '6300': 300, '5200': -1_200, '2000': -300 }],
    ]);
  });

  it('posts one entry per location, each owing its own share, and what is at none under the bill id', () => {
    const bill = decideSupplierBill(
      command(10_000, [
        expense('6200', 4_000, 'S2'),
        expense('6600', 1_500),
        expense('6200', 3_000, 'S1'),
        expense('6400', 1_500, 'S2'),
      ]),
      [],
      LOCATIONS,
    );
    expect(bill.locationId).toBeNull();
    expect(booked(bill)).toEqual([
      ['bill-1', null, { '6600': 1_500, '2000': -1_500 }],
      ['bill-1@S1', 'S1', { '6200': 3_000, '2000': -3_000 }],
      ['bill-1@S2', 'S2', { '6200': 4_000, '6400': 1_500, '2000': -5_500 }],
    ]);
  });

  it('keeps goods where they came in (nowhere across stores) apart from expenses elsewhere', () => {
    const atOneStore = decideSupplierBill(
      command(2_000, [expense('6500', 500)], ['a']),
      [receipt('a')],
      LOCATIONS,
    );
    expect(atOneStore.locationId).toBeNull();
    expect(booked(atOneStore)).toEqual([
      ['bill-1', null, { '6500': 500, '2000': -500 }],
      ['bill-1@S1', 'S1', { '2310': 1_200, '5200': 300, '2000': -1_500 }],
    ]);
    const acrossStores = decideSupplierBill(
      command(2_500, [expense('6300', 100, 'S1')], ['a', 'b']),
      [receipt('a'), receipt('b', 'S2')],
      LOCATIONS,
    );
    expect(booked(acrossStores)).toEqual([
      ['bill-1', null, { '2310': 2_400, '2000': -2_400 }],
      ['bill-1@S1', 'S1', { '6300': 100, '2000': -100 }],
    ]);
  });

  it('posts no entry for goods that came in at no cost and are billed at none', () => {
    // Free samples received at W1, billed with the rent at S1: the goods' part has nothing to book.
    const bill = decideSupplierBill(
      command(1_000, [expense('6100', 1_000, 'S1')], ['free']),
      [{ ...receipt('free', 'W1', 0), unitCost: 0 }],
      LOCATIONS,
    );
    expect(booked(bill)).toEqual([['bill-1@S1', 'S1', { '6100': 1_000, '2000': -1_000 }]]);
  });

  it('owes exactly the total on 2000 however the lines fall', () => {
    const shapes: Array<[SupplierBillCommand, ReceiptOnRecord[]]> = [
      [command(999, [expense('6800', 333), expense('6700', 666, 'W1')]), []],
      [command(5_000, [expense('6100', 1, 'S2')], ['a', 'b']), [receipt('a'), receipt('b', 'W1', 7)]],
      [command(1, [], ['a']), [receipt('a')]],
    ];
    for (const [shape, found] of shapes) {
      const entries = supplierBillEntries(decideSupplierBill(shape, found, LOCATIONS));
      const owed = entries.flatMap((entry) => entry.lines).filter((line) => line.account === '2000');
      expect(owed.reduce((sum, line) => sum + line.credit - line.debit, 0)).toBe(shape.total);
    }
  });

  it.each([
    ['nothing at all', command(100, []), { code: 'supplier_bill_empty' }],
    [
      'an account outside the operating expenses',
      command(300, [expense('6100', 100), expense('5200', 100), expense('6900', 100)]),
      {
        code: 'bill_expense_account_invalid',
        lines: [
          { line: 2, account: '5200' },
          { line: 3, account: '6900' },
        ],
        accepted: BILL_EXPENSE_ACCOUNTS.map((account) => account.code),
      },
    ],
    ['an unknown code', command(100, [expense('rent', 100)]), { code: 'bill_expense_account_invalid' }],
    [
      'an unknown location',
      command(200, [expense('6100', 100, 'S9'), expense('6100', 100, 'S9')]),
      { code: 'unknown_location', locations: ['S9'] },
    ],
    [
      'expenses alone below the total',
      command(1_000, [expense('6100', 999)]),
      { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 999 },
    ],
    [
      'expenses alone above the total',
      command(1_000, [expense('6100', 600), expense('6200', 600)]),
      { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 1_200 },
    ],
    [
      'expenses beside goods above the total',
      command(1_000, [expense('6300', 1_001)], ['a']),
      { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 1_001 },
    ],
  ])('refuses %s', (_name, bill, problem) => {
    expect(refusal(bill, [receipt('a')])).toMatchObject(problem);
  });

  it('tells a retry from another bill by its expenses, and hashes a bill of goods as before expenses', () => {
    const goods = { ...command(2_500, [], ['a', 'b']), invoicedAt: undefined, dueAt: undefined };
    const { expenses: _none, ...asBefore } = goods;
    // The fingerprint bills recorded before expenses were stored with.
    const before = fingerprintOf(['landlord', null, 'L-2026-11', 'EUR', null, null, ['a', 'b'], 2_500]);
    expect(billFingerprint(asBefore)).toBe(before);
    expect(billFingerprint(goods)).toBe(before);
    const rent = command(1_000, [expense('6100', 1_000, 'S1')]);
    expect(billFingerprint({ ...rent })).toBe(billFingerprint(rent));
    expect(billFingerprint({ ...rent, receipts: undefined })).toBe(billFingerprint(rent));
    for (const changed of [
      { ...expense('6100', 1_000, 'S1'), description: 'Rent December' },
      expense('6100', 1_000, 'S2'),
      expense('6100', 1_000),
      expense('6200', 1_000, 'S1'),
    ])
      expect(billFingerprint({ ...rent, expenses: [changed] })).not.toBe(billFingerprint(rent));
  });
});
