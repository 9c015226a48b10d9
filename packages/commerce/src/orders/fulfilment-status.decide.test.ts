import { describe, expect, it } from 'vitest';
import { decideFulfilmentStatus, type FulfilmentSignal } from './fulfilment-status.decide.js';
import type { OrderState, OrderStatus } from './order.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const order = (status: OrderStatus): OrderState => ({
  id: 'order-1',
  status,
  version: 1,
  updatedAt: '2026-11-30T09:00:00.000Z',
  cancellation: null,
});
const created: FulfilmentSignal = { type: 'created' };
const partial: FulfilmentSignal = { type: 'shipped', orderShipped: false };
const complete: FulfilmentSignal = { type: 'shipped', orderShipped: true };
const delivered: FulfilmentSignal = { type: 'delivered', orderDelivered: true };
const partlyDelivered: FulfilmentSignal = { type: 'delivered', orderDelivered: false };
const ready: FulfilmentSignal = { type: 'ready', orderReady: true };
const partlyReady: FulfilmentSignal = { type: 'ready', orderReady: false };

describe('decideFulfilmentStatus', () => {
  it.each([
    ['placed', created, 'allocated'],
    ['placed', partial, 'partially_shipped'],
    ['allocated', partial, 'partially_shipped'],
    ['allocated', partlyDelivered, 'partially_shipped'],
    ['allocated', complete, 'shipped'],
    ['partially_shipped', complete, 'shipped'],
    ['placed', complete, 'shipped'],
    ['shipped', delivered, 'delivered'],
    ['allocated', ready, 'ready_for_pickup'],
    ['placed', ready, 'ready_for_pickup'],
    ['ready_for_pickup', complete, 'shipped'],
  ] as const)('given %s, when %o, then %s', (from, signal, to) => {
    const decision = decideFulfilmentStatus(order(from), signal, NOW);
    expect(decision?.state).toEqual({
      id: 'order-1',
      status: to,
      version: 2,
      updatedAt: NOW,
      cancellation: null,
    });
    expect(decision?.effects).toEqual([]);
  });

  it.each([
    ['allocated', created],
    ['partially_shipped', created],
    ['partially_shipped', partial],
    ['partially_shipped', partlyDelivered],
    ['shipped', created],
    ['shipped', partial],
    ['shipped', complete],
    ['delivered', complete],
    ['cancelled', created],
    ['cancelled', partial],
    ['cancelled', complete],
    ['refunded', created],
    ['shipped', partlyDelivered],
    ['delivered', delivered],
    ['refunded', delivered],
    ['cancelled', delivered],
    ['allocated', partlyReady],
    ['ready_for_pickup', ready],
    ['ready_for_pickup', created],
    ['shipped', ready],
    ['delivered', ready],
    ['cancelled', ready],
  ] as const)('given %s, when %o (late, repeated or moot), then nothing changes', (from, signal) => {
    expect(decideFulfilmentStatus(order(from), signal, NOW)).toBeNull();
  });

  it.each(['allocated', 'ready_for_pickup', 'partially_shipped'] as const)(
    'given a %s order behind on events, when its delivery arrives, then it is shipped and delivered at once',
    (from) => {
      expect(decideFulfilmentStatus(order(from), delivered, NOW)?.state).toEqual({
        id: 'order-1',
        status: 'delivered',
        version: 3,
        updatedAt: NOW,
        cancellation: null,
      });
    },
  );

  it.each([
    ['paid back in full', 'refunded', 1000],
    ['paid back in part', 'delivered', 400],
    ['not paid back', 'delivered', 0],
  ] as const)('given a shipped order %s, when its delivery arrives, then it is %s', (_name, to, refunded) => {
    const decision = decideFulfilmentStatus({ ...order('shipped'), total: 1000, refunded }, delivered, NOW);
    expect(decision?.state.status).toBe(to);
  });
});
