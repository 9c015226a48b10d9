import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { price, product, promotion, snapshot } from './pricing.fixtures.js';

/**
 * Buy X get Y against a model that lays every unit out one by one: give the cheapest units of the get set
 * (ties to the earlier line), count what is left of the bought set, and try one application more while X
 * bought units remain for each. The engine halves its way to the same count; the model only ever counts up.
 */
const SKUS = ['S0', 'S1', 'S2', 'S3', 'S4'];

const world = fc.record({
  prices: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: SKUS.length, maxLength: SKUS.length }),
  lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 9 }) }), {
    minLength: 1,
    maxLength: 6,
  }),
  bought: fc.subarray(SKUS, { minLength: 1 }),
  given: fc.subarray(SKUS, { minLength: 1 }),
  buyQuantity: fc.integer({ min: 1, max: 4 }),
  getQuantity: fc.integer({ min: 1, max: 3 }),
  maxApplications: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
});

type Sample = typeof world extends fc.Arbitrary<infer T> ? T : never;

/** What the model says is free, per line: the units given, one by one. */
function modelDiscounts(sample: Sample): number[] {
  const unitPrice = (sku: string) => sample.prices[SKUS.indexOf(sku)]!;
  const units = sample.lines.flatMap((line, index) =>
    Array.from({ length: line.quantity }, () => ({ index, sku: line.sku, price: unitPrice(line.sku) })),
  );
  const givenUnits = units
    .filter((unit) => sample.given.includes(unit.sku))
    .sort((left, right) => left.price - right.price || left.index - right.index);
  const boughtUnits = units.filter((unit) => sample.bought.includes(unit.sku)).length;
  const feasible = (applications: number) => {
    const gifts = givenUnits.slice(0, applications * sample.getQuantity);
    if (gifts.length < applications * sample.getQuantity) return false;
    const giftsBought = gifts.filter((unit) => sample.bought.includes(unit.sku)).length;
    return boughtUnits - giftsBought >= applications * sample.buyQuantity;
  };
  let applications = 0;
  while (applications < (sample.maxApplications ?? Infinity) && feasible(applications + 1)) applications += 1;
  const discounts = sample.lines.map(() => 0);
  for (const unit of givenUnits.slice(0, applications * sample.getQuantity))
    discounts[unit.index]! += unit.price;
  return discounts;
}

describe('buy X get Y with a get target', () => {
  it('gives what the unit-by-unit model gives, for any bought and given sets', () => {
    fc.assert(
      fc.property(world, (sample) => {
        const result = price(
          snapshot({
            products: SKUS.map((sku, index) => product(sku, sample.prices[index]!)),
            promotions: [
              promotion('gift', {
                target: { skus: sample.bought },
                effect: {
                  type: 'buy_x_get_y',
                  buyQuantity: sample.buyQuantity,
                  getQuantity: sample.getQuantity,
                  basisPoints: 10_000,
                  getTarget: { skus: sample.given },
                  ...(sample.maxApplications ? { maxApplications: sample.maxApplications } : {}),
                },
              }),
            ],
          }),
          sample.lines,
        );
        expect(result.lines.map((line) => line.discountAmount)).toEqual(modelDiscounts(sample));
      }),
      { numRuns: 500 },
    );
  });

  it('a get target naming the bought lines gives what no get target gives', () => {
    fc.assert(
      fc.property(world, (sample) => {
        const products = SKUS.map((sku, index) => product(sku, sample.prices[index]!));
        const effect = {
          type: 'buy_x_get_y' as const,
          buyQuantity: sample.buyQuantity,
          getQuantity: sample.getQuantity,
          basisPoints: 5000,
        };
        const target = { skus: sample.bought };
        const same = price(
          snapshot({
            products,
            promotions: [promotion('p', { target, effect: { ...effect, getTarget: target } })],
          }),
          sample.lines,
        );
        const plain = price(
          snapshot({ products, promotions: [promotion('p', { target, effect })] }),
          sample.lines,
        );
        expect(same).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });
});
