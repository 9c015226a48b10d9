import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { PricingSnapshotDelta, type PricingSnapshot } from '@tillstream/contracts';
import { priceList, product, promotion, shippingMethod, snapshot, taxRate } from './pricing.fixtures.js';
import { applySnapshotDelta, diffSnapshots, inSnapshotOrder } from './snapshot.delta.js';

const SKUS = ['a-1', 'B-2', 'c-3', 'D-4', 'e-5', 'Z-6', '7.x'];
const pick = <T>(ids: readonly string[], make: (id: string, variant: number) => T) =>
  fc
    .subarray([...ids])
    .chain((chosen) =>
      fc.tuple(...chosen.map((id) => fc.integer({ min: 0, max: 2 }).map((variant) => make(id, variant)))),
    )
    // In any order, as ERP may have stored them before it minted in key order.
    .chain((entries) => fc.shuffledSubarray(entries, { minLength: entries.length }));

/** Snapshots drawn from a few keys, each in one of three variants. */
const version = (number: number) =>
  fc
    .record({
      products: pick(SKUS, (sku, variant) =>
        product(sku, 100 + variant, variant === 2 ? { categories: ['x'] } : {}),
      ),
      priceLists: pick(['L1', 'L2', 'l3'], (id, variant) => priceList(id, [{ sku: 'a-1', amount: variant }])),
      promotions: pick(['P1', 'p2', 'P3'], (id, variant) =>
        promotion(id, { priority: variant, effect: { type: 'percent_off_lines', basisPoints: 100 } }),
      ),
      taxRates: pick(['std', 'red'], (id, variant) =>
        taxRate(id, { taxCategory: id, ratePpm: variant * 1000 }),
      ),
      // Optional, so present only with entries, as ERP mints it.
      shippingMethods: pick(['home', 'Pickup'], (id, variant) =>
        shippingMethod(id, variant === 2 ? { countries: ['NL'] } : { name: `${id} ${variant}` }),
      ),
      exhausted: fc.option(fc.subarray(['P1', 'p2']), { nil: undefined }),
    })
    .map(({ exhausted, shippingMethods, ...parts }): PricingSnapshot => ({
      ...snapshot(parts),
      ...(shippingMethods.length > 0 ? { shippingMethods } : {}),
      version: number,
      createdAt: `2026-06-0${number}T00:00:00.000Z`,
      ...(exhausted ? { exhaustedPromotionIds: exhausted } : {}),
    }));

describe('pricing snapshot deltas', () => {
  it('give the newer version exactly, in key order, from any older one', () => {
    fc.assert(
      fc.property(version(1), version(2), (base, target) => {
        const delta = diffSnapshots(base, target);
        expect(Value.Check(PricingSnapshotDelta, delta)).toBe(true);
        // Through the wire, as a terminal gets it.
        const applied = applySnapshotDelta(base, JSON.parse(JSON.stringify(delta)) as typeof delta);
        expect(applied).toEqual(inSnapshotOrder(target));
      }),
      { numRuns: 300 },
    );
  });

  it('carry only what changed', () => {
    const base = snapshot({
      products: [product('A', 100), product('B', 200), product('C', 300)],
      promotions: [promotion('P1', { effect: { type: 'percent_off_lines', basisPoints: 100 } })],
      taxRates: [taxRate('std')],
    });
    const target: PricingSnapshot = {
      ...base,
      version: 7,
      createdAt: '2026-06-02T00:00:00.000Z',
      products: [product('A', 100), product('B', 250), product('D', 400)],
      exhaustedPromotionIds: ['P1'],
    };
    expect(diffSnapshots(base, target)).toEqual({
      baseVersion: 1,
      version: 7,
      createdAt: '2026-06-02T00:00:00.000Z',
      products: { upserted: [product('B', 250), product('D', 400)], removed: ['C'] },
      priceLists: { upserted: [], removed: [] },
      promotions: { upserted: [], removed: [] },
      taxRates: { upserted: [], removed: [] },
      exhaustedPromotionIds: ['P1'],
    });
  });

  it('send an entry again when it gained a field or a value changed its shape, not when only key order differs', () => {
    const plain = promotion('P1', { effect: { type: 'percent_off_lines', basisPoints: 100 } });
    const base = snapshot({ products: [product('A', 100), product('B', 100)], promotions: [plain] });
    const target: PricingSnapshot = {
      ...base,
      version: 2,
      // Same content, keys in another order: not a change.
      products: [
        { categories: [], taxCategory: 'standard', price: { currency: 'EUR', amount: 100 }, sku: 'A' },
        { ...product('B', 100), categories: {} as unknown as string[] },
      ],
      promotions: [{ ...plain, exclusiveGroup: 'g1' }],
    };
    const delta = diffSnapshots(base, target);
    expect(delta.products.upserted.map((entry) => entry.sku)).toEqual(['B']);
    expect(delta.promotions.upserted).toEqual([{ ...plain, exclusiveGroup: 'g1' }]);
  });

  it('refuse a base other than the one they were made against', () => {
    const base = snapshot({ products: [product('A', 100)] });
    const delta = diffSnapshots(base, { ...base, version: 3, products: [product('A', 90)] });
    expect(() => applySnapshotDelta({ ...base, version: 2 }, delta)).toThrow(
      /from version 1 .* to version 2/,
    );
  });

  it('orders collections by code unit, whatever the order they came in', () => {
    const ordered = inSnapshotOrder(
      snapshot({ products: [product('b', 1), product('B', 1), product('9.x', 1)] }),
    );
    expect(ordered.products.map((entry) => entry.sku)).toEqual(['9.x', 'B', 'b']);
  });
});
