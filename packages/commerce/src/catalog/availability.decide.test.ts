import { describe, expect, it } from 'vitest';
import { availableAt, kitAvailable, resolveChannel, stockAvailable } from './availability.decide.js';

const levels = (entries: Partial<Record<string, number>>) =>
  new Map(Object.entries(entries).map(([key, value]) => [key, value ?? 0]));
const web = { locations: ['W1', 'W2'], safetyStock: 0 };

describe('storefront availability', () => {
  it('runs an unconfigured channel on every warehouse in id order, without safety stock', () => {
    const locations = [
      { locationId: 'W2', kind: 'warehouse' },
      { locationId: 'S1', kind: 'store' },
      { locationId: 'W1', kind: 'warehouse' },
    ];
    expect(resolveChannel(null, locations)).toEqual({ locations: ['W1', 'W2'], safetyStock: 0 });
    const configured = { locations: ['S1'], safetyStock: 3 };
    expect(resolveChannel(configured, locations)).toBe(configured);
  });

  it.each([
    { name: 'sums the channel locations', stock: { W1: 4, W2: 5 }, channel: web, expected: 9 },
    { name: 'ignores locations outside the channel', stock: { W1: 4, S1: 50 }, channel: web, expected: 4 },
    {
      name: 'keeps the safety stock back at each location',
      stock: { W1: 4, W2: 5 },
      channel: { ...web, safetyStock: 2 },
      expected: 5,
    },
    {
      name: 'a location under its safety stock gives nothing and takes nothing',
      stock: { W1: 1, W2: 5 },
      channel: { ...web, safetyStock: 2 },
      expected: 3,
    },
    {
      name: 'negative stock at one location never subtracts from another',
      stock: { W1: -7, W2: 5 },
      channel: web,
      expected: 5,
    },
    { name: 'no stock at all', stock: {}, channel: web, expected: 0 },
  ])('$name', ({ stock, channel, expected }) => {
    expect(stockAvailable(levels(stock), channel)).toBe(expected);
  });

  it('counts nothing for a SKU it never heard of', () => {
    expect(stockAvailable(undefined, web)).toBe(0);
  });

  it.each([
    { name: 'the scarcest component decides', units: { A: 10, B: 3 }, expected: 3 },
    { name: 'units per kit divide, rounding down', units: { A: 7, B: 100 }, expected: 3 },
    { name: 'a component out of stock makes none', units: { A: 10, B: 0 }, expected: 0 },
    { name: 'an unknown component counts zero', units: { A: 10 }, expected: 0 },
  ])('kit: $name', ({ units, expected }) => {
    const components = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(kitAvailable(components, (sku) => (units as Record<string, number>)[sku] ?? 0)).toBe(expected);
  });

  it('a kit without components makes none', () => {
    expect(kitAvailable([], () => 5)).toBe(0);
  });

  it('counts what one store could hand over, off the channel’s safety stock, through a kit’s components', () => {
    const stock = new Map([
      ['TEE', levels({ S1: 5, W1: 40 })],
      ['CAP', levels({ S1: 1 })],
    ]);
    const levelsOf = (sku: string) => stock.get(sku);
    const tee = { sku: 'TEE', kind: 'standard', components: null };
    expect(availableAt(tee, levelsOf, 'S1', 0)).toBe(5);
    expect(availableAt(tee, levelsOf, 'S1', 2)).toBe(3);
    expect(availableAt(tee, levelsOf, 'S2', 0)).toBe(0);
    expect(availableAt({ sku: 'NEW', kind: 'standard', components: null }, levelsOf, 'S1', 0)).toBe(0);
    const kit = {
      sku: 'SET',
      kind: 'kit',
      components: [
        { sku: 'TEE', quantity: 2 },
        { sku: 'CAP', quantity: 1 },
      ],
    };
    expect(availableAt(kit, levelsOf, 'S1', 0)).toBe(1);
    expect(availableAt(kit, levelsOf, 'W1', 0)).toBe(0);
  });
});
