import { unprocessable } from '@tillstream/kernel';
import { cashRoundingOf } from '@tillstream/pricing';

/** The tender that is rounded: cards, gift cards and the rest pay to the minor unit. */
export const CASH = 'cash';

/**
 * A store's cash rounding as POS knows it from ERP: the increment in force (null: the store does not round)
 * and every other increment the store has had. A till that has not learned a change yet (offline, or between
 * refreshes) still rounds by one of those, and its sale must not be refused for a rule it could not know.
 */
export interface CashRoundingRule {
  increment: number | null;
  former: readonly number[];
}

export const NO_CASH_ROUNDING: CashRoundingRule = { increment: null, former: [] };

/**
 * What a sale or return records of its rounding: the amount (the cash that changed hands less the cash that was
 * due) and the increment it is exact for, `current` false when that was a rule the store had before.
 */
export interface CashRounded {
  cashRounding: number;
  cashRoundingRule: { increment: number; current: boolean };
}

/**
 * Checks the rounding a till states for a sale's payments (or a return's refunds). Only cash is rounded, and
 * the cash part is what the other tenders leave of `due` (Odoo and Shopify POS round the amount due in cash the
 * same way): with 9.98 due, 5.00 on a card and the rest in cash, 4.98 is due in cash and 5.00 changes hands.
 *
 * - None stated (or 0): nothing is rounded. Always accepted, so tills from before rounding, and a cashier who
 *   takes exact coins, keep working; the payments must then add up to `due` exactly.
 * - Stated without a cash tender: 422 `cash_rounding_without_cash`.
 * - Stated: it must be exactly what the store's increment gives for the cash due, else 422
 *   `cash_rounding_mismatch` with the `expected` amount. One exact for an increment the store had before is
 *   accepted and recorded with `current: false` (the till had not learned the change): never more than half that
 *   increment either way, and visible on the sale, its event and its shift's report.
 */
export function decideCashRounding(
  stated: number | undefined,
  due: number,
  tenders: ReadonlyArray<{ method: string; amount: number }>,
  rule: CashRoundingRule,
): CashRounded | null {
  if (stated === undefined || stated === 0) return null;
  if (!tenders.some((tender) => tender.method === CASH))
    throw unprocessable('cash_rounding_without_cash', 'Only cash is rounded, and nothing is paid in cash', {
      cashRounding: stated,
    });
  const otherTenders = tenders
    .filter((tender) => tender.method !== CASH)
    .reduce((sum, tender) => sum + tender.amount, 0);
  const cashDue = due - otherTenders;
  const roundingBy = (increment: number | null) => (cashDue > 0 ? cashRoundingOf(cashDue, increment) : 0);
  if (rule.increment !== null && roundingBy(rule.increment) === stated)
    return { cashRounding: stated, cashRoundingRule: { increment: rule.increment, current: true } };
  const former = rule.former.find(
    (increment) => increment !== rule.increment && roundingBy(increment) === stated,
  );
  if (former !== undefined)
    return { cashRounding: stated, cashRoundingRule: { increment: former, current: false } };
  const expected = roundingBy(rule.increment);
  throw unprocessable(
    'cash_rounding_mismatch',
    rule.increment === null
      ? `This store does not round cash, so ${cashDue} due in cash rounds by 0, not ${stated}`
      : `${cashDue} due in cash rounds to ${cashDue + expected} at ${rule.increment}: ${expected}, not ${stated}`,
    { cashDue, increment: rule.increment, expected, cashRounding: stated },
  );
}

/**
 * A document's tenders checked against what is due: its stated rounding checked (`decideCashRounding`), then
 * the tenders must add up to `due` plus that rounding, else the document's own refusal (`refuse`, given what they
 * add up to and what was payable). Sales, returns and gift card issues settle the same way.
 */
export function settleRounded(
  stated: number | undefined,
  due: number,
  tenders: ReadonlyArray<{ method: string; amount: number }>,
  rule: CashRoundingRule,
  refuse: (sum: number, payable: number, rounded: CashRounded | null) => Error,
): CashRounded | null {
  const rounded = decideCashRounding(stated, due, tenders, rule);
  const payable = due + (rounded?.cashRounding ?? 0);
  const sum = tenders.reduce((total, tender) => total + tender.amount, 0);
  if (sum !== payable) throw refuse(sum, payable, rounded);
  return rounded;
}

/** The rule of a store as the directory knows it (a location from before rounding has none). */
export function cashRoundingRuleOf(store: {
  cashRoundingIncrement?: number;
  formerCashRoundingIncrements?: readonly number[];
}): CashRoundingRule {
  return {
    increment: store.cashRoundingIncrement ?? null,
    former: store.formerCashRoundingIncrements ?? [],
  };
}
