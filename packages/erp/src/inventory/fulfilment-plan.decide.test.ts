import { describe, expect, it } from 'vitest';
import {
  backorderedByLine,
  orderShipping,
  planBackorderFulfilment,
  planFulfilments,
} from './fulfilment.decide.js';
import { ADDRESS, COLLECT, EXPRESS, NOW, order } from './fulfilment.fixtures.js';

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
