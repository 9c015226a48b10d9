import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PriceList, PricingSnapshot, Promotion, PromotionEffect, TaxRate } from '@tillstream/contracts';
import { AT, product, snapshot } from './pricing.fixtures.js';
import { quote, type PricingInput } from './quote.engine.js';
import { compileSnapshot } from './snapshot.compile.js';

const SKUS = ['S0', 'S1', 'S2', 'S3', 'S4'];
const sku = fc.constantFrom(...SKUS);
const amount = fc.integer({ min: 0, max: 100_000 });
const basisPoints = fc.integer({ min: 1, max: 10_000 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const effect: fc.Arbitrary<PromotionEffect> = fc.oneof(
  fc.record({ type: fc.constant('percent_off_lines' as const), basisPoints }),
  fc.record({ type: fc.constant('amount_off_units' as const), amount }),
  fc.record({ type: fc.constant('percent_off_order' as const), basisPoints }),
  fc.record({ type: fc.constant('amount_off_order' as const), amount }),
  fc.record({
    type: fc.constant('buy_x_get_y' as const),
    buyQuantity: fc.integer({ min: 1, max: 4 }),
    getQuantity: fc.integer({ min: 1, max: 3 }),
    basisPoints,
    maxApplications: maybe(fc.integer({ min: 1, max: 3 })),
    getTarget: maybe(fc.record({ skus: fc.uniqueArray(sku, { minLength: 1, maxLength: 3 }) })),
  }),
  fc.record({
    type: fc.constant('bundle_price' as const),
    items: fc.uniqueArray(fc.record({ sku, quantity: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 3,
      selector: (item) => item.sku,
    }),
    amount,
    maxApplications: maybe(fc.integer({ min: 1, max: 3 })),
  }),
);

const promotionArbitrary = (id: string): fc.Arbitrary<Promotion> =>
  fc.record({
    id: fc.constant(id),
    version: fc.integer({ min: 1, max: 9 }),
    name: fc.constant(`Promotion ${id}`),
    priority: fc.integer({ min: -3, max: 3 }),
    stacking: fc.constantFrom('stackable' as const, 'exclusive' as const),
    exclusiveGroup: maybe(fc.constantFrom('g1', 'g2')),
    couponCodes: maybe(fc.constant([`CODE-${id}`])),
    customerGroups: maybe(fc.constant(['members'])),
    minSubtotal: maybe(amount),
    target: maybe(fc.record({ skus: fc.uniqueArray(sku, { minLength: 1, maxLength: 3 }) })),
    effect,
  });

const priceListArbitrary = (id: string): fc.Arbitrary<PriceList> =>
  fc.record({
    id: fc.constant(id),
    version: fc.constant(1),
    name: fc.constant(id),
    currency: fc.constant('EUR'),
    priority: fc.integer({ min: -3, max: 3 }),
    customerGroups: maybe(fc.constant(['members'])),
    prices: fc.array(fc.record({ sku, amount, minQuantity: maybe(fc.integer({ min: 1, max: 5 })) }), {
      minLength: 1,
      maxLength: 6,
    }),
  });

const taxRates: fc.Arbitrary<TaxRate[]> = fc
  .tuple(fc.integer({ min: 0, max: 300_000 }), fc.boolean(), fc.boolean())
  .map(([ratePpm, inclusive, reduced]) => [
    { id: 'std', version: 1, name: 'std', taxCategory: 'standard', ratePpm, inclusive },
    ...(reduced
      ? [
          {
            id: 'red',
            version: 1,
            name: 'red',
            taxCategory: 'reduced',
            ratePpm: 90_000,
            inclusive: !inclusive,
          },
        ]
      : []),
  ]);

const world = fc.record({
  prices: fc.array(amount, { minLength: SKUS.length, maxLength: SKUS.length }),
  priceLists: fc
    .tuple(priceListArbitrary('L1'), priceListArbitrary('L2'), priceListArbitrary('L3'))
    .chain((lists) => fc.subarray(lists)),
  promotions: fc
    .array(fc.nat(), { maxLength: 8 })
    .chain((ids) => fc.tuple(...ids.map((_, index) => promotionArbitrary(`P${index}`)))),
  taxRates,
  lines: fc.array(fc.record({ sku, quantity: fc.integer({ min: 1, max: 12 }) }), {
    minLength: 1,
    maxLength: 6,
  }),
  coupons: fc.subarray(['CODE-P0', 'CODE-P1', 'code-p2', 'CODE-P3', 'UNKNOWN']),
  members: fc.boolean(),
});

type Sample = typeof world extends fc.Arbitrary<infer T> ? T : never;

function given(sample: Sample): { snap: PricingSnapshot; input: PricingInput } {
  return {
    snap: snapshot({
      products: SKUS.map((code, index) =>
        product(code, sample.prices[index]!, {
          taxCategory: index % 2 ? 'reduced' : 'standard',
          categories: [],
        }),
      ),
      priceLists: sample.priceLists,
      promotions: sample.promotions,
      taxRates: sample.taxRates,
    }),
    input: {
      channel: 'pos',
      currency: 'EUR',
      at: AT,
      lines: sample.lines,
      couponCodes: sample.coupons,
      customerGroups: sample.members ? ['members'] : [],
    },
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const RUNS = { numRuns: 400 };

describe('quote properties', () => {
  it('totals are the sums of the lines, and every line adds up', () => {
    fc.assert(
      fc.property(world, (sample) => {
        const { snap, input } = given(sample);
        const result = quote(compileSnapshot(snap), input);
        expect(result.totals).toEqual({
          subtotal: sum(result.lines.map((line) => line.grossAmount)),
          discount: sum(result.lines.map((line) => line.discountAmount)),
          net: sum(result.lines.map((line) => line.netAmount)),
          tax: sum(result.lines.map((line) => line.tax.amount)),
          total: sum(result.lines.map((line) => line.total)),
        });
        for (const line of result.lines) {
          expect(line.grossAmount).toBe(line.unitPrice * line.quantity);
          expect(line.netAmount).toBe(line.grossAmount - line.discountAmount);
          expect(line.discountAmount).toBe(sum(line.adjustments.map((adjustment) => adjustment.amount)));
          expect(line.total).toBe(line.tax.inclusive ? line.netAmount : line.netAmount + line.tax.amount);
        }
        expect(sum(result.promotions.map((entry) => entry.amount))).toBe(result.totals.discount);
      }),
      RUNS,
    );
  });

  it('no price, line, tax or adjustment is ever negative', () => {
    fc.assert(
      fc.property(world, (sample) => {
        const { snap, input } = given(sample);
        for (const line of quote(compileSnapshot(snap), input).lines) {
          expect(line.unitPrice).toBeGreaterThanOrEqual(0);
          expect(line.netAmount).toBeGreaterThanOrEqual(0);
          expect(line.tax.amount).toBeGreaterThanOrEqual(0);
          for (const adjustment of line.adjustments) expect(adjustment.amount).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('a discount never exceeds what it discounts', () => {
    fc.assert(
      fc.property(world, (sample) => {
        const { snap, input } = given(sample);
        const result = quote(compileSnapshot(snap), input);
        for (const line of result.lines) expect(line.discountAmount).toBeLessThanOrEqual(line.grossAmount);
        for (const applied of result.promotions) {
          const effect = snap.promotions.find((candidate) => candidate.id === applied.promotionId)!.effect;
          if (effect.type === 'amount_off_order') expect(applied.amount).toBeLessThanOrEqual(effect.amount);
          if (effect.type === 'amount_off_units') {
            for (const line of result.lines) {
              const taken = line.adjustments.find(
                (adjustment) => adjustment.promotionId === applied.promotionId,
              );
              if (taken) expect(taken.amount).toBeLessThanOrEqual(effect.amount * line.quantity);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('the same input always gives the same output, whatever order the definitions come in', () => {
    fc.assert(
      fc.property(world, fc.nat(), (sample, turn) => {
        const { snap, input } = given(sample);
        const rotate = <T>(items: readonly T[]) =>
          items.length === 0
            ? [...items]
            : [...items.slice(turn % items.length), ...items.slice(0, turn % items.length)];
        const first = quote(compileSnapshot(snap), input);
        expect(quote(compileSnapshot(snap), input)).toEqual(first);
        const reordered: PricingSnapshot = {
          ...snap,
          products: [...snap.products].reverse(),
          priceLists: rotate(snap.priceLists).reverse(),
          promotions: rotate(snap.promotions),
          taxRates: [...snap.taxRates].reverse(),
        };
        expect(JSON.stringify(quote(compileSnapshot(reordered), input))).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });
});
