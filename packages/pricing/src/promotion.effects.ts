import { allocate, mulDivRound, percentLabel } from './rounding.js';
import type { CompiledEffect } from './snapshot.compile.js';

/** A cart line while promotions are applied: `net` falls as each promotion takes its share. */
export interface PricedLine {
  sku: string;
  quantity: number;
  categories: readonly string[];
  unitPrice: number;
  gross: number;
  net: number;
}

/** What one promotion takes off one line, and why. */
export interface Share {
  line: number;
  amount: number;
  reason: string;
}

/**
 * What an effect would take off the qualifying lines (indexes into `lines`), given what earlier promotions
 * left. No share exceeds its line's current net, so no line ever goes below zero. `given` are the lines buy
 * X get Y gives its Y units from: the qualifying ones unless the effect names others.
 */
export function effectShares(
  effect: CompiledEffect,
  lines: readonly PricedLine[],
  qualifying: number[],
  given: number[] = qualifying,
): Share[] {
  switch (effect.type) {
    case 'percent_off_lines':
      return lineShares(effect, lines, qualifying);
    case 'amount_off_units':
      return lineShares(effect, lines, qualifying);
    case 'percent_off_order':
    case 'amount_off_order':
      return orderShares(effect, lines, qualifying);
    case 'buy_x_get_y':
      return buyXGetYShares(effect, lines, qualifying, given);
    case 'bundle_price':
      return bundleShares(effect, lines, qualifying);
    case 'free_shipping':
      // It takes nothing off the lines: the delivery's charge is waived in a pass of its own.
      return [];
  }
}

/** A percentage off each qualifying line's net, or an amount off each of its units (at most its net). */
function lineShares(effect: CompiledEffect, lines: readonly PricedLine[], qualifying: number[]): Share[] {
  const shares: Share[] = [];
  const percent = effect.type === 'percent_off_lines';
  const label = percent ? `${percentLabel(effect.basisPoints)} off` : '';
  for (const line of qualifying) {
    const { net, quantity } = lines[line]!;
    shares.push(
      percent
        ? { line, amount: mulDivRound(net, effect.basisPoints, 10_000), reason: label }
        : {
            line,
            amount: Math.min(net, effect.amount * quantity),
            reason: `${effect.amount} off each of ${quantity} unit(s)`,
          },
    );
  }
  return shares;
}

/** An order discount is worked out on the qualifying lines' net and spread over them in proportion. */
function orderShares(effect: CompiledEffect, lines: readonly PricedLine[], qualifying: number[]): Share[] {
  const nets: number[] = [];
  let subtotal = 0;
  for (const line of qualifying) {
    nets.push(lines[line]!.net);
    subtotal += lines[line]!.net;
  }
  const percent = effect.type === 'percent_off_order';
  const discount = percent
    ? mulDivRound(subtotal, effect.basisPoints, 10_000)
    : Math.min(effect.amount, subtotal);
  const reason = `${percent ? percentLabel(effect.basisPoints) : discount} off the order, this line's share in proportion to its amount`;
  const parts = allocate(discount, nets);
  const shares: Share[] = [];
  for (let index = 0; index < qualifying.length; index += 1)
    shares.push({ line: qualifying[index]!, amount: parts[index]!, reason });
  return shares;
}

/** Lines by their current net per unit, cheapest first; ties go to the earlier line. */
const cheapestUnitsFirst = (lines: readonly PricedLine[], indexes: number[]) =>
  [...indexes].sort(
    (left, right) =>
      lines[left]!.net / lines[left]!.quantity - lines[right]!.net / lines[right]!.quantity || left - right,
  );

/**
 * Buy X get Y from other lines than the bought ones: the most applications for which, once the cheapest units
 * of the given lines are given, X bought units are left for each. Giving more never leaves more bought units,
 * so the count is found by halving.
 */
function applicationsThatFit(
  effect: CompiledEffect,
  lines: readonly PricedLine[],
  bought: number[],
  given: number[],
  boughtUnits: number,
): number {
  const { buyQuantity, getQuantity } = effect;
  let givenUnits = 0;
  for (const line of given) givenUnits += lines[line]!.quantity;
  let low = 0;
  let high = Math.min(
    Math.floor(boughtUnits / buyQuantity),
    Math.floor(givenUnits / getQuantity),
    effect.maxApplications,
  );
  if (high === 0) return 0;
  const cheapestFirst = cheapestUnitsFirst(lines, given);
  const isBought = new Uint8Array(lines.length);
  for (const line of bought) isBought[line] = 1;
  const fits = (applications: number) => {
    let toGive = applications * getQuantity;
    let boughtLeft = boughtUnits;
    for (const line of cheapestFirst) {
      if (toGive === 0) break;
      const here = Math.min(toGive, lines[line]!.quantity);
      toGive -= here;
      if (isBought[line] === 1) boughtLeft -= here;
    }
    return boughtLeft >= applications * buyQuantity;
  };
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Buy X get Y, cheapest items first: each application gives the Y cheapest units of the given lines (by each
 * line's current net per unit; ties go to the earlier line). When the given lines are the bought ones, every
 * full group of X + Y units is one application; otherwise a unit given does not count towards the X bought
 * (`applicationsThatFit`). A rewarded unit is discounted by its share of its line's net.
 */
function buyXGetYShares(
  effect: CompiledEffect,
  lines: readonly PricedLine[],
  bought: number[],
  given: number[],
): Share[] {
  const { buyQuantity, getQuantity } = effect;
  let boughtUnits = 0;
  for (const line of bought) boughtUnits += lines[line]!.quantity;
  const applications =
    given === bought
      ? Math.min(Math.floor(boughtUnits / (buyQuantity + getQuantity)), effect.maxApplications)
      : applicationsThatFit(effect, lines, bought, given, boughtUnits);
  if (applications === 0) return [];
  const cheapestFirst = cheapestUnitsFirst(lines, given);
  let rewarded = applications * getQuantity;
  const shares: Share[] = [];
  const reward = effect.basisPoints === 10_000 ? 'free' : `${percentLabel(effect.basisPoints)} off`;
  for (const line of cheapestFirst) {
    if (rewarded === 0) break;
    const { net, quantity } = lines[line]!;
    const here = Math.min(rewarded, quantity);
    rewarded -= here;
    shares.push({
      line,
      amount: mulDivRound(net, here * effect.basisPoints, quantity * 10_000),
      reason: `Buy ${buyQuantity} get ${getQuantity} ${reward}: ${here} of ${quantity} unit(s) here, cheapest first`,
    });
  }
  return shares;
}

/**
 * A bundle price: each complete set of the items sells for `amount`. Units are taken from the lines of each
 * SKU in line order; the saving (the sets' current net minus their price, never below zero) is spread over
 * the lines they came from in proportion to the net they contributed.
 */
function bundleShares(effect: CompiledEffect, lines: readonly PricedLine[], qualifying: number[]): Share[] {
  const needed = new Map<string, number>();
  for (const item of effect.items) needed.set(item.sku, (needed.get(item.sku) ?? 0) + item.quantity);
  let sets = effect.maxApplications;
  for (const [sku, quantity] of needed) {
    let units = 0;
    for (const line of qualifying) if (lines[line]!.sku === sku) units += lines[line]!.quantity;
    sets = Math.min(sets, Math.floor(units / quantity));
  }
  if (sets === 0 || !Number.isFinite(sets)) return [];
  const taken = new Map<string, number>();
  for (const [sku, quantity] of needed) taken.set(sku, quantity * sets);
  const used: number[] = [];
  const values: number[] = [];
  for (const line of qualifying) {
    const { sku, quantity, net } = lines[line]!;
    const left = taken.get(sku) ?? 0;
    if (left === 0) continue;
    const units = Math.min(left, quantity);
    taken.set(sku, left - units);
    used.push(line);
    values.push(mulDivRound(net, units, quantity));
  }
  let regular = 0;
  for (const value of values) regular += value;
  const saving = Math.max(0, regular - effect.amount * sets);
  const parts = allocate(saving, values);
  const reason = `${sets} bundle(s) at ${effect.amount} each instead of ${regular} in all`;
  return used.map((line, index) => ({ line, amount: parts[index]!, reason }));
}
