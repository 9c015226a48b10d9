import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog/catalog.decide.js';
import { saleMovements } from './sales.consumer.js';

const product = (sku: string, components: Array<{ sku: string; quantity: number }> = []): Product => ({
  sku,
  name: sku,
  price: { amount: 100, currency: 'EUR' },
  kind: components.length > 0 ? 'kit' : 'standard',
  components,
  backorderable: false,
  status: 'active',
  barcodes: [],
  version: 1,
});

const sale = (lines: Array<{ sku: string; quantity: number }>) => ({
  saleId: 's1',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  currency: 'EUR',
  total: 0,
  payments: [],
  lines: lines.map((line, index) => ({ lineNo: index + 1, ...line, unitPrice: 0, lineTotal: 0 })),
});

describe('saleMovements', () => {
  it('sums lines of one SKU into a single sold movement at the store, dated by the sale', () => {
    const movements = saleMovements(
      sale([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
      new Map(),
    );
    expect(movements).toEqual([
      expect.objectContaining({
        sku: 'A',
        locationId: 'S1',
        kind: 'sold',
        change: { onHand: -4, reserved: 0, inTransit: 0, damaged: 0 },
        occurredAt: '2026-11-01T10:00:00.000Z',
        reference: 'sale/s1',
      }),
      expect.objectContaining({ sku: 'B', change: expect.objectContaining({ onHand: -1 }) }),
    ]);
  });

  it('sells a kit as its components, summed with the same SKUs sold on their own', () => {
    const products = new Map([
      [
        'K',
        product('K', [
          { sku: 'A', quantity: 2 },
          { sku: 'C', quantity: 1 },
        ]),
      ],
    ]);
    const movements = saleMovements(
      sale([
        { sku: 'K', quantity: 3 },
        { sku: 'A', quantity: 1 },
      ]),
      products,
    );
    expect(movements.map((movement) => [movement.sku, movement.change.onHand])).toEqual([
      ['A', -7],
      ['C', -3],
    ]);
  });
});
