import { describe, expect, it } from 'vitest';
import { saleMovements } from './sales.consumer.js';

describe('saleMovements', () => {
  it('sums lines of one SKU into a single sold movement at the store, dated by the sale', () => {
    const movements = saleMovements({
      saleId: 's1',
      storeId: 'S1',
      terminalId: 'T1',
      occurredAt: '2026-11-01T10:00:00.000Z',
      currency: 'EUR',
      total: 500,
      payments: [{ method: 'cash', amount: 500 }],
      lines: [
        { lineNo: 1, sku: 'A', quantity: 2, unitPrice: 100, lineTotal: 200 },
        { lineNo: 2, sku: 'B', quantity: 1, unitPrice: 100, lineTotal: 100 },
        { lineNo: 3, sku: 'A', quantity: 2, unitPrice: 100, lineTotal: 200 },
      ],
    });
    expect(movements).toEqual([
      expect.objectContaining({
        sku: 'A',
        locationId: 'S1',
        kind: 'sold',
        quantity: -4,
        occurredAt: '2026-11-01T10:00:00.000Z',
        reference: 'sale/s1',
      }),
      expect.objectContaining({ sku: 'B', quantity: -1 }),
    ]);
  });
});
