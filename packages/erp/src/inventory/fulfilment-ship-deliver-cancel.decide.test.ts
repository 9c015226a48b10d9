import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideDeliver,
  decideShip,
  planFulfilments,
  type Fulfilment,
} from './fulfilment.decide.js';
import { NOW, codeOf, order } from './fulfilment.fixtures.js';

describe('decideShip', () => {
  const [a, b] = planFulfilments(
    order,
    [
      { line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 1 },
      { line: 1, sku: 'TEE', locationId: 'wh-b', quantity: 1 },
    ],
    '2026-11-30T09:00:00.000Z',
  ) as [Fulfilment, Fulfilment];

  it('given another open fulfilment, when one ships, then the order is not shipped yet', () => {
    expect(decideShip([a, b], a.id, NOW)).toEqual({
      fulfilment: { ...a, status: 'shipped', version: 2, shippedAt: NOW },
      orderShipped: false,
    });
  });

  it('given the others shipped, when the last ships, then the order is shipped', () => {
    const shipped = { ...a, status: 'shipped' as const, version: 2, shippedAt: NOW };
    expect(decideShip([shipped, b], b.id, NOW)?.orderShipped).toBe(true);
  });

  it('given it already shipped, when it ships again, then nothing changes', () => {
    const shipped = { ...a, status: 'shipped' as const, version: 2, shippedAt: NOW };
    expect(decideShip([shipped, b], a.id, NOW)).toBeNull();
  });
});

describe('decideShip with backorders waiting', () => {
  const [only] = planFulfilments(order, [{ line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 2 }], NOW);
  it('given units still backordered, when the only fulfilment ships, then the order is not shipped', () => {
    expect(decideShip([only!], only!.id, NOW, true)?.orderShipped).toBe(false);
    expect(decideShip([only!], only!.id, NOW, false)?.orderShipped).toBe(true);
  });
});

describe('decideDeliver', () => {
  const [a, b] = planFulfilments(
    order,
    [
      { line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 1 },
      { line: 1, sku: 'TEE', locationId: 'wh-b', quantity: 1 },
    ],
    NOW,
  ) as [Fulfilment, Fulfilment];
  const shipped = (f: Fulfilment): Fulfilment => ({ ...f, status: 'shipped', version: 2, shippedAt: NOW });
  const delivered = (f: Fulfilment): Fulfilment => ({ ...shipped(f), status: 'delivered', version: 3 });

  it.each([
    ['the other still on its way', [shipped(a), shipped(b)], false, false],
    ['the other delivered', [shipped(a), delivered(b)], false, true],
    ['the other delivered but units backordered', [shipped(a), delivered(b)], true, false],
  ] as const)('delivers a shipped fulfilment with %s', (_name, siblings, waiting, orderDelivered) => {
    const decision = decideDeliver(siblings, a.id, NOW, waiting);
    expect(decision?.fulfilment).toMatchObject({ status: 'delivered', version: 3, deliveredAt: NOW });
    expect(decision?.orderDelivered).toBe(orderDelivered);
  });

  it('is idempotent and refuses a fulfilment that has not shipped', () => {
    expect(decideDeliver([delivered(a), b], a.id, NOW)).toBeNull();
    expect(codeOf(() => decideDeliver([a, b], a.id, NOW))).toBe('fulfilment_not_shipped');
    const ready: Fulfilment = { ...a, status: 'ready_for_pickup', version: 2, readyAt: NOW };
    expect(codeOf(() => decideDeliver([ready, b], a.id, NOW))).toBe('fulfilment_not_shipped');
  });
});

describe('decideCancel', () => {
  const [a, b, c] = planFulfilments(
    order,
    [
      { line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 1 },
      { line: 2, sku: 'CAP', locationId: 'store-b', quantity: 1 },
      { line: 3, sku: 'MUG', locationId: 'wh-c', quantity: 1 },
    ],
    '2026-11-30T09:00:00.000Z',
  ) as [Fulfilment, Fulfilment, Fulfilment];
  const ready: Fulfilment = { ...b, status: 'ready_for_pickup', version: 2, readyAt: NOW };
  const shipped: Fulfilment = { ...c, status: 'shipped', version: 2, shippedAt: NOW };

  it('given open fulfilments, when the order is cancelled, then each is cancelled at its next version', () => {
    expect(decideCancel([a, ready, shipped], NOW)).toEqual([
      { ...a, status: 'cancelled', version: 2, cancelledAt: NOW },
      { ...ready, status: 'cancelled', version: 3, cancelledAt: NOW },
    ]);
  });

  it('given a cancelled fulfilment, then it is cancelled once and goes nowhere after', () => {
    const [cancelled] = decideCancel([a], NOW) as [Fulfilment];
    expect(decideCancel([cancelled], NOW)).toEqual([]);
    expect(codeOf(() => decideShip([cancelled], cancelled.id, NOW))).toBe('reservation_not_held');
    expect(codeOf(() => decideDeliver([cancelled], cancelled.id, NOW))).toBe('reservation_not_held');
  });
});
