import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import { decideOrder, type OrderCommand, type OrderState, type OrderStatus } from './order.decide.js';

const NOW = '2026-11-30T10:00:00.000Z';
const order = (status: OrderStatus): OrderState => ({
  id: 'order-1',
  status,
  version: 1,
  updatedAt: '2026-11-30T09:00:00.000Z',
  cancellation: null,
});
const cancel: OrderCommand = { type: 'cancel', reason: 'customer' };

describe('decideOrder', () => {
  it.each([
    ['placed', { type: 'allocate' }, 'allocated'],
    ['allocated', { type: 'ship' }, 'shipped'],
    ['placed', { type: 'ship_part' }, 'partially_shipped'],
    ['allocated', { type: 'ship_part' }, 'partially_shipped'],
    ['partially_shipped', { type: 'ship' }, 'shipped'],
    ['placed', { type: 'ship' }, 'shipped'],
    ['shipped', { type: 'deliver' }, 'delivered'],
    ['placed', cancel, 'cancelled'],
    ['allocated', cancel, 'cancelled'],
    ['delivered', { type: 'refund' }, 'refunded'],
    ['cancelled', { type: 'refund' }, 'refunded'],
  ] as const)('given %s, when %o, then %s', (from, command, to) => {
    const decision = decideOrder(order(from), command, NOW);
    expect(decision.state).toMatchObject({ id: 'order-1', status: to, version: 2, updatedAt: NOW });
    expect(decision.changed).toBe(true);
  });

  it('cancelling before shipping releases stock and promotion uses, and refunds', () => {
    expect(decideOrder(order('allocated'), cancel, NOW).effects).toEqual([
      { type: 'release_stock' },
      { type: 'release_promotions' },
      { type: 'refund_payment' },
    ]);
  });

  it('keeps why and when an order was cancelled, through the refund after it', () => {
    const cancelled = decideOrder(order('ready_for_pickup'), cancel, NOW).state;
    expect(cancelled.cancellation).toEqual({ reason: 'customer', at: NOW });
    expect(decideOrder(order('allocated'), { type: 'allocate' }, NOW).state.cancellation).toBeNull();
    const refunded = decideOrder(cancelled, { type: 'refund' }, '2026-11-30T11:00:00.000Z').state;
    expect(refunded.cancellation).toEqual({ reason: 'customer', at: NOW });
  });

  it('a repeated step (a redelivered event) changes nothing', () => {
    const decision = decideOrder(order('shipped'), { type: 'ship' }, NOW);
    expect(decision).toEqual({ state: order('shipped'), effects: [], changed: false });
  });

  it.each([
    ['partially_shipped', cancel],
    ['shipped', cancel],
    ['shipped', { type: 'ship_part' }],
    ['partially_shipped', { type: 'deliver' }],
    ['partially_shipped', { type: 'refund' }],
    ['delivered', cancel],
    ['placed', { type: 'deliver' }],
    ['placed', { type: 'refund' }],
    ['cancelled', { type: 'ship' }],
  ] as const)('given %s, %o is order_transition_invalid', (from, command) => {
    let code = '';
    try {
      decideOrder(order(from), command, NOW);
    } catch (error) {
      code = isDomainError(error) ? error.code : '';
    }
    expect(code).toBe('order_transition_invalid');
  });
});
