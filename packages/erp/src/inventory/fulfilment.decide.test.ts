import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import {
  backorderedByLine,
  decideCancel,
  decideCollect,
  decideDeliver,
  decideReady,
  decideShip,
  planBackorderFulfilment,
  orderShipping,
  planFulfilments,
  type Fulfilment,
} from './fulfilment.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const order = { orderId: 'order-1', reservationId: 'checkout:1' };
const ADDRESS = { name: 'A. Buyer', line1: 'Dam 1', postalCode: '1012 JS', city: 'Amsterdam', country: 'NL' };
const EXPRESS = { id: 'express', name: 'Next-day delivery' };
const COLLECT = { id: 'collect-dam', name: 'Collect at Store Dam' };

/** The error code a decision throws, '' when it throws none. */
const codeOf = (decide: () => unknown) => {
  try {
    decide();
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
  return '';
};

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

  it('given an order with delivery, then every fulfilment carries its address and method; without, null', () => {
    const placements = [
      { line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 1 },
      { line: 1, sku: 'TEE', locationId: 'wh-b', quantity: 1 },
    ];
    const shipped = planFulfilments(
      { ...order, shipping: { method: EXPRESS, address: ADDRESS } },
      placements,
      NOW,
    );
    expect(shipped.map(({ shipTo, shippingMethod }) => ({ shipTo, shippingMethod }))).toEqual([
      { shipTo: ADDRESS, shippingMethod: EXPRESS },
      { shipTo: ADDRESS, shippingMethod: EXPRESS },
    ]);
    expect(planFulfilments(order, placements, NOW).map((f) => [f.shipTo, f.shippingMethod])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('given a collection, then every fulfilment is a pickup; a delivery or no delivery, not', () => {
    const placements = [{ line: 1, sku: 'TEE', locationId: 'store-a', quantity: 1 }];
    const pickup = { method: COLLECT, address: ADDRESS, pickup: true as const };
    expect(planFulfilments({ ...order, shipping: pickup }, placements, NOW)).toMatchObject([
      { pickup: true, shipTo: ADDRESS, shippingMethod: COLLECT, readyAt: null },
    ]);
    const delivery = { method: EXPRESS, address: ADDRESS };
    expect(planFulfilments({ ...order, shipping: delivery }, placements, NOW)[0]?.pickup).toBe(false);
    expect(planFulfilments(order, placements, NOW)[0]?.pickup).toBe(false);
    expect(planBackorderFulfilment({ ...order, shipping: pickup }, placements[0]!, [], NOW).pickup).toBe(
      true,
    );
  });
});

describe('orderShipping', () => {
  it('given a placed order with delivery, then it keeps the method id and name and the address, not the charge', () => {
    expect(
      orderShipping({
        shipping: {
          methodId: 'express',
          name: 'Next-day delivery',
          amount: 995,
          tax: { ratePpm: 210_000, inclusive: true, amount: 173 },
          address: ADDRESS,
        },
      }),
    ).toEqual({ method: EXPRESS, address: ADDRESS });
  });

  it('given a placed order without delivery, then null', () => {
    expect(orderShipping({})).toBeNull();
  });

  it('given a collection, then it keeps that the shopper collects', () => {
    expect(
      orderShipping({
        shipping: {
          methodId: 'collect-dam',
          name: 'Collect at Store Dam',
          amount: 0,
          tax: { ratePpm: 210_000, inclusive: true, amount: 0 },
          address: ADDRESS,
          pickup: { locationId: 'store-a' },
        },
      }),
    ).toEqual({ method: COLLECT, address: ADDRESS, pickup: true });
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

describe('planBackorderFulfilment', () => {
  const fill = { line: 0, sku: 'TEE', locationId: 'wh-a', quantity: 3 };
  it.each([
    ['no fulfilment at the location yet', [], 'order-1:wh-a'],
    ['one there already', [{ id: 'order-1:wh-a', locationId: 'wh-a' }], 'order-1:wh-a:2'],
    [
      'two there already',
      [
        { id: 'order-1:wh-a', locationId: 'wh-a' },
        { id: 'order-1:wh-a:2', locationId: 'wh-a' },
      ],
      'order-1:wh-a:3',
    ],
  ])('given %s, then a new fulfilment %s for the filled units', (_name, existing, id) => {
    expect(planBackorderFulfilment(order, fill, existing, NOW)).toMatchObject({
      id,
      status: 'allocated',
      lines: [{ sku: 'TEE', quantity: 3 }],
    });
  });

  it("given an order with delivery, then the backorder's fulfilment goes where the order's others go", () => {
    const shipping = { method: EXPRESS, address: ADDRESS };
    expect(planBackorderFulfilment({ ...order, shipping }, fill, [], NOW)).toMatchObject({
      shipTo: ADDRESS,
      shippingMethod: EXPRESS,
    });
  });
});

describe('backorderedByLine', () => {
  const kit = [
    { sku: 'MUG', quantity: 2 },
    { sku: 'LID', quantity: 1 },
  ];
  const components = (sku: string) => (sku === 'GIFT' ? kit : null);
  it('counts a standard line’s missing units and a kit line’s incomplete kits', () => {
    const lines = [
      { sku: 'TEE', quantity: 5 },
      { sku: 'GIFT', quantity: 3 },
      { sku: 'CAP', quantity: 1 },
    ];
    const open = [
      { line: 0, sku: 'TEE', missing: 3 },
      { line: 1, sku: 'MUG', missing: 3 },
      { line: 1, sku: 'LID', missing: 1 },
    ];
    expect(backorderedByLine(lines, open, components)).toEqual([
      { lineNo: 1, sku: 'TEE', backordered: 3 },
      { lineNo: 2, sku: 'GIFT', backordered: 2 },
      { lineNo: 3, sku: 'CAP', backordered: 0 },
    ]);
  });
});

describe('click and collect', () => {
  const READY = '2026-11-30T12:00:00.000Z';
  const shipping = { method: COLLECT, address: ADDRESS, pickup: true as const };
  const [a, b] = planFulfilments(
    { ...order, shipping },
    [
      { line: 1, sku: 'TEE', locationId: 'store-a', quantity: 1 },
      { line: 2, sku: 'CAP', locationId: 'store-b', quantity: 1 },
    ],
    '2026-11-30T09:00:00.000Z',
  ) as [Fulfilment, Fulfilment];
  const ready = (f: Fulfilment): Fulfilment => ({
    ...f,
    status: 'ready_for_pickup',
    version: f.version + 1,
    readyAt: READY,
  });
  const shipped = (f: Fulfilment): Fulfilment => ({
    ...f,
    status: 'shipped',
    version: f.version + 1,
    shippedAt: READY,
  });
  const delivered = (f: Fulfilment): Fulfilment => ({
    ...shipped(f),
    status: 'delivered',
    version: f.version + 2,
    deliveredAt: READY,
  });
  const held = { waiting: false, holdStatus: 'held' as const };
  const [delivery] = planFulfilments(
    { ...order, shipping: { method: EXPRESS, address: ADDRESS } },
    [{ line: 1, sku: 'TEE', locationId: 'wh-a', quantity: 1 }],
    NOW,
  ) as [Fulfilment];

  describe('decideReady', () => {
    it('given an allocated collection, then it waits for its shopper at the next version', () => {
      expect(decideReady([a], a.id, NOW, held)).toEqual({
        fulfilment: { ...a, status: 'ready_for_pickup', version: 2, readyAt: NOW },
        orderReady: true,
      });
    });

    it.each([
      ['another fulfilment still allocated', () => [a, b], false, false],
      ['the other ready', () => [a, ready(b)], false, true],
      ['the other collected', () => [a, delivered(b)], false, true],
      ['the other ready but units backordered', () => [a, ready(b)], true, false],
    ] as const)('given %s, then orderReady is %s', (_name, siblings, waiting, orderReady) => {
      expect(decideReady(siblings(), a.id, NOW, { ...held, waiting })?.orderReady).toBe(orderReady);
    });

    it.each([
      ['ready', ready(a)],
      ['shipped', shipped(a)],
      ['delivered', delivered(a)],
    ])('given it is %s already, then nothing changes', (_name, current) => {
      expect(decideReady([current, b], a.id, NOW, held)).toBeNull();
    });

    it('given a delivery, then 409 fulfilment_not_pickup, whatever its status', () => {
      expect(codeOf(() => decideReady([delivery], delivery.id, NOW, held))).toBe('fulfilment_not_pickup');
      expect(codeOf(() => decideReady([shipped(delivery)], delivery.id, NOW, held))).toBe(
        'fulfilment_not_pickup',
      );
    });

    it('given the order was cancelled (its hold released), then 409 reservation_not_held', () => {
      expect(codeOf(() => decideReady([a], a.id, NOW, { waiting: false, holdStatus: 'released' }))).toBe(
        'reservation_not_held',
      );
    });
  });

  describe('decideShip of a collection', () => {
    it('given it is ready for pickup, then it ships', () => {
      expect(decideShip([ready(a)], a.id, NOW)).toEqual({
        fulfilment: { ...ready(a), status: 'shipped', version: 3, shippedAt: NOW },
        orderShipped: true,
      });
    });

    it('given the other fulfilment is ready but not handed over, then the order is not shipped yet', () => {
      expect(decideShip([a, ready(b)], a.id, NOW)?.orderShipped).toBe(false);
    });
  });

  describe('decideCollect', () => {
    it.each([
      ['allocated', a, 1],
      ['ready for pickup', ready(a), 2],
    ])('given it is %s, then it ships and is delivered at once', (_name, current, version) => {
      const decision = decideCollect([current], a.id, NOW);
      expect(decision.ship).toEqual({
        fulfilment: { ...current, status: 'shipped', version: version + 1, shippedAt: NOW },
        orderShipped: true,
      });
      expect(decision.deliver).toEqual({
        fulfilment: {
          ...current,
          status: 'delivered',
          version: version + 2,
          shippedAt: NOW,
          deliveredAt: NOW,
        },
        orderDelivered: true,
      });
    });

    it('given another fulfilment still to collect, then neither the order is shipped nor delivered', () => {
      const decision = decideCollect([a, ready(b)], a.id, NOW);
      expect([decision.ship?.orderShipped, decision.deliver?.orderDelivered]).toEqual([false, false]);
    });

    it('given units still backordered, then neither the order is shipped nor delivered', () => {
      const decision = decideCollect([a], a.id, NOW, true);
      expect([decision.ship?.orderShipped, decision.deliver?.orderDelivered]).toEqual([false, false]);
    });

    it('given it shipped already, then it is only delivered', () => {
      const decision = decideCollect([shipped(a), delivered(b)], a.id, NOW);
      expect(decision.ship).toBeNull();
      expect(decision.deliver).toMatchObject({
        fulfilment: { status: 'delivered', version: 3, shippedAt: READY, deliveredAt: NOW },
        orderDelivered: true,
      });
    });

    it('given it was collected already, then nothing changes', () => {
      expect(decideCollect([delivered(a)], a.id, NOW)).toEqual({ ship: null, deliver: null });
    });

    it('given a delivery, then 409 fulfilment_not_pickup', () => {
      expect(codeOf(() => decideCollect([delivery], delivery.id, NOW))).toBe('fulfilment_not_pickup');
    });
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
