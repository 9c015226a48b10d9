import { describe, expect, it } from 'vitest';
import {
  applyMovement,
  availableOf,
  isNegativeStockException,
  movementKindForAdjustment,
} from './stock.decide.js';

const balance = { sku: 'A', locationId: 'S1', onHand: 5, reserved: 2, version: 3 };
const movement = (quantity: number) => ({
  id: 'm',
  sku: 'A',
  locationId: 'S1',
  kind: 'sold' as const,
  quantity,
  occurredAt: '2026-01-01T00:00:00Z',
  reference: 'sale/1',
});

describe('stock rules', () => {
  it('available is on hand less reserved less safety stock', () => {
    expect(availableOf(balance)).toBe(3);
    expect(availableOf(balance, 2)).toBe(1);
  });

  it('a movement changes on hand and bumps the version', () => {
    expect(applyMovement(balance, movement(-2))).toMatchObject({ onHand: 3, reserved: 2, version: 4 });
  });

  it.each([
    { onHand: 5, quantity: -5, exception: false },
    { onHand: 5, quantity: -6, exception: true },
    { onHand: -1, quantity: 3, exception: false },
    { onHand: -1, quantity: -1, exception: true },
  ])(
    'a sale of $quantity from $onHand raises an exception: $exception',
    ({ onHand, quantity, exception }) => {
      const before = { ...balance, onHand };
      expect(isNegativeStockException(before, applyMovement(before, movement(quantity)))).toBe(exception);
    },
  );

  it('only a positive adjustment with reason received is a receipt', () => {
    expect(movementKindForAdjustment('received', 3)).toBe('received');
    expect(movementKindForAdjustment('received', -3)).toBe('adjusted');
    expect(movementKindForAdjustment('shrinkage', -1)).toBe('adjusted');
  });
});
