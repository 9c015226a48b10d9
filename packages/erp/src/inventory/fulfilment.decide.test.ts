import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import {
  backorderedByLine,
  decideDeliver,
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
    let code = '';
    try {
      decideDeliver([a, b], a.id, NOW);
    } catch (error) {
      code = isDomainError(error) ? error.code : '';
    }
    expect(code).toBe('fulfilment_not_shipped');
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
