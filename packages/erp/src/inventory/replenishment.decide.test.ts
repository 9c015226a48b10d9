import { describe, expect, it } from 'vitest';
import {
  decideReorderPolicy,
  positionOf,
  suggestReplenishment,
  type PositionFigures,
  type ReorderPolicy,
} from './replenishment.decide.js';

const key = { sku: 'TEE-1', locationId: 'S1' };
const policy = (change: Partial<ReorderPolicy> = {}): ReorderPolicy => ({
  ...key,
  reorderPoint: 10,
  orderUpTo: 40,
  packSize: 1,
  version: 1,
  ...change,
});
const figures = (change: Partial<PositionFigures> = {}): PositionFigures => ({
  onHand: 0,
  inTransit: 0,
  onOrder: 0,
  reserved: 0,
  backordered: 0,
  ...change,
});

describe('reorder policies', () => {
  it('creates a policy at version 1 with packs of one unless told', () => {
    expect(decideReorderPolicy(null, key, { reorderPoint: 10, orderUpTo: 40 })).toEqual({
      state: policy(),
      created: true,
      changed: true,
    });
  });

  it('keeps the version when the same content is put again, with or without the default pack', () => {
    const current = policy({ version: 3 });
    for (const command of [
      { reorderPoint: 10, orderUpTo: 40 },
      { reorderPoint: 10, orderUpTo: 40, packSize: 1 },
    ])
      expect(decideReorderPolicy(current, key, command)).toEqual({
        state: current,
        created: false,
        changed: false,
      });
  });

  it.each([
    ['reorder point', { reorderPoint: 11, orderUpTo: 40 }],
    ['order-up-to', { reorderPoint: 10, orderUpTo: 41 }],
    ['pack size', { reorderPoint: 10, orderUpTo: 40, packSize: 6 }],
  ])('makes one more version when the %s changes', (_name, command) => {
    const decided = decideReorderPolicy(policy({ version: 3 }), key, command);
    expect(decided).toMatchObject({ created: false, changed: true, state: { ...command, version: 4 } });
  });

  it('refuses an order-up-to level below the reorder point, and takes one equal to it', () => {
    expect(() => decideReorderPolicy(null, key, { reorderPoint: 10, orderUpTo: 9 })).toThrowError(
      expect.objectContaining({ code: 'order_up_to_below_reorder_point', kind: 'unprocessable' }),
    );
    expect(decideReorderPolicy(null, key, { reorderPoint: 10, orderUpTo: 10 }).state.orderUpTo).toBe(10);
  });
});

describe('replenishment suggestions', () => {
  it('counts on-hand, in transit and on order, less what is reserved and backordered', () => {
    const given = figures({ onHand: 12, inTransit: 5, onOrder: 20, reserved: 3, backordered: 4 });
    expect(positionOf(given)).toBe(30);
  });

  // Policy: reorder at 10, fill up to 40.
  it.each([
    ['above the reorder point', figures({ onHand: 11 }), 1, null],
    ['above it only thanks to an open purchase order', figures({ onHand: 2, onOrder: 9 }), 1, null],
    ['above it only thanks to a transfer on the way', figures({ onHand: 2, inTransit: 9 }), 1, null],
    ['exactly at the reorder point', figures({ onHand: 10 }), 1, { position: 10, suggested: 30 }],
    ['empty', figures(), 1, { position: 0, suggested: 40 }],
    [
      'below it once holds are taken out',
      figures({ onHand: 15, reserved: 6 }),
      1,
      { position: 9, suggested: 31 },
    ],
    [
      'below it once open backorders are taken out',
      figures({ onHand: 15, backordered: 8 }),
      1,
      { position: 7, suggested: 33 },
    ],
    ['negative on-hand after store sales', figures({ onHand: -5 }), 1, { position: -5, suggested: 45 }],
    ['rounded up to whole packs', figures({ onHand: 7 }), 12, { position: 7, suggested: 36 }],
    ['a shortfall of exactly whole packs', figures({ onHand: 4 }), 12, { position: 4, suggested: 36 }],
    ['a pack larger than the shortfall', figures({ onHand: 10 }), 50, { position: 10, suggested: 50 }],
    ['negative on-hand in packs', figures({ onHand: -3 }), 6, { position: -3, suggested: 48 }],
  ])('%s', (_name, given, packSize, expected) => {
    const suggestion = suggestReplenishment({ reorderPoint: 10, orderUpTo: 40, packSize }, given);
    if (expected === null) expect(suggestion).toBeNull();
    else expect(suggestion).toEqual({ figures: given, ...expected });
  });

  it('suggests nothing when order-up-to equals the reorder point and the position sits on it', () => {
    const flat = { reorderPoint: 5, orderUpTo: 5, packSize: 1 };
    expect(suggestReplenishment(flat, figures({ onHand: 5 }))).toBeNull();
    expect(suggestReplenishment(flat, figures({ onHand: 4 }))).toMatchObject({ suggested: 1 });
  });

  it('suggests a pack of what a zero reorder point leaves once stock runs out', () => {
    const lean = { reorderPoint: 0, orderUpTo: 1, packSize: 24 };
    expect(suggestReplenishment(lean, figures({ onHand: 1 }))).toBeNull();
    expect(suggestReplenishment(lean, figures({ onHand: 0 }))).toMatchObject({ suggested: 24 });
  });
});
