import { describe, expect, it } from 'vitest';
import {
  decideCollect,
  decideReady,
  decideShip,
  planFulfilments,
  type Fulfilment,
} from './fulfilment.decide.js';
import { ADDRESS, COLLECT, EXPRESS, NOW, codeOf, order } from './fulfilment.fixtures.js';

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
