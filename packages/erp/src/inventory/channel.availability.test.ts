import { describe, expect, it } from 'vitest';
import { kitChannelUnits, stockUnits, type ChannelBalance } from './channel.availability.js';

const balance = (sku: string, locationId: string, onHand: number, reserved = 0): ChannelBalance => ({
  sku,
  locationId,
  onHand,
  reserved,
});
const web = { locations: ['W1', 'W2'], safetyStock: 0 };

describe('channel availability', () => {
  it.each([
    {
      name: 'sums the channel locations only',
      balances: [balance('A', 'W1', 5), balance('A', 'W2', 3), balance('A', 'S1', 100)],
      channel: web,
      expected: { available: 8, locations: [5, 3] },
    },
    {
      name: 'takes holds out',
      balances: [balance('A', 'W1', 5, 2), balance('A', 'W2', 3, 3)],
      channel: web,
      expected: { available: 3, locations: [3, 0] },
    },
    {
      name: 'keeps the safety stock back at every location, never below zero',
      balances: [balance('A', 'W1', 5), balance('A', 'W2', 1)],
      channel: { ...web, safetyStock: 2 },
      expected: { available: 3, locations: [3, 0] },
    },
    {
      name: 'a location sold into the negative never subtracts from another',
      balances: [balance('A', 'W1', -4), balance('A', 'W2', 6)],
      channel: web,
      expected: { available: 6, locations: [0, 6] },
    },
    {
      name: 'a location without a balance counts zero',
      balances: [balance('A', 'W2', 2)],
      channel: web,
      expected: { available: 2, locations: [0, 2] },
    },
  ])('$name', ({ balances, channel, expected }) => {
    const units = stockUnits('A', balances, channel);
    expect(units.available).toBe(expected.available);
    expect(units.locations.map((location) => location.available)).toEqual(expected.locations);
  });

  it.each([
    { name: 'the scarcest component decides', a: [7, 0], b: [1, 1], expected: 2 },
    { name: 'components may come from different locations', a: [4, 0], b: [0, 9], expected: 2 },
    { name: 'a missing component makes none', a: [10, 10], b: [0, 0], expected: 0 },
  ])('kit: $name', ({ a, b, expected }) => {
    const balances = [
      balance('A', 'W1', a[0]!),
      balance('A', 'W2', a[1]!),
      balance('B', 'W1', b[0]!),
      balance('B', 'W2', b[1]!),
    ];
    const components = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(kitChannelUnits(components, balances, web).available).toBe(expected);
  });
});
