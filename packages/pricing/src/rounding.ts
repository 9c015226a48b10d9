/**
 * Integer arithmetic on minor units. Every division in pricing goes through here, so the rounding rule lives in
 * one place:
 *
 * - A computed amount (a percentage of a line, a tax) is rounded **half up**: to the nearest minor unit, and
 *   exactly half a unit goes up. All inputs are non-negative, so half up and half away from zero agree.
 * - An amount spread over lines (an order discount) is split by the **largest remainder** rule: each line gets
 *   the floor of its exact share, and the units left over go one each to the lines with the largest dropped
 *   fractions, ties to the earlier line. The parts always add up to the amount exactly.
 * - A running total split over parts (refunds over an order's tax rates) is split **in turn** (`splitInTurn`),
 *   which never gives a part less of a larger total, so no refund gives back less than nothing at a rate.
 *
 * Products above 2^50 switch to BigInt so nothing is ever lost to floating point.
 */
const FLOAT_SAFE = 2 ** 50;

/** ⌊a·b / c⌋ and the remainder, for non-negative integers a, b and positive c. */
export function mulDivFloor(a: number, b: number, c: number): { quotient: number; remainder: number } {
  const product = a * b;
  if (product <= FLOAT_SAFE) {
    let quotient = Math.floor(product / c);
    let remainder = product - quotient * c;
    // A float quotient can land one above the true floor when it is a hair below an integer.
    if (remainder < 0) {
      quotient -= 1;
      remainder += c;
    }
    return { quotient, remainder };
  }
  const big = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return { quotient: Number(big / divisor), remainder: Number(big % divisor) };
}

/** a·b / c rounded half up, for non-negative integers a, b and positive c. */
export function mulDivRound(a: number, b: number, c: number): number {
  const { quotient, remainder } = mulDivFloor(a, b, c);
  return remainder * 2 >= c ? quotient + 1 : quotient;
}

/**
 * The part of `whole` that `done + now` of `count` units carry, less what `done` carried already: rounded half
 * up on the running total, so parts taken one by one (a refund after another) add up to the whole to the cent.
 */
export function shareOf(whole: number, count: number, done: number, now: number): number {
  if (count <= 0 || whole <= 0) return 0;
  const upTo = (units: number) => mulDivRound(Math.min(units, count), whole, count);
  return upTo(done + now) - upTo(done);
}

/**
 * Splits `amount` over `weights` in proportion (largest remainder, ties to the earlier index). The parts sum
 * to `amount` exactly and none exceeds its weight as long as `amount` does not exceed the sum of weights.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((total, weight) => total + weight, 0);
  if (sum === 0 || amount === 0) return weights.map(() => 0);
  const parts: number[] = [];
  const remainders: number[] = [];
  let given = 0;
  for (const weight of weights) {
    const { quotient, remainder } = mulDivFloor(amount, weight, sum);
    parts.push(quotient);
    remainders.push(remainder);
    given += quotient;
  }
  // The units left over (fewer than there are weights) go to the largest remainders, ties to the earlier.
  for (let left = amount - given; left > 0; left -= 1) {
    let best = -1;
    for (let index = 0; index < remainders.length; index += 1)
      if (best === -1 || remainders[index]! > remainders[best]!) best = index;
    parts[best] = parts[best]! + 1;
    remainders[best] = -1;
  }
  return parts;
}

/**
 * Splits `amount` over `weights` one part at a time: each takes its share, rounded half up, of what it and the
 * parts after it still have to share, and passes the rest on; the last takes what is left. A larger amount never
 * gives a part less (each step splits in two, and rounding a share of more is never less), which the largest
 * remainder cannot promise: 2,155 over [3218, 792, 506, 1] gives the last part 1, and 2,156 gives it 0. At the
 * weights' sum every part gets its weight exactly; each is within a unit or so of its exact share.
 */
export function splitInTurn(amount: number, weights: readonly number[]): number[] {
  let rest = amount;
  let restWeight = weights.reduce((total, weight) => total + weight, 0);
  const parts = weights.map((weight) => {
    const part = restWeight > 0 ? mulDivRound(rest, weight, restWeight) : 0;
    rest -= part;
    restWeight -= weight;
    return part;
  });
  // Only an amount beyond the weights' sum leaves a rest: the last part with a weight takes it.
  const last = weights.findLastIndex((weight) => weight > 0);
  if (rest !== 0 && last >= 0) parts[last] = parts[last]! + rest;
  return parts;
}

/** `1000` basis points as `10%`, `1250` as `12.5%`. */
export function percentLabel(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}
