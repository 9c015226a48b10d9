import { unprocessable } from '@tillstream/kernel';
import { BILL_EXPENSE_ACCOUNTS, isBillExpenseAccount, type BillExpenseAccount } from './accounts.js';

/** A line of a supplier's bill for something other than goods (rent, energy, cleaning …), as the API takes it. */
export interface BillExpenseRequest {
  account: string;
  /** Minor units of the bill's currency, more than 0. */
  amount: number;
  description: string;
  /** The store or warehouse it is for; left out: the business as a whole (a head office's fees). */
  locationId?: string;
}

export interface BilledExpense {
  account: BillExpenseAccount;
  amount: number;
  description: string;
  locationId: string | null;
}

const sum = (expenses: ReadonlyArray<{ amount: number }>) =>
  expenses.reduce((total, expense) => total + expense.amount, 0);

/**
 * A bill's expense lines, checked: each books an operating expense account (`BILL_EXPENSE_ACCOUNTS`) at a
 * location ERP knows (`knownLocations`: those of the named ones that exist). Expenses are taken at face value,
 * so on a bill of expenses only they must add up to its total exactly: a difference has nowhere honest to go.
 * On a bill with receipts too they may not exceed it: what is left is what the goods are billed at, and the
 * goods' difference to what they came in at is price variance, as without expenses.
 */
export function billedExpenses(
  bill: {
    total: number;
    receipts?: readonly string[] | undefined;
    expenses?: readonly BillExpenseRequest[] | undefined;
  },
  knownLocations: readonly string[],
): BilledExpense[] {
  const lines = bill.expenses ?? [];
  const wrong = lines.flatMap((line, index) =>
    isBillExpenseAccount(line.account) ? [] : [{ line: index + 1, account: line.account }],
  );
  if (wrong.length > 0)
    throw unprocessable(
      'bill_expense_account_invalid',
      `${[...new Set(wrong.map((line) => line.account))].join(', ')} are not accounts a bill may book expenses to`,
      { lines: wrong, accepted: BILL_EXPENSE_ACCOUNTS.map((account) => account.code) },
    );
  const known = new Set(knownLocations);
  const unknown = [
    ...new Set(lines.flatMap((line) => (line.locationId === undefined ? [] : [line.locationId]))),
  ].filter((locationId) => !known.has(locationId));
  if (unknown.length > 0)
    throw unprocessable('unknown_location', `No location ${unknown.join(', ')}`, { locations: unknown });
  const expensed = sum(lines);
  const withGoods = (bill.receipts ?? []).length > 0;
  if (withGoods ? expensed > bill.total : expensed !== bill.total)
    throw unprocessable(
      'bill_expense_total_mismatch',
      withGoods
        ? `The expenses (${expensed}) exceed the bill's total (${bill.total})`
        : `The expenses add up to ${expensed}, the bill's total is ${bill.total}`,
      { total: bill.total, expenses: expensed },
    );
  return lines.map((line) => ({
    account: line.account as BillExpenseAccount,
    amount: line.amount,
    description: line.description,
    locationId: line.locationId ?? null,
  }));
}

/** What a bill's goods and expenses put at one location (null: none), which its entry there books. */
export interface BillPart {
  locationId: string | null;
  /** What the part's receipts came in at on 2310. */
  matched: number;
  expenses: BilledExpense[];
  /** Its share of what the supplier is owed on 2000. */
  payable: number;
}

/**
 * A bill split by where its lines are: the goods where they came in (nowhere when at several locations, as
 * before expenses), each expense at its own location or none. The goods' part owes what the expenses leave
 * of the total; each other part owes exactly its expenses. Parts come nowhere first, then by location.
 */
export function billParts(bill: {
  total: number;
  matched: number;
  receipts: ReadonlyArray<{ locationId: string }>;
  expenses: readonly BilledExpense[];
}): BillPart[] {
  const parts = new Map<string | null, BillPart>();
  const partAt = (locationId: string | null) => {
    const part = parts.get(locationId) ?? { locationId, matched: 0, expenses: [], payable: 0 };
    parts.set(locationId, part);
    return part;
  };
  if (bill.receipts.length > 0) {
    const locations = new Set(bill.receipts.map((receipt) => receipt.locationId));
    const goods = partAt(locations.size === 1 ? [...locations][0]! : null);
    goods.matched = bill.matched;
    goods.payable = bill.total - sum(bill.expenses);
  }
  for (const expense of bill.expenses) {
    const part = partAt(expense.locationId);
    part.expenses.push(expense);
    part.payable += expense.amount;
  }
  // Location ids are never empty, so '' puts nowhere first; code units, not a locale, order the rest.
  const key = (part: BillPart) => part.locationId ?? '';
  return [...parts.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
