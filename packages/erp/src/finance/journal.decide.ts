import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
  ShiftClosedV1Data,
  StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import { mulDivRound } from '@tillstream/pricing';
import { ACCOUNTS, tenderAccount, type AccountCode } from './accounts.js';

export interface JournalLine {
  account: AccountCode;
  debit: number;
  credit: number;
}

export type EntryKind =
  'sale' | 'return' | 'online_order' | 'online_refund' | 'stored_value_sold' | 'cash_over_short';

/** One balanced journal entry: what a source document did to the accounts, in minor units of `currency`. */
export interface JournalEntry {
  kind: EntryKind;
  /** The source document: sale, return, order, refund or issue id; `<shiftId>#<revision>` for a shift. */
  sourceId: string;
  /** The store it happened at; null for the online channel. */
  locationId: string | null;
  /** `pos` for store documents, else the online channel's name. */
  channel: string;
  occurredAt: string;
  currency: string;
  lines: JournalLine[];
}

/**
 * The parts-per-million of a tax rate included in a line's price, or null when the line's price includes no
 * tax (an added tax is on the document itself). ERP's pricing rules know it; the documents do not carry it.
 */
export type IncludedTaxRate = (sku: string) => number | null;

const PPM = 1_000_000;

/**
 * Collects amounts per account, then makes one line per account on the side its net falls (a negative debit
 * is a credit: lines carry no signs), zeros dropped. What does not balance goes to suspense, so a document
 * that breaks its own arithmetic still posts, visibly, and the ledger as a whole always balances.
 */
function posting() {
  const net = new Map<AccountCode, number>();
  const add = (account: AccountCode, amount: number) => net.set(account, (net.get(account) ?? 0) + amount);
  return {
    debit: (account: AccountCode, amount: number) => add(account, amount),
    credit: (account: AccountCode, amount: number) => add(account, -amount),
    lines(): JournalLine[] {
      let difference = 0;
      for (const amount of net.values()) difference += amount;
      if (difference !== 0) add(ACCOUNTS.suspense.code, -difference);
      return [...net]
        .filter(([, amount]) => amount !== 0)
        .map(([account, amount]) => ({ account, debit: Math.max(amount, 0), credit: Math.max(-amount, 0) }))
        .sort((a, b) => a.account.localeCompare(b.account));
    },
  };
}

/**
 * A line's gross, discount and tax with the tax taken out of an inclusive price: revenue is booked net of the
 * tax collected for the state. The included tax of the line total is split between gross and discount so
 * that gross − discount + tax is the line total to the unit.
 */
function splitLine(
  gross: number,
  lineTotal: number,
  addedTax: number | undefined,
  includedPpm: number | null,
): { gross: number; discount: number; tax: number } {
  const discount = gross - lineTotal;
  if (addedTax !== undefined || includedPpm === null || includedPpm === 0 || lineTotal <= 0) {
    return { gross, discount, tax: addedTax ?? 0 };
  }
  const tax = mulDivRound(lineTotal, includedPpm, PPM + includedPpm);
  const taxOfGross = gross > 0 ? mulDivRound(gross, includedPpm, PPM + includedPpm) : 0;
  return { gross: gross - taxOfGross, discount: discount - (taxOfGross - tax), tax };
}

/** A store sale: each tender debited where its money sits, sales credited net of tax, promotions shown apart. */
export function saleEntry(sale: SaleCompletedV1Data, includedRate: IncludedTaxRate): JournalEntry {
  const entry = posting();
  for (const payment of sale.payments) entry.debit(tenderAccount(payment.method), payment.amount);
  for (const line of sale.lines) {
    const split = splitLine(
      line.quantity * line.unitPrice,
      line.lineTotal,
      line.tax?.amount,
      includedRate(line.sku),
    );
    entry.credit(ACCOUNTS.sales.code, split.gross);
    entry.debit(ACCOUNTS.discounts.code, split.discount);
    entry.credit(ACCOUNTS.salesTax.code, split.tax);
  }
  return {
    kind: 'sale',
    sourceId: sale.saleId,
    locationId: sale.storeId,
    channel: 'pos',
    occurredAt: sale.occurredAt,
    currency: sale.currency,
    lines: entry.lines(),
  };
}

/** A store return: returns and the tax given back debited, each refund credited to where the money left. */
export function returnEntry(ret: ReturnCompletedV1Data, includedRate: IncludedTaxRate): JournalEntry {
  const entry = posting();
  for (const line of ret.lines) {
    // A returned line's added tax is refunded on top of its total; an included one is inside it.
    const split = splitLine(line.lineTotal, line.lineTotal, line.tax, includedRate(line.sku));
    entry.debit(ACCOUNTS.returns.code, split.gross);
    entry.debit(ACCOUNTS.salesTax.code, split.tax);
  }
  for (const refund of ret.refunds) entry.credit(tenderAccount(refund.method), refund.amount);
  return {
    kind: 'return',
    sourceId: ret.returnId,
    locationId: ret.storeId,
    channel: 'pos',
    occurredAt: ret.occurredAt,
    currency: ret.currency,
    lines: entry.lines(),
  };
}

/**
 * An online order, booked as a sale when it is paid and placed (the payment provider owes its total). What
 * the total holds beyond the lines' totals is tax added on top of them.
 */
export function onlineOrderEntry(order: OrderPlacedV1Data, includedRate: IncludedTaxRate): JournalEntry {
  const entry = posting();
  entry.debit(ACCOUNTS.providerReceivable.code, order.total);
  let linesTotal = 0;
  for (const line of order.lines) {
    linesTotal += line.lineTotal;
    const split = splitLine(
      line.quantity * line.unitPrice,
      line.lineTotal,
      undefined,
      includedRate(line.sku),
    );
    entry.credit(ACCOUNTS.sales.code, split.gross);
    entry.debit(ACCOUNTS.discounts.code, split.discount);
    entry.credit(ACCOUNTS.salesTax.code, split.tax);
  }
  if (order.total > linesTotal) entry.credit(ACCOUNTS.salesTax.code, order.total - linesTotal);
  return {
    kind: 'online_order',
    sourceId: order.orderId,
    locationId: null,
    channel: order.channel,
    occurredAt: order.placedAt,
    currency: order.currency,
    lines: entry.lines(),
  };
}

/** What an online order's entry booked: its total and the tax in it, to give the tax back in proportion. */
export interface OrderBooked {
  channel: string;
  total: number;
  tax: number;
}

/**
 * An online refund: the provider pays it back. The tax in it is the order's tax share of the amount, so a
 * full refund gives back exactly the tax the order booked. Without the order's entry (it was placed before
 * the journal existed) the refund is booked as returns whole.
 */
export function onlineRefundEntry(refund: OrderRefundedV1Data, order: OrderBooked | null): JournalEntry {
  const entry = posting();
  const tax = order && order.total > 0 ? mulDivRound(refund.amount, order.tax, order.total) : 0;
  entry.debit(ACCOUNTS.returns.code, refund.amount - tax);
  entry.debit(ACCOUNTS.salesTax.code, tax);
  entry.credit(ACCOUNTS.providerReceivable.code, refund.amount);
  return {
    kind: 'online_refund',
    sourceId: refund.refundId,
    locationId: null,
    channel: order?.channel ?? 'web',
    occurredAt: refund.refundedAt,
    currency: refund.currency,
    lines: entry.lines(),
  };
}

/**
 * A gift card sold or topped up: its tenders debited, the value owed to its holder credited. It is not
 * revenue until spent, and spending it is a tender of the sale that does. Store credit given on a return is
 * the return's refund, booked there, so only sold value posts here.
 */
export function storedValueSoldEntry(
  issued: StoredValueIssuedV1Data,
  issueId: string,
  payments: readonly { method: string; amount: number }[] | undefined,
): JournalEntry | null {
  if (issued.cause.kind !== 'sold') return null;
  const entry = posting();
  if (payments && payments.length > 0) {
    for (const payment of payments) entry.debit(tenderAccount(payment.method), payment.amount);
  } else {
    entry.debit(ACCOUNTS.otherTenders.code, issued.amount);
  }
  entry.credit(ACCOUNTS.storedValue.code, issued.amount);
  return {
    kind: 'stored_value_sold',
    sourceId: issueId,
    locationId: issued.storeId,
    channel: 'pos',
    occurredAt: issued.occurredAt,
    currency: issued.currency,
    lines: entry.lines(),
  };
}

/**
 * A closed shift's counted cash against what the drawer should hold. A late sale revises the report, so
 * each revision posts only the change from what earlier revisions of the shift already booked.
 */
export function overShortEntry(shift: ShiftClosedV1Data, alreadyBooked: number): JournalEntry | null {
  const overShort = shift.report.cash.overShort;
  if (overShort === null) return null;
  const change = overShort - alreadyBooked;
  if (change === 0) return null;
  const entry = posting();
  if (change > 0) {
    entry.debit(ACCOUNTS.cash.code, change);
    entry.credit(ACCOUNTS.overShort.code, change);
  } else {
    entry.debit(ACCOUNTS.overShort.code, -change);
    entry.credit(ACCOUNTS.cash.code, -change);
  }
  return {
    kind: 'cash_over_short',
    sourceId: `${shift.shiftId}#${shift.revision}`,
    locationId: shift.storeId,
    channel: 'pos',
    occurredAt: shift.closedAt,
    currency: shift.currency,
    lines: entry.lines(),
  };
}

/** Debits equal credits: true of every entry these functions make. */
export function isBalanced(lines: readonly JournalLine[]): boolean {
  let difference = 0;
  for (const line of lines) difference += line.debit - line.credit;
  return difference === 0;
}
