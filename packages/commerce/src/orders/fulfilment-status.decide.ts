import { decideOrder, type OrderCommand, type OrderDecision, type OrderState } from './order.decide.js';

/** What ERP said about one of the order's fulfilments. */
export type FulfilmentSignal =
  | { type: 'created' }
  /** `orderReady`: every fulfilment of the order waits at its store for the shopper (click and collect). */
  | { type: 'ready'; orderReady: boolean }
  /** `orderShipped`: every fulfilment of the order has shipped. */
  | { type: 'shipped'; orderShipped: boolean }
  /** `orderDelivered`: every fulfilment of the order was delivered. */
  | { type: 'delivered'; orderDelivered: boolean };

type Step = 'allocate' | 'ready' | 'ship_part' | 'ship' | 'deliver';

/** The statuses past each step: an event asking for a step the order has gone beyond changes nothing. */
const LATER: Record<Step, readonly OrderState['status'][]> = {
  allocate: ['ready_for_pickup', 'partially_shipped', 'shipped', 'delivered', 'cancelled', 'refunded'],
  ready: ['partially_shipped', 'shipped', 'delivered', 'cancelled', 'refunded'],
  ship_part: ['shipped', 'delivered', 'cancelled', 'refunded'],
  ship: ['delivered', 'cancelled', 'refunded'],
  deliver: ['cancelled', 'refunded'],
};

/** Statuses from which a delivery first ships the order (a consumer that was behind on events). */
const NOT_SHIPPED: readonly OrderState['status'][] = [
  'placed',
  'allocated',
  'ready_for_pickup',
  'partially_shipped',
];

/** The step a signal asks for; null for a part of a collection made ready while the rest is not (yet). */
const stepOf = (signal: FulfilmentSignal): Step | null => {
  if (signal.type === 'created') return 'allocate';
  if (signal.type === 'ready') return signal.orderReady ? 'ready' : null;
  if (signal.type === 'shipped') return signal.orderShipped ? 'ship' : 'ship_part';
  // A partial delivery says no more than that the order shipped in part.
  return signal.orderDelivered ? 'deliver' : 'ship_part';
};

/**
 * The order step an ERP fulfilment event asks for, through `decideOrder`. Null when it no longer applies:
 * events may arrive late or twice, and an order that moved on (or was cancelled) stays where it is. A
 * collection is `ready_for_pickup` once all of it waits at the store (`orderReady`); a part made ready says
 * nothing the order's status can show. A shipment that is not the order's last (`orderShipped` false: other fulfilments or backordered units wait)
 * makes the order `partially_shipped`, as does a partial delivery of an order not known to have shipped. A
 * delivery arriving before the shipment it follows (events of one order keep their order, but a consumer may
 * have been behind) first ships the order. An order paid back in full before its delivery (`refunded` ≥
 * `total`) is `refunded` once delivered, as a refund after it would have made it.
 */
export function decideFulfilmentStatus(
  order: OrderState & { total?: number; refunded?: number },
  signal: FulfilmentSignal,
  now: string,
): OrderDecision | null {
  const step = stepOf(signal);
  if (step === null || LATER[step].includes(order.status)) return null;
  const command: OrderCommand = { type: step };
  let decision =
    step === 'deliver' && NOT_SHIPPED.includes(order.status)
      ? { ...decideOrder(decideOrder(order, { type: 'ship' }, now).state, command, now), changed: true }
      : decideOrder(order, command, now);
  const paidBack = (order.refunded ?? 0) > 0 && (order.refunded ?? 0) >= (order.total ?? 0);
  if (step === 'deliver' && paidBack) {
    decision = { ...decideOrder(decision.state, { type: 'refund' }, now), changed: true };
  }
  return decision.changed ? decision : null;
}
