import { conflict } from '@tillstream/kernel';

/**
 * An online order's life. `placed` at checkout (stock held in ERP); `allocated` once ERP committed the hold
 * to locations; `ready_for_pickup` once a collection waits at its store for the shopper (click and collect);
 * `partially_shipped` once some of its fulfilments left while others (or backordered units)
 * wait; `shipped` and `delivered` from fulfilment; `cancelled` only before anything shipped (the hold or the
 * allocation goes back to stock, the uses of limited promotions back to ERP); `refunded` after cancelling or
 * delivery.
 */
export const ORDER_STATUSES = [
  'placed',
  'allocated',
  'ready_for_pickup',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderCommand =
  | { type: 'allocate' }
  | { type: 'ready' }
  | { type: 'ship_part' }
  | { type: 'ship' }
  | { type: 'deliver' }
  | { type: 'cancel'; reason: string }
  | { type: 'refund' };

/** The effects a transition asks the caller to carry out, besides saving the new status. */
export type OrderEffect =
  { type: 'release_stock' } | { type: 'release_promotions' } | { type: 'refund_payment' };

export interface OrderState {
  id: string;
  status: OrderStatus;
  version: number;
  updatedAt: string;
  /** Why and when it was cancelled; null until then (and for orders cancelled before this was kept). */
  cancellation: { reason: string; at: string } | null;
}

const TRANSITIONS: Record<OrderCommand['type'], { from: readonly OrderStatus[]; to: OrderStatus }> = {
  allocate: { from: ['placed'], to: 'allocated' },
  ready: { from: ['placed', 'allocated'], to: 'ready_for_pickup' },
  // Some fulfilments left: the units that did cannot come back into stock, so cancel is over.
  ship_part: { from: ['placed', 'allocated', 'ready_for_pickup'], to: 'partially_shipped' },
  ship: { from: ['placed', 'allocated', 'ready_for_pickup', 'partially_shipped'], to: 'shipped' },
  deliver: { from: ['shipped'], to: 'delivered' },
  // A collection nobody came for is cancelled like any order not yet handed over: its units go back.
  cancel: { from: ['placed', 'allocated', 'ready_for_pickup'], to: 'cancelled' },
  refund: { from: ['cancelled', 'delivered'], to: 'refunded' },
};

export interface OrderDecision {
  state: OrderState;
  effects: OrderEffect[];
  /** False when the order already was in the target status: events may be redelivered. */
  changed: boolean;
}

/** Decides one step of the order's state machine; time is passed in. */
export function decideOrder(order: OrderState, command: OrderCommand, now: string): OrderDecision {
  const transition = TRANSITIONS[command.type];
  if (order.status === transition.to) return { state: order, effects: [], changed: false };
  if (!transition.from.includes(order.status)) {
    throw conflict(
      'order_transition_invalid',
      `Order ${order.id} is ${order.status}; it cannot ${command.type}`,
      { status: order.status },
    );
  }
  const effects: OrderEffect[] = [];
  if (command.type === 'cancel')
    effects.push({ type: 'release_stock' }, { type: 'release_promotions' }, { type: 'refund_payment' });
  const cancellation = command.type === 'cancel' ? { reason: command.reason, at: now } : order.cancellation;
  return {
    state: { ...order, status: transition.to, version: order.version + 1, updatedAt: now, cancellation },
    effects,
    changed: true,
  };
}
