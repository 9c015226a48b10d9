import type { ZReport } from '@tillstream/contracts';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { Issue } from '../stored-value/stored-value.decide.js';
import type { Shift } from './shift.decide.js';

export interface Received<T> {
  document: T;
  receivedAt: string;
}

/** `T1-3-12` sorts after `T1-3-9`: by the number after the last dash, then by the whole string. */
function byReceiptNumber(left: string, right: string): number {
  const number = (receipt: string) => Number(receipt.slice(receipt.lastIndexOf('-') + 1)) || 0;
  return number(left) - number(right) || (left < right ? -1 : left > right ? 1 : 0);
}

const STORED_VALUE = new Set(['gift_card', 'store_credit']);

/**
 * The Z-report of a shift from its documents, whenever they arrived. Every figure is a sum over them, so the
 * report always adds up: sales net + tax + gift cards sold − returns = net = Σ tenders net; expected cash =
 * float + cash in − cash out.
 */
export function zReport(
  shift: Shift,
  sales: readonly Received<Sale>[],
  returns: readonly Received<SaleReturn>[],
  issues: readonly Received<Issue>[] = [],
): ZReport {
  const tenders = new Map<string, { method: string; sales: number; refunds: number; net: number }>();
  const tender = (method: string) => {
    const entry = tenders.get(method) ?? { method, sales: 0, refunds: 0, net: 0 };
    tenders.set(method, entry);
    return entry;
  };
  const tally = () => ({ count: 0, amount: 0 });
  const storedValue = { sold: tally(), refunded: tally(), redeemed: tally() };
  const offlineCard = tally();
  const count = (into: { count: number; amount: number }, amount: number) => {
    into.count += 1;
    into.amount += amount;
  };
  let gross = 0;
  let discounts = 0;
  let net = 0;
  let tax = 0;
  for (const { document } of sales) {
    for (const line of document.lines) {
      gross += line.quantity * line.unitPrice;
      discounts += line.discount ?? 0;
    }
    tax += document.tax ?? 0;
    net += document.total - (document.tax ?? 0);
    for (const payment of document.payments) {
      tender(payment.method).sales += payment.amount;
      if (STORED_VALUE.has(payment.method)) count(storedValue.redeemed, payment.amount);
      if (payment.offline) count(offlineCard, payment.amount);
    }
  }
  let returned = 0;
  for (const { document } of returns) {
    returned += document.total;
    for (const refund of document.refunds) {
      tender(refund.method).refunds += refund.amount;
      if (STORED_VALUE.has(refund.method)) count(storedValue.refunded, refund.amount);
    }
  }
  for (const { document } of issues) {
    count(storedValue.sold, document.amount);
    for (const payment of document.payments) {
      tender(payment.method).sales += payment.amount;
      if (payment.offline) count(offlineCard, payment.amount);
    }
  }
  for (const entry of tenders.values()) entry.net = entry.sales - entry.refunds;

  const cash = tenders.get('cash') ?? { sales: 0, refunds: 0 };
  const expected = shift.openingFloat === null ? null : shift.openingFloat + cash.sales - cash.refunds;
  const receipts = [...sales, ...returns, ...issues]
    .map(({ document }) => document.receiptNo)
    .filter((receipt): receipt is string => receipt !== undefined)
    .sort(byReceiptNumber);
  const late = [...sales, ...returns, ...issues].filter(
    ({ receivedAt }) => shift.closeReceivedAt !== null && receivedAt > shift.closeReceivedAt,
  ).length;
  return {
    sales: { count: sales.length, gross, discounts, net, ...(tax > 0 ? { tax } : {}) },
    returns: { count: returns.length, total: returned },
    net: net + tax + storedValue.sold.amount - returned,
    tenders: [...tenders.values()].sort((left, right) => (left.method < right.method ? -1 : 1)),
    cash: {
      openingFloat: shift.openingFloat,
      sales: cash.sales,
      refunds: cash.refunds,
      expected,
      counted: shift.countedCash,
      overShort: expected === null || shift.countedCash === null ? null : shift.countedCash - expected,
    },
    receipts: { first: receipts[0] ?? null, last: receipts.at(-1) ?? null },
    lateTransactions: late,
    storedValue,
    offlineCard,
  };
}
