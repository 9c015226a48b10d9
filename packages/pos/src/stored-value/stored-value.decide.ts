import { conflict, fingerprintOf, notFound, unprocessable } from '@tillstream/kernel';
import {
  settleRounded,
  NO_CASH_ROUNDING,
  type CashRounded,
  type CashRoundingRule,
} from '../sales/cash-rounding.decide.js';
import { checkTenders, copyTender, STORED_VALUE_METHODS, type Tender } from '../sales/sale.decide.js';

export type StoredValueKind = 'gift_card' | 'store_credit';

/** A gift card or store credit: its balance always equals the sum of its movements and is never negative. */
export interface Account {
  number: string;
  kind: StoredValueKind;
  currency: string;
  balance: number;
  /** +1 per movement: the envelope sequence of its events. */
  version: number;
  issuedAt: string;
  updatedAt: string;
  /** When its value lapses; null: never. Set by the issue that sold it, moved later only by a top-up. */
  expiresAt: string | null;
  /** The store that last put value on it, where an expiry books its breakage; null for accounts untouched since. */
  storeId: string | null;
}

/** Selling a gift card (or topping one up), paid with ordinary tenders; an existing number is topped up. */
export interface IssueCommand {
  id: string;
  number: string;
  kind: StoredValueKind;
  amount: number;
  currency: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  payments: Tender[];
  /**
   * What rounding the cash due to the store's increment added (+) or took off (−), as on a sale: the payments
   * then add up to `amount` + this, and the card still takes `amount`. Absent or 0: not rounded.
   */
  cashRounding?: number;
  shiftId?: string;
  receiptNo?: string;
  /** The expiry printed on the card; absent: it does not expire. */
  expiresAt?: string;
}

export interface Issue extends IssueCommand {
  status: 'completed';
  /** The rule `cashRounding` was checked against; present with it. */
  cashRoundingRule?: CashRounded['cashRoundingRule'];
}

/** A terminal online takes value off a card before it completes the sale, so two tills cannot spend it twice. */
export interface RedemptionCommand {
  id: string;
  number: string;
  amount: number;
  currency: string;
  storeId: string;
  terminalId: string;
}

export interface Redemption extends RedemptionCommand {
  /**
   * `held`: debited, waiting for its sale; `claimed`: a sale used it; `cancelled`: credited back by the till;
   * `expired`: credited back by the sweeper because no sale claimed it in time.
   */
  status: 'held' | 'claimed' | 'cancelled' | 'expired';
  saleId: string | null;
  /** When an unclaimed hold goes back to its card: a till that crashed mid-sale cannot strand the value. */
  expiresAt: string;
}

/** The default life of an online hold: a sale completes seconds after its hold, a crashed till never does. */
export const DEFAULT_HOLD_SECONDS = 900;

/** When a hold placed at `now` expires. */
export const holdExpiresAt = (now: Date, holdSeconds: number) =>
  new Date(now.getTime() + holdSeconds * 1000).toISOString();

/** A hold the sweeper gives back: still held (no sale claimed it) and past its expiry. */
export const isExpiredHold = (redemption: Redemption, now: Date) =>
  redemption.status === 'held' && Date.parse(redemption.expiresAt) <= now.getTime();

export type ShortfallReason = 'insufficient_balance' | 'unknown_number' | 'currency_mismatch';

export const issueFingerprint = (command: IssueCommand) =>
  fingerprintOf([
    command.number,
    command.kind,
    command.amount,
    command.currency,
    command.storeId,
    command.terminalId,
    new Date(command.occurredAt).toISOString(),
    command.payments.map((tender) => [
      tender.method,
      tender.amount,
      tender.tendered ?? null,
      tender.reference ?? null,
    ]),
    command.shiftId ?? null,
    command.receiptNo ?? null,
    // Only when given: an issue without one keeps the fingerprint it had before cards could expire, so its
    // replay after an upgrade is still a replay.
    ...(command.expiresAt === undefined ? [] : [new Date(command.expiresAt).toISOString()]),
    // Tagged, and only when it rounds: an unrounded issue keeps the fingerprint it had before.
    ...(command.cashRounding ? [['cashRounding', command.cashRounding]] : []),
  ]);

export const redemptionFingerprint = (command: RedemptionCommand) =>
  fingerprintOf([command.number, command.amount, command.currency, command.storeId, command.terminalId]);

/** Value can go onto an account only in its own kind and currency. */
export function checkCreditable(
  account: Account | null,
  target: { number: string; kind: StoredValueKind; currency: string },
): void {
  if (!account) return;
  if (account.kind !== target.kind)
    throw conflict('stored_value_kind_mismatch', `${target.number} is a ${account.kind}`, {
      kind: account.kind,
    });
  if (account.currency !== target.currency)
    throw unprocessable('stored_value_currency_mismatch', `${target.number} holds ${account.currency}`, {
      currency: account.currency,
    });
}

/** Whether the account's value has lapsed by `at` (an instant). */
export const isExpired = (account: Pick<Account, 'expiresAt'>, at: string | Date) =>
  account.expiresAt !== null && Date.parse(account.expiresAt) <= new Date(at).getTime();

/** A card past its expiry takes no more value in and gives none out. */
function checkNotExpired(account: Account, at: string | Date): void {
  if (isExpired(account, at))
    throw unprocessable('stored_value_expired', `${account.number} expired at ${account.expiresAt}`, {
      expiresAt: account.expiresAt,
    });
}

/** A card whose expiry passed with value left: the sweeper lapses that value. */
export const hasLapsed = (account: Account, now: Date) => account.balance > 0 && isExpired(account, now);

/**
 * A refund goes onto store credit, opened on first use, or tops up a gift card that was sold: a gift card
 * number nobody issued would become a funded card that was never sold (and never paid for at the till). A
 * card past its expiry takes none: its value would lapse again at once.
 */
export function checkRefundable(
  account: Account | null,
  target: { number: string; kind: StoredValueKind; currency: string },
  at: string,
): void {
  if (!account && target.kind === 'gift_card')
    throw unprocessable(
      'gift_card_not_issued',
      // A refund that names no card (no `reference`) is asked of no card at all.
      target.number
        ? `No gift card ${target.number} was sold`
        : 'A refund to a gift card names it in reference',
    );
  checkCreditable(account, target);
  if (account) checkNotExpired(account, at);
}

/**
 * The expiry of a card after an issue: a new card takes the issue's (none: never); a top-up may only move it
 * later, so a card that does not expire keeps not expiring, and one without a new date keeps its own.
 */
export function expiryAfterIssue(existing: Account | null, command: IssueCommand): string | null {
  const asked = command.expiresAt === undefined ? null : new Date(command.expiresAt).toISOString();
  return expiryMovedTo(existing, asked);
}

/** A new card takes `asked`; an existing one keeps not expiring, or moves its expiry to `asked` if later. */
function expiryMovedTo(existing: Account | null, asked: string | null): string | null {
  if (!existing) return asked;
  if (existing.expiresAt === null || asked === null) return existing.expiresAt;
  return asked > existing.expiresAt ? asked : existing.expiresAt;
}

const DAY_MS = 86_400_000;

/**
 * The expiry of a card a return refunds onto. Store credit is valid `validityDays` from the return (0: for
 * ever), counted again from each later refund onto it, never shortened, and credit that never expired keeps
 * not expiring. A gift card keeps the expiry it was sold with.
 */
export function expiryAfterRefund(
  existing: Account | null,
  kind: StoredValueKind,
  returnedAt: string,
  validityDays: number,
): string | null {
  if (kind !== 'store_credit' || validityDays === 0) return existing?.expiresAt ?? null;
  return expiryMovedTo(existing, new Date(Date.parse(returnedAt) + validityDays * DAY_MS).toISOString());
}

/**
 * Decides selling (or topping up) a gift card: paid in full with ordinary tenders (not with another card's
 * value, which would only move a balance around while the Z-report counted it as takings). Cash may be rounded
 * by the store's `rounding` rule as on a sale; the card is loaded with `amount` whatever the coins came to.
 */
export function decideIssue(
  existing: Account | null,
  command: IssueCommand,
  rounding: CashRoundingRule = NO_CASH_ROUNDING,
): Issue {
  checkCreditable(existing, command);
  if (existing) checkNotExpired(existing, command.occurredAt);
  if (command.expiresAt !== undefined && Date.parse(command.expiresAt) <= Date.parse(command.occurredAt))
    throw unprocessable('invalid_expiry', `The card would expire at ${command.expiresAt}, before it is sold`);
  const stored = command.payments.findIndex((tender) => STORED_VALUE_METHODS.has(tender.method));
  if (stored >= 0)
    throw unprocessable(
      'stored_value_tender_not_allowed',
      `Payment ${stored + 1} is ${command.payments[stored]!.method}`,
    );
  checkTenders(command.payments);
  const rounded = settleRounded(
    command.cashRounding,
    command.amount,
    command.payments,
    rounding,
    (paid, payable, rounded) =>
      unprocessable(
        'payment_mismatch',
        `Payments add up to ${paid} but ${command.amount} is loaded${rounded ? `, ${payable} with its cash rounding` : ''}`,
        { total: command.amount, paid, ...(rounded ? { cashRounding: rounded.cashRounding } : {}) },
      ),
  );
  return {
    id: command.id,
    status: 'completed',
    number: command.number,
    kind: command.kind,
    amount: command.amount,
    currency: command.currency,
    storeId: command.storeId,
    terminalId: command.terminalId,
    occurredAt: new Date(command.occurredAt).toISOString(),
    payments: command.payments.map(copyTender),
    ...(rounded ?? {}),
    ...(command.shiftId ? { shiftId: command.shiftId } : {}),
    ...(command.receiptNo ? { receiptNo: command.receiptNo } : {}),
    ...(command.expiresAt ? { expiresAt: new Date(command.expiresAt).toISOString() } : {}),
  };
}

/**
 * An online redemption: the card must exist, be in the sale's currency, not be past its expiry at `now`, and
 * hold at least the amount.
 */
export function checkRedeemable(account: Account | null, command: RedemptionCommand, now: Date): Account {
  if (!account) throw notFound('stored_value_not_found', `No gift card or store credit ${command.number}`);
  if (account.currency !== command.currency)
    throw unprocessable('stored_value_currency_mismatch', `${command.number} holds ${account.currency}`, {
      currency: account.currency,
    });
  checkNotExpired(account, now);
  if (account.balance < command.amount)
    throw conflict('insufficient_balance', `${command.number} holds ${account.balance}`, {
      balance: account.balance,
    });
  return account;
}

/**
 * What a sale that spent a card offline takes off it when it arrives: everything it asked for if the balance
 * covers it, else what is left (down to zero, never below) and the rest is a shortfall to raise for review.
 * The sale itself stands: the customer left with the goods.
 */
export function planOfflineDebit(
  account: Account | null,
  amount: number,
  currency: string,
): { covered: number; shortfall: number; reason: ShortfallReason | null } {
  if (!account) return { covered: 0, shortfall: amount, reason: 'unknown_number' };
  if (account.currency !== currency) return { covered: 0, shortfall: amount, reason: 'currency_mismatch' };
  const covered = Math.min(account.balance, amount);
  return {
    covered,
    shortfall: amount - covered,
    reason: covered < amount ? 'insufficient_balance' : null,
  };
}

/**
 * How a sale's payment that names an online redemption is settled: `claim` the held debit (even past its expiry,
 * while the sweeper has not given it back), or `debit` now as if offline when the hold is gone (cancelled,
 * expired, or never reached the server): the sale stands, and a shortfall becomes an exception. A hold for
 * another card or amount, or one another sale used, is refused: the payment does not say what happened.
 */
export function settleWithRedemption(
  redemption: Redemption | null,
  tender: Tender,
  saleId: string,
): 'claim' | 'claimed' | 'debit' {
  if (!redemption || redemption.status === 'cancelled' || redemption.status === 'expired') return 'debit';
  if (redemption.number !== tender.reference || redemption.amount !== tender.amount)
    throw unprocessable(
      'stored_value_redemption_mismatch',
      `Redemption ${redemption.id} holds ${redemption.amount} of ${redemption.number}`,
    );
  if (redemption.status === 'claimed')
    if (redemption.saleId === saleId) return 'claimed';
    else
      throw unprocessable(
        'stored_value_redemption_mismatch',
        `Redemption ${redemption.id} paid for another sale`,
      );
  return 'claim';
}

/**
 * Store credit refunded without a number gets one made from the return's id, so a resent return names the same
 * credit; the terminal prints it. Other refunds are left as they are.
 */
export function withCreditNumbers<T extends { id: string; refunds: Tender[] }>(command: T): T {
  const unnamed = command.refunds.filter(
    (tender) => tender.method === 'store_credit' && tender.reference === undefined,
  ).length;
  if (unnamed === 0) return command;
  let n = 0;
  const refunds = command.refunds.map((tender) => {
    if (tender.method !== 'store_credit' || tender.reference !== undefined) return tender;
    n += 1;
    return { ...tender, reference: unnamed === 1 ? `SC-${command.id}` : `SC-${command.id}-${n}` };
  });
  return { ...command, refunds };
}
