import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog/catalog.decide.js';
import { assertKitStructure, expandLines, kitUnits } from './kit.decide.js';

const product = (sku: string, extra: Partial<Product> = {}): Product => ({
  sku,
  name: sku,
  price: { amount: 100, currency: 'EUR' },
  kind: 'standard',
  components: [],
  backorderable: false,
  status: 'active',
  barcodes: [],
  version: 1,
  ...extra,
});

const kit = product('K', {
  kind: 'kit',
  backorderable: true,
  components: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
});

describe('expandLines', () => {
  it('turns a kit line into its components times the quantity, keeping location and backorder flag', () => {
    const demands = expandLines(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'K', quantity: 3, locationId: 'S1' },
      ],
      new Map([
        ['A', product('A')],
        ['K', kit],
      ]),
    );
    expect(demands).toEqual([
      { line: 0, sku: 'A', quantity: 1, backorderable: false },
      { line: 1, sku: 'A', quantity: 6, locationId: 'S1', backorderable: true },
      { line: 1, sku: 'B', quantity: 3, locationId: 'S1', backorderable: true },
    ]);
  });
});

describe('kitUnits', () => {
  it.each([
    { a: 10, b: 3, units: 3 },
    { a: 5, b: 9, units: 2 },
    { a: 1, b: 9, units: 0 },
    { a: -4, b: 9, units: 0 },
  ])('A=$a (2 per kit), B=$b (1 per kit) make $units kits', ({ a, b, units }) => {
    expect(kitUnits(kit.components, (sku) => (sku === 'A' ? a : b))).toBe(units);
  });
});

describe('assertKitStructure', () => {
  it('accepts standard components', () => {
    expect(() => assertKitStructure('K', 'kit', [product('A'), product('B')], [])).not.toThrow();
  });
  it.each([
    { name: 'a kit inside a kit', components: [product('A'), kit], usedIn: [] as string[] },
    { name: 'a component turning into a kit', components: [product('A')], usedIn: ['K2'] },
  ])('refuses $name with nested_kit', ({ components, usedIn }) => {
    expect(() => assertKitStructure('X', 'kit', components, usedIn)).toThrowError(
      expect.objectContaining({ code: 'nested_kit' }),
    );
  });
});
