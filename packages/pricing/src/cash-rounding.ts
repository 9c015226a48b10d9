/**
 * Cash rounding: where the smallest coins are out of circulation (the Netherlands, Belgium, Finland, Ireland,
 * Switzerland: 5 cents; Sweden: 1 krona; Denmark: 50 øre; Canada, Australia: 5 cents), what is paid in cash is
 * rounded to the nearest multiple of the coin that is left, while cards pay to the cent. The goods, their tax
 * and the sale's total are not changed by it: only the cash that changes hands.
 *
 * The rule is the one those countries publish: to the nearest multiple, and exactly half goes up (away from
 * zero, so a refund rounds as the sale of the same amount would). With 5 cents: x.x1 and x.x2 go down to x.x0,
 * x.x3 and x.x4 up to x.x5, x.x6 and x.x7 down to x.x5, x.x8 and x.x9 up to the next x.x0.
 */

/** The amount (minor units) rounded to the nearest multiple of `increment` (minor units, at least 1). */
export function roundToIncrement(amount: number, increment: number): number {
  if (!Number.isSafeInteger(increment) || increment < 1)
    throw new RangeError(`A cash rounding increment is a whole number of minor units from 1: ${increment}`);
  const magnitude = Math.abs(amount);
  const remainder = magnitude % increment;
  const down = magnitude - remainder;
  const rounded = remainder * 2 >= increment ? down + increment : down;
  return amount < 0 ? -rounded : rounded;
}

/**
 * What rounding `cashDue` to the store's increment adds to it (positive) or takes off (negative): the cash
 * that changes hands is `cashDue` + this. No increment (the store does not round): 0.
 */
export function cashRoundingOf(cashDue: number, increment: number | null | undefined): number {
  if (increment === null || increment === undefined) return 0;
  return roundToIncrement(cashDue, increment) - cashDue;
}
