import { describe, expect, it } from 'vitest';
import { decideShip, planFulfilments, type Fulfilment } from './fulfilment.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const order = { orderId: 'order-1', reservationId: 'checkout:1' };

describe('planFulfilments', () => {
  it('given placements over two locations, then one fulfilment per location with SKUs summed', () => {
    const plan = planFulfilments(
      order,
      [
        { line: 1, sku: 'TEE', locationId: 'wh-b', quantity: 1 },
        { line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 2 },
        { line: 2, sku: 'SOCK', locationId: 'wh-a', quantity: 1 },
        { line: 3, sku: 'TEE', locationId: 'wh-a', quantity: 1 },
      ],
      NOW,
    );
    expect(
      plan.map(({ id, locationId, lines, status, version }) => ({ id, locationId, lines, status, version })),
    ).toEqual([
      {
        id: 'order-1:wh-a',
        locationId: 'wh-a',
        lines: [
          { sku: 'SOCK', quantity: 1 },
          { sku: 'TEE', quantity: 3 },
        ],
        status: 'allocated',
        version: 1,
      },
      {
        id: 'order-1:wh-b',
        locationId: 'wh-b',
        lines: [{ sku: 'TEE', quantity: 1 }],
        status: 'allocated',
        version: 1,
      },
    ]);
  });

  it('given no placements (all backordered), then no fulfilment', () => {
    expect(planFulfilments(order, [], NOW)).toEqual([]);
  });
});

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
