import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog/catalog.decide.js';
import { returnMovements } from './return.decide.js';

const kit: Product = {
  sku: 'K',
  name: 'Kit',
  price: { amount: 100, currency: 'EUR' },
  kind: 'kit',
  components: [
    { sku: 'A', quantity: 1 },
    { sku: 'B', quantity: 2 },
  ],
  backorderable: false,
  status: 'active',
  barcodes: [],
  version: 1,
};

describe('returnMovements', () => {
  it('restocks to on-hand and sets damaged units aside, kits as their components', () => {
    const movements = returnMovements(
      {
        id: 'ret1',
        locationId: 'S1',
        occurredAt: '2026-11-01T10:00:00.000Z',
        channel: 'pos',
        lines: [
          { sku: 'A', quantity: 1, disposition: 'restock' },
          { sku: 'K', quantity: 1, disposition: 'restock' },
          { sku: 'A', quantity: 2, disposition: 'damaged' },
        ],
      },
      new Map([['K', kit]]),
    );
    expect(movements.map((m) => [m.kind, m.sku, m.change.onHand, m.change.damaged])).toEqual([
      ['returned', 'A', 2, 0],
      ['returned', 'B', 2, 0],
      ['returned_damaged', 'A', 0, 2],
    ]);
    expect(new Set(movements.map((m) => m.id)).size).toBe(3);
    expect(movements.every((m) => m.channel === 'pos')).toBe(true);
  });
});
