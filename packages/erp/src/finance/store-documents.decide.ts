import type {
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
  ShiftClosedV1Data,
  StoredValueExceptionRaisedV1Data,
  StoredValueExpiredV1Data,
  StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import { ACCOUNTS, tenderAccount } from './accounts.js';
import {
  NO_TAX,
  posting,
  taxInside,
  type JournalEntry,
  type LineTax,
  type TaxRateOf,
} from './journal.decide.js';

/**
 * The tax of a sale line: what the till added on top, or what a rate included in the price puts inside its
 * total (the rate the sale was priced with: ERP's pricing at the sale, or the snapshot the till named).
 */
export function saleLineTax(line: SaleCompletedV1Data['lines'][number], includedRate: TaxRateOf): LineTax {
  if (line.tax) return { amount: line.tax.amount, ratePpm: line.tax.ratePpm, included: false };
  const ppm = includedRate(line.sku);
  return { amount: taxInside(line.lineTotal, ppm), ratePpm: ppm, included: ppm !== null };
}

/**
 * A store sale: each tender debited where its money sits, sales credited net of tax, promotions shown apart,
 * and the cash rounding (the cash taken above or below what was due) credited to its own account: neither the
 * price of the goods nor tax on them, so sales and tax are booked as if it were not there.
 */
export function saleEntry(sale: SaleCompletedV1Data, taxes: readonly LineTax[]): JournalEntry {
  const entry = posting();
  for (const payment of sale.payments) entry.debit(tenderAccount(payment.method), payment.amount);
  sale.lines.forEach((line, index) => {
    const tax = taxes[index] ?? NO_TAX;
    // An added tax is paid on top of the line's total; an included one is inside it.
    entry.sold(line.quantity * line.unitPrice, line.lineTotal + (line.tax?.amount ?? 0), tax);
  });
  entry.credit(ACCOUNTS.cashRounding.code, sale.cashRounding ?? 0);
  return {
    kind: 'sale',
    sourceId: sale.saleId,
    locationId: sale.storeId,
    channel: 'pos',
    occurredAt: sale.occurredAt,
    currency: sale.currency,
    lines: entry.lines(),
    taxBases: entry.taxBases(),
  };
}

/** The tax a returned line gives back, and its rate (null: not known). */
export interface ReturnedTax {
  amount: number;
  ratePpm: number | null;
}

/**
 * A store return: what the goods sold for debited to returns and the tax in it given back, each refund
 * credited to where the money went, and the cash rounding (paid out above or below the refund due) debited to
 * its account. The share of the sale a card never paid (`uncollected`, not refunded) is credited back to the
 * shortfall written off: those goods came back, so that much of the loss is undone. `taxes[i]` is line i's
 * tax (the consumer works it out from the sale).
 */
export function returnEntry(ret: ReturnCompletedV1Data, taxes: readonly ReturnedTax[]): JournalEntry {
  const entry = posting();
  ret.lines.forEach((line, index) => {
    const tax = taxes[index] ?? { amount: 0, ratePpm: null };
    // A returned line's added tax is refunded on top of its total; an included one is inside it.
    entry.returned(line.lineTotal + (line.tax ?? 0), tax.amount, tax.ratePpm);
  });
  for (const refund of ret.refunds) entry.credit(tenderAccount(refund.method), refund.amount);
  entry.credit(ACCOUNTS.storedValueShortfall.code, ret.uncollected ?? 0);
  entry.debit(ACCOUNTS.cashRounding.code, ret.cashRounding ?? 0);
  return {
    kind: 'return',
    sourceId: ret.returnId,
    locationId: ret.storeId,
    channel: 'pos',
    occurredAt: ret.occurredAt,
    currency: ret.currency,
    lines: entry.lines(),
    taxBases: entry.taxBases(),
  };
}

/**
 * A gift card sold or topped up: its tenders debited, the value owed to its holder credited. It is not
 * revenue until spent, and spending it is a tender of the sale that does. Store credit given on a return is
 * the return's refund, booked there, so only sold value posts here. Cash rounding (the cash taken above or
 * below what was due) is no value on the card: it goes to its own account, as on a sale.
 */
export function storedValueSoldEntry(issued: StoredValueIssuedV1Data): JournalEntry | null {
  if (issued.cause.kind !== 'sold') return null;
  const entry = posting();
  const rounding = issued.cashRounding ?? 0;
  if (issued.payments && issued.payments.length > 0) {
    for (const payment of issued.payments) entry.debit(tenderAccount(payment.method), payment.amount);
  } else {
    entry.debit(ACCOUNTS.otherTenders.code, issued.amount + rounding);
  }
  entry.credit(ACCOUNTS.storedValue.code, issued.amount);
  entry.credit(ACCOUNTS.cashRounding.code, rounding);
  return {
    kind: 'stored_value_sold',
    sourceId: issued.cause.reference,
    locationId: issued.storeId,
    channel: 'pos',
    occurredAt: issued.occurredAt,
    currency: issued.currency,
    lines: entry.lines(),
    taxBases: [],
  };
}

/**
 * An offline sale spent more of a card than it held (or a card nobody issued): the sale debited the liability
 * with the whole payment, but only `covered` came off cards. The shortfall is put back on the liability and
 * written off, where the exception is reviewed.
 */
export function storedValueShortfallEntry(exception: StoredValueExceptionRaisedV1Data): JournalEntry | null {
  if (exception.shortfall <= 0) return null;
  const entry = posting();
  entry.debit(ACCOUNTS.storedValueShortfall.code, exception.shortfall);
  entry.credit(ACCOUNTS.storedValue.code, exception.shortfall);
  return {
    kind: 'stored_value_shortfall',
    sourceId: exception.exceptionId,
    locationId: exception.storeId,
    channel: 'pos',
    occurredAt: exception.occurredAt,
    currency: exception.currency,
    lines: entry.lines(),
    taxBases: [],
  };
}

/**
 * A card reached its expiry with value left: that value is no longer owed to anyone, so it leaves the
 * liability as breakage income at the store that sold it. Unique per card and account version.
 */
export function storedValueExpiredEntry(expired: StoredValueExpiredV1Data): JournalEntry | null {
  if (expired.amount <= 0) return null;
  const entry = posting();
  entry.debit(ACCOUNTS.storedValue.code, expired.amount);
  entry.credit(ACCOUNTS.breakage.code, expired.amount);
  return {
    kind: 'stored_value_expired',
    sourceId: `${expired.number}#${expired.version}`,
    locationId: expired.storeId,
    channel: 'pos',
    occurredAt: expired.expiresAt,
    currency: expired.currency,
    lines: entry.lines(),
    taxBases: [],
  };
}

/** What the journal has booked of a shift: the newest revision seen (0: none yet) and its over (+) or short (−). */
export interface ShiftBooked {
  revision: number;
  overShort: number;
}

/**
 * A closed shift's counted cash against what the drawer should hold. A late sale revises the report, so each
 * revision posts the change from the newest one booked before it; an older or repeated revision, arriving
 * late or again, changes nothing. `booked` is what the caller records as the newest revision afterwards.
 */
export function overShortEntry(
  shift: ShiftClosedV1Data,
  before: ShiftBooked,
): { entry: JournalEntry | null; booked: ShiftBooked | null } {
  if (shift.revision <= before.revision) return { entry: null, booked: null };
  // Cash not counted (yet): nothing to compare, what was booked stands.
  const overShort = shift.report.cash.overShort ?? before.overShort;
  const booked = { revision: shift.revision, overShort };
  const change = overShort - before.overShort;
  if (change === 0) return { entry: null, booked };
  const entry = posting();
  entry.debit(ACCOUNTS.cash.code, change);
  entry.credit(ACCOUNTS.overShort.code, change);
  return {
    entry: {
      kind: 'cash_over_short',
      sourceId: `${shift.shiftId}#${shift.revision}`,
      locationId: shift.storeId,
      channel: 'pos',
      occurredAt: shift.closedAt,
      currency: shift.currency,
      lines: entry.lines(),
      taxBases: [],
    },
    booked,
  };
}
