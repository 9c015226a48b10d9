import type { ZReport } from '@tillstream/contracts';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { Issue } from '../stored-value/stored-value.decide.js';
import type { Shift } from './shift.decide.js';
import { taxesByRate } from './z-report.taxes.js';

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

/** Acquirers decline an offline card payment uploaded more than a day after it was taken. */
const OFFLINE_CARD_WINDOW_MS = 24 * 3_600_000;
const reachedLate = (received: Received<{ occurredAt: string }>) =>
  Date.parse(received.receivedAt) - Date.parse(received.document.occurredAt) > OFFLINE_CARD_WINDOW_MS;

type Rounded = Pick<Sale, 'cashRounding' | 'cashRoundingRule'>;

/**
 * What cash rounding did over a shift's sales and returns: the cash figures count cash as it changed hands, so
 * a drawer of rounded sales closes without over or short, and this shows how much of it was rounding. A gift
 * card sold is takings like a sale (its tenders count as sales), so its rounding counts with theirs.
 */
function cashRoundingOf(
  sales: readonly Received<Sale>[],
  returns: readonly Received<SaleReturn>[],
  issues: readonly Received<Issue>[],
): Pick<ZReport, 'cashRounding'> {
  const rounded = [...sales, ...returns, ...issues].filter(({ document }) => document.cashRounding);
  if (rounded.length === 0) return {};
  const sum = (documents: readonly Received<Rounded>[]) =>
    documents.reduce((total, { document }) => total + (document.cashRounding ?? 0), 0);
  const salesRounding = sum(sales) + sum(issues);
  const returnsRounding = sum(returns);
  const former = rounded.filter(({ document }) => document.cashRoundingRule?.current === false).length;
  return {
    cashRounding: {
      sales: salesRounding,
      returns: returnsRounding,
      net: salesRounding - returnsRounding,
      ...(former > 0 ? { formerRule: { count: former } } : {}),
    },
  };
}

/**
 * The Z-report of a shift from its documents, whenever they arrived. Every figure is a sum over them, so the
 * report always adds up: sales net + tax + gift cards sold − returns + what returns left uncollected + cash
 * rounding = net = Σ tenders net (a sale's gift card counts in full under its tender, collected or not);
 * expected cash = float + cash in − cash out, cash as it changed hands (rounded). Documents in another currency than the shift's are left out: they are refused
 * against a shift POS knows, but one may have arrived before its shift did.
 */
export function zReport(
  shift: Shift,
  allSales: readonly Received<Sale>[],
  allReturns: readonly Received<SaleReturn>[],
  allIssues: readonly Received<Issue>[] = [],
  quarantined: readonly unknown[] = [],
): ZReport {
  const inCurrency = <T extends { currency: string }>(documents: readonly Received<T>[]) =>
    documents.filter(({ document }) => document.currency === shift.currency);
  const sales = inCurrency(allSales);
  const returns = inCurrency(allReturns);
  const issues = inCurrency(allIssues);
  const tenders = new Map<string, { method: string; sales: number; refunds: number; net: number }>();
  const tender = (method: string) => {
    const entry = tenders.get(method) ?? { method, sales: 0, refunds: 0, net: 0 };
    tenders.set(method, entry);
    return entry;
  };
  const tally = () => ({ count: 0, amount: 0 });
  const storedValue = { sold: tally(), refunded: tally(), redeemed: tally() };
  const offlineCard = tally();
  const lateOfflineCard = tally();
  const count = (into: { count: number; amount: number }, amount: number) => {
    into.count += 1;
    into.amount += amount;
  };
  let gross = 0;
  let discounts = 0;
  let net = 0;
  let tax = 0;
  for (const received of sales) {
    const { document } = received;
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
      if (payment.offline && reachedLate(received)) count(lateOfflineCard, payment.amount);
    }
  }
  let returned = 0;
  let uncollected = 0;
  for (const { document } of returns) {
    returned += document.total;
    uncollected += document.uncollected ?? 0;
    for (const refund of document.refunds) {
      tender(refund.method).refunds += refund.amount;
      if (STORED_VALUE.has(refund.method)) count(storedValue.refunded, refund.amount);
    }
  }
  for (const received of issues) {
    const { document } = received;
    count(storedValue.sold, document.amount);
    for (const payment of document.payments) {
      tender(payment.method).sales += payment.amount;
      if (payment.offline) count(offlineCard, payment.amount);
      if (payment.offline && reachedLate(received)) count(lateOfflineCard, payment.amount);
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
  const taxes = taxesByRate(
    sales.map(({ document }) => document),
    returns.map(({ document }) => document),
  );
  const rounding = cashRoundingOf(sales, returns, issues);
  return {
    sales: { count: sales.length, gross, discounts, net, ...(tax > 0 ? { tax } : {}) },
    returns: { count: returns.length, total: returned, ...(uncollected > 0 ? { uncollected } : {}) },
    ...(taxes ? { taxes } : {}),
    net: net + tax + storedValue.sold.amount - returned + uncollected + (rounding.cashRounding?.net ?? 0),
    ...rounding,
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
    offlineCard: { ...offlineCard, ...(lateOfflineCard.count > 0 ? { late: lateOfflineCard } : {}) },
    ...quarantinedRefunds(shift, quarantined),
  };
}

const isAmount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Refunds of returns the server quarantined (kept as sent, so read with care: a body may be malformed) that name
 * this shift: the till paid them out, so they explain a shortage the report's own figures cannot.
 */
function quarantinedRefunds(shift: Shift, payloads: readonly unknown[]): Pick<ZReport, 'quarantinedRefunds'> {
  const tally = { count: 0, amount: 0, cash: 0 };
  for (const payload of payloads) {
    const sent = payload as { shiftId?: unknown; currency?: unknown; refunds?: unknown };
    if (sent?.shiftId !== shift.id || sent.currency !== shift.currency || !Array.isArray(sent.refunds))
      continue;
    const refunds = (sent.refunds as Array<{ method?: unknown; amount?: unknown }>).filter(
      (refund) => refund !== null && typeof refund === 'object' && isAmount(refund.amount),
    );
    tally.count += 1;
    for (const refund of refunds) {
      tally.amount += refund.amount as number;
      if (refund.method === 'cash') tally.cash += refund.amount as number;
    }
  }
  return tally.count > 0 ? { quarantinedRefunds: tally } : {};
}
