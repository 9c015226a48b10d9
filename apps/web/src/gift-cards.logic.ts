import { TerminalError, type Terminal } from '@tillstream/pos-client/browser';
import { parseAmount } from './money.js';

export type GiftCardSaleInput = Parameters<Terminal['sellGiftCard']>[0];
/** The issue the SDK numbered and sent; handed back as `retry` when its answer was lost. */
export type PendingIssue = NonNullable<GiftCardSaleInput['retry']>;

/** Stored value cannot pay for stored value (the server refuses it): only ordinary tenders are offered. */
export type GiftCardPayment = 'cash' | 'card';

/** What the cashier typed on the gift card screen. */
export interface GiftCardForm {
  number: string;
  amount: string;
  /** `YYYY-MM-DD` from a date input; empty: the card does not expire. */
  expiresOn: string;
  payment: GiftCardPayment;
  /** Cash handed over; empty: exactly what is due. */
  cashGiven: string;
}

export const EMPTY_FORM: GiftCardForm = {
  number: '',
  amount: '',
  expiresOn: '',
  payment: 'cash',
  cashGiven: '',
};

export interface CheckedGiftCard {
  /** The request for `terminal.sellGiftCard`; null while something is missing or wrong. */
  sale: GiftCardSaleInput | null;
  /** Minor units to load, once the amount is one. */
  amount: number | null;
  /** What the customer pays in cash: the amount rounded as the store rounds cash. */
  cashDue: number | null;
  /** The first thing to fix, for the cashier; null when the sale can go. */
  problem: string | null;
}

// The server's pattern for a card number (contracts' StoredValueNumber): checked here so a typo is not sent.
export const CARD_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The instant a card printed "valid until `date`" stops: the end of that day in the till's time zone, which is
 * the start of the next day. Null when it is not a calendar date.
 */
export function expiryInstant(date: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const start = new Date(year, month, day);
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== day) return null;
  return new Date(year, month, day + 1).toISOString();
}

/**
 * Checks the form and builds the sale as the SDK takes it. `cashDueOf` is the terminal's `cashDue` (the
 * store's rounding); cash covering the unrounded amount (exact coins) is taken too, as the SDK settles it.
 */
export function checkGiftCardSale(
  form: GiftCardForm,
  cashDueOf: (due: number) => number,
  now: Date,
): CheckedGiftCard {
  const number = form.number.trim();
  const amount = parseAmount(form.amount);
  const cashDue = amount !== null && amount > 0 ? cashDueOf(amount) : null;
  const refuse = (problem: string): CheckedGiftCard => ({ sale: null, amount, cashDue, problem });
  if (number === '') return refuse('Scan or type the card number');
  if (!CARD_NUMBER.test(number))
    return refuse('A card number is letters, digits, dots, dashes or underscores');
  if (amount === null || amount <= 0) return refuse('Type the amount to load, e.g. 25.00');
  let expiresAt: string | undefined;
  if (form.expiresOn.trim() !== '') {
    const instant = expiryInstant(form.expiresOn);
    if (instant === null) return refuse('The expiry is not a date');
    if (Date.parse(instant) <= now.getTime()) return refuse('The expiry date has passed');
    expiresAt = instant;
  }
  let tenders: GiftCardSaleInput['tenders'] = [{ method: 'card' }];
  if (form.payment === 'cash') {
    const due = cashDue ?? amount;
    const given = form.cashGiven.trim() === '' ? due : parseAmount(form.cashGiven);
    if (given === null) return refuse('The cash given is not an amount');
    if (given < Math.min(amount, due)) return refuse('The cash given is less than is due');
    tenders = [{ method: 'cash', tendered: given }];
  }
  return {
    sale: { number, amount, tenders, ...(expiresAt === undefined ? {} : { expiresAt }) },
    amount,
    cashDue,
    problem: null,
  };
}

/** Why a gift card sale failed, for the screen; `retry` when it may have reached the server and must be resent. */
export interface GiftCardFailure {
  message: string;
  code: string | null;
  retry: PendingIssue | null;
}

export function giftCardFailure(failure: unknown): GiftCardFailure {
  if (failure instanceof TerminalError) {
    // Offline or unanswered: the issue is numbered and may be recorded; only resending it (same id) is safe.
    const issue = (failure as TerminalError & { issue?: PendingIssue }).issue ?? null;
    // The server's own code, where the SDK gathers it under a broader one: "stored_value_expired" tells more.
    return { message: failure.message, code: failure.reason ?? failure.code, retry: issue };
  }
  return { message: `Not sold: ${(failure as Error).message}`, code: null, retry: null };
}

/** What the result panel shows once the server recorded the card. */
export interface GiftCardSold {
  number: string;
  amount: number;
  /** The cash paid, rounded; null when paid by card. */
  cashPaid: number | null;
  cashRounding: number;
  change: number;
  receiptNo: string;
}

export function soldSummary(sold: { issue: PendingIssue; change: number }): GiftCardSold {
  const cash = sold.issue.payments.filter((payment) => payment.method === 'cash');
  return {
    number: sold.issue.number,
    amount: sold.issue.amount,
    cashPaid: cash.length > 0 ? cash.reduce((sum, payment) => sum + payment.amount, 0) : null,
    cashRounding: sold.issue.cashRounding ?? 0,
    change: sold.change,
    receiptNo: sold.issue.receiptNo,
  };
}
