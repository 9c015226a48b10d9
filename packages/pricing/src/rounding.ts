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
 * remainder cannot promise: 2,155 over [3218, 792, 506, 1] gives the last part 1, and 2,156 gives it 0. At the weights' sum every part gets its weight exactly; each is within a unit or so of its exact share.
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

/**
 * What `weights` take of a running total as it goes from `before` to `after`: split at each, the difference. Split
 * in turn, so that no step of a growing total gives any part less than nothing.
 */
function allocatedBetween(weights: readonly number[], before: number, after: number): number[] {
  const then = splitInTurn(before, weights);
  return splitInTurn(after, weights).map((part, index) => part - then[index]!);
}

/** A part of an order at one tax rate: its goods (and delivery) without tax, and the tax on them. */
export interface RatedPart {
  ratePpm: number | null;
  net: number;
  tax: number;
}

/**
 * One refund of an order: its `amount`, the order's refunded total after it (`refunded`) and, when its event
 * says them, the part of it that gives back the delivery (`shipping`) and the order's running total of that
 * (`shippingRefunded`).
 */
export interface RefundStep {
  amount: number;
  refunded: number;
  shipping?: number | undefined;
  shippingRefunded?: number | undefined;
}

/**
 * What one refund of an order gives back of each of its parts (per tax rate, `net` and `tax`), index by index.
 *
 * When the order's delivery is known apart (`delivery`: its net, tax and rate; null for an order without one)
 * and the refund states the order's running delivery total, the goods and the delivery are given back each at
 * their own rates: the delivery the refund names on the running delivery total, the rest on the running goods
 * total over the goods' rates. A refund that names no delivery gives back goods, and delivery only once the
 * goods are given back in full, so an order refunded in full gives back every rate's goods and tax to the cent
 * whatever its refunds named. Otherwise (an order or refund from before the delivery was known apart) the refund
 * is split over all parts in proportion (`blendedShares`).
 */
export function refundShares(
  parts: readonly RatedPart[],
  order: { total: number; tax: number },
  refund: RefundStep,
  delivery?: RatedPart | null,
): Array<{ gross: number; tax: number }> {
  const { shippingRefunded } = refund;
  if (delivery === undefined || shippingRefunded === undefined) return blendedShares(parts, order, refund);
  const known = { ...refund, shippingRefunded };
  if (!delivery || delivery.net + delivery.tax === 0)
    return deliveryAndGoods(parts, order, known, { ratePpm: null, net: 0, tax: 0 }, -1);
  const at = parts.findIndex((part) => part.ratePpm === delivery.ratePpm);
  const deliveryFits = at >= 0 && parts[at]!.net >= delivery.net && parts[at]!.tax >= delivery.tax;
  return deliveryFits
    ? deliveryAndGoods(parts, order, known, delivery, at)
    : blendedShares(parts, order, refund);
}

/**
 * Where a refund starts and ends on the order's goods and on its delivery, each a running gross total: the
 * delivery it names on the delivery, the rest on the goods. Delivery named beyond what the order charged or
 * what was refunded (no commerce refund does) is goods, as an unnamed refund is; goods beyond the order's goods
 * are delivery.
 */
function stretchOf(
  orderTotal: number,
  deliveryGross: number,
  refund: RefundStep & { shippingRefunded: number },
): Record<'before' | 'after', { goods: number; delivery: number }> {
  const goodsTotal = Math.max(orderTotal - deliveryGross, 0);
  const positions = (named: number, refunded: number) => {
    // No more delivery than the order charged, nor than was refunded (no commerce refund names more).
    const delivered = Math.max(Math.min(named, deliveryGross, refunded), 0);
    const goodsDone = Math.max(refunded - delivered, 0);
    return {
      goods: Math.min(goodsDone, goodsTotal),
      delivery: Math.min(delivered + Math.max(goodsDone - goodsTotal, 0), deliveryGross),
    };
  };
  // What this refund names, at most the refund itself: so neither part goes back from one refund to the next.
  const namedNow = Math.min(Math.max(refund.shipping ?? 0, 0), refund.amount);
  return {
    before: positions(refund.shippingRefunded - namedNow, refund.refunded - refund.amount),
    after: positions(refund.shippingRefunded, refund.refunded),
  };
}

/** What one refund gives back of its order's goods and of its delivery, as `refundShares` splits it. */
export interface RefundParts {
  /** Where the refund starts on the goods' running gross total, what it gives back of them, and their total. */
  goods: { before: number; given: number; total: number };
  /** What it gives back of the delivery, gross, and the delivery's tax in that. */
  delivery: { gross: number; tax: number };
}

/**
 * The refund's goods and delivery parts, as `refundShares` splits it: undefined when that split is not known
 * (the delivery not known apart, or a refund that does not state the running delivery total); an order without
 * a charged delivery is all goods.
 */
export function refundParts(
  order: { total: number },
  refund: RefundStep,
  delivery?: RatedPart | null,
): RefundParts | undefined {
  const { shippingRefunded } = refund;
  if (delivery === undefined || shippingRefunded === undefined) return undefined;
  const deliveryGross = delivery ? delivery.net + delivery.tax : 0;
  const { before, after } = stretchOf(order.total, deliveryGross, { ...refund, shippingRefunded });
  const given = after.delivery - before.delivery;
  return {
    goods: {
      before: before.goods,
      given: after.goods - before.goods,
      total: Math.max(order.total - deliveryGross, 0),
    },
    delivery: { gross: given, tax: shareOf(delivery?.tax ?? 0, deliveryGross, before.delivery, given) },
  };
}

/**
 * The refund split over the goods' parts on the running goods total, and the delivery's part (at index `at`,
 * none when -1) on the running delivery total.
 */
function deliveryAndGoods(
  parts: readonly RatedPart[],
  order: { total: number; tax: number },
  refund: RefundStep & { shippingRefunded: number },
  delivery: RatedPart,
  at: number,
): Array<{ gross: number; tax: number }> {
  const deliveryGross = delivery.net + delivery.tax;
  const goodsTotal = Math.max(order.total - deliveryGross, 0);
  const goodsTax = Math.max(order.tax - delivery.tax, 0);
  const goods = parts.map((part, index) =>
    index === at ? { net: part.net - delivery.net, tax: part.tax - delivery.tax } : part,
  );
  const { before, after } = stretchOf(order.total, deliveryGross, refund);
  const goodsTaxUpTo = (done: number) => shareOf(goodsTax, goodsTotal, 0, done);
  const gross = allocatedBetween(
    goods.map((part) => part.net + part.tax),
    before.goods,
    after.goods,
  );
  const taxes = allocatedBetween(
    goods.map((part) => part.tax),
    goodsTaxUpTo(before.goods),
    goodsTaxUpTo(after.goods),
  );
  const shares = gross.map((part, index) => ({ gross: part, tax: taxes[index]! }));
  if (at >= 0) {
    const given = after.delivery - before.delivery;
    shares[at]!.gross += given;
    shares[at]!.tax += shareOf(delivery.tax, deliveryGross, before.delivery, given);
  }
  return shares;
}

/**
 * The refund split over all the order's parts in proportion: the parts' share of the order's refunded total so
 * far (at most its total), less what earlier refunds took, so that refunds one by one add up, part by part, to
 * the parts exactly. The tax in it is the order's tax share of that total, split over the parts the same way.
 */
function blendedShares(
  parts: ReadonlyArray<{ net: number; tax: number }>,
  order: { total: number; tax: number },
  refund: { refunded: number; amount: number },
): Array<{ gross: number; tax: number }> {
  const before = Math.min(refund.refunded - refund.amount, order.total);
  const after = Math.min(refund.refunded, order.total);
  const taxUpTo = (refunded: number) => shareOf(order.tax, order.total, 0, refunded);
  const gross = allocatedBetween(
    parts.map((part) => part.net + part.tax),
    before,
    after,
  );
  const taxes = allocatedBetween(
    parts.map((part) => part.tax),
    taxUpTo(before),
    taxUpTo(after),
  );
  return gross.map((part, index) => ({ gross: part, tax: taxes[index]! }));
}

/** `1000` basis points as `10%`, `1250` as `12.5%`. */
export function percentLabel(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}
