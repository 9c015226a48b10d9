import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import type { Placement } from './allocation.decide.js';
import { decideShip, planFulfilments, type Fulfilment } from './fulfilment.decide.js';
import { decideParcelCommit, type Parcel } from './parcel-commit.decide.js';
import { decideTransition } from './reservation.decide.js';

const NOW = '2026-12-04T10:00:00.000Z';
const at = (line: number, sku: string, locationId: string, quantity: number): Placement => ({
  line,
  sku,
  locationId,
  quantity,
});
const parcel = (locationId: string, lines: Record<string, number>): Parcel => ({
  locationId,
  lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
});

describe('decideParcelCommit', () => {
  const cases: Array<{
    name: string;
    held: Placement[];
    parcels: Parcel[];
    commits: Placement[][];
    stillHeld: Placement[];
  }> = [
    {
      name: 'one of two parcels: only its units at its location leave, the other parcel stays held',
      held: [at(0, 'TEE', 'wh-a', 2), at(0, 'TEE', 'wh-b', 1)],
      parcels: [parcel('wh-a', { TEE: 2 })],
      commits: [[at(0, 'TEE', 'wh-a', 2)]],
      stillHeld: [at(0, 'TEE', 'wh-b', 1)],
    },
    {
      name: 'the last parcel after the first: nothing is held any more',
      held: [at(0, 'TEE', 'wh-a', 2), at(0, 'TEE', 'wh-b', 1)],
      parcels: [parcel('wh-a', { TEE: 2 }), parcel('wh-b', { TEE: 1 })],
      commits: [[at(0, 'TEE', 'wh-a', 2)], [at(0, 'TEE', 'wh-b', 1)]],
      stillHeld: [],
    },
    {
      name: 'kits: the parcel names components, taken from the kit line and a plain line in line order',
      // Line 0: 2 kits of (A×1, B×2); line 1: 1 A. The parcel sums A over both lines, as fulfilments do.
      held: [at(0, 'A', 'wh-a', 2), at(0, 'B', 'wh-a', 3), at(0, 'B', 'wh-b', 1), at(1, 'A', 'wh-a', 1)],
      parcels: [parcel('wh-a', { A: 3, B: 3 })],
      commits: [[at(0, 'A', 'wh-a', 2), at(1, 'A', 'wh-a', 1), at(0, 'B', 'wh-a', 3)]],
      stillHeld: [at(0, 'B', 'wh-b', 1)],
    },
    {
      name: 'two parcels at one location (a backorder filled later): each takes its own units',
      held: [at(0, 'TEE', 'wh-a', 3)],
      parcels: [parcel('wh-a', { TEE: 2 }), parcel('wh-a', { TEE: 1 })],
      commits: [[at(0, 'TEE', 'wh-a', 2)], [at(0, 'TEE', 'wh-a', 1)]],
      stillHeld: [],
    },
  ];

  it.each(cases)('given $name', ({ held, parcels, commits, stillHeld }) => {
    let holding = held;
    parcels.forEach((each, index) => {
      const decision = decideParcelCommit(holding, each);
      expect(decision.commit).toEqual(commits[index]);
      holding = decision.stillHeld;
    });
    expect(holding).toEqual(stillHeld);
  });

  it('given a parcel asking for more than the hold has there, then it throws and commits nothing', () => {
    const held = [at(0, 'TEE', 'wh-a', 1), at(0, 'TEE', 'wh-b', 5)];
    expect(() => decideParcelCommit(held, parcel('wh-a', { TEE: 2 }))).toThrow(/hold has 1/);
    expect(held).toEqual([at(0, 'TEE', 'wh-a', 1), at(0, 'TEE', 'wh-b', 5)]);
  });
});

describe('shipping parcels of one order', () => {
  const order = { orderId: 'order-1', reservationId: 'checkout:1' };
  const held = [at(0, 'TEE', 'wh-a', 2), at(0, 'TEE', 'wh-b', 1)];
  const [a, b] = planFulfilments(order, held, NOW) as [Fulfilment, Fulfilment];

  it('given the first parcel, then it commits its units and the order is not shipped', () => {
    const decision = decideShip([a, b], a.id, NOW)!;
    expect(decision.orderShipped).toBe(false);
    expect(decideParcelCommit(held, a).stillHeld).toEqual([at(0, 'TEE', 'wh-b', 1)]);
  });

  it('given the last parcel, then the order is shipped: the reservation commits what it still holds', () => {
    const shippedA = decideShip([a, b], a.id, NOW)!.fulfilment;
    const decision = decideShip([shippedA, b], b.id, NOW)!;
    expect(decision.orderShipped).toBe(true);
    expect(decideParcelCommit(decideParcelCommit(held, a).stillHeld, b).stillHeld).toEqual([]);
    expect(
      decideTransition({ id: 'checkout:1', status: 'held', expiresAt: NOW }, 'commit', NOW, {
        forOrder: true,
      }),
    ).toBe('committed');
  });

  it('given a parcel shipped again, then there is nothing to decide: no second commit', () => {
    const shippedA = decideShip([a, b], a.id, NOW)!.fulfilment;
    expect(decideShip([shippedA, b], a.id, NOW)).toBeNull();
  });

  it('given a parcel shipped, then its order cannot be released (commerce does not cancel it either)', () => {
    let error: unknown;
    try {
      decideTransition({ id: 'checkout:1', status: 'held', expiresAt: NOW }, 'release', NOW, {
        shipped: true,
      });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('order_transition_invalid');
  });

  it('given a placed order partly shipped, then its hold does not expire', () => {
    const past = '2026-01-01T00:00:00.000Z';
    expect(
      decideTransition({ id: 'checkout:1', status: 'held', expiresAt: past }, 'expire', NOW, {
        forOrder: true,
      }),
    ).toBeNull();
  });
});
