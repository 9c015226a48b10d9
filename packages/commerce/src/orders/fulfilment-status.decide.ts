import { decideOrder, type OrderCommand, type OrderDecision, type OrderState } from './order.decide.js';

/** What ERP said about one of the order's fulfilments. */
export type FulfilmentSignal =
  | { type: 'created' }
  /** `orderShipped`: every fulfilment of the order has shipped. */
  | { type: 'shipped'; orderShipped: boolean }
  /** `orderDelivered`: every fulfilment of the order was delivered. */
  | { type: 'delivered'; orderDelivered: boolean };

type Step = 'allocate' | 'ship' | 'deliver';

const LATER: Record<Step, readonly OrderState['status'][]> = {
  allocate: ['shipped', 'delivered', 'cancelled', 'refunded'],
  ship: ['delivered', 'cancelled', 'refunded'],
  deliver: ['cancelled', 'refunded'],
};

const stepOf = (signal: FulfilmentSignal): Step | null => {
  if (signal.type === 'created') return 'allocate';
  if (signal.type === 'shipped') return signal.orderShipped ? 'ship' : 'allocate';
  // A partial delivery says no more than that the order shipped in part: it is allocated at least.
  return signal.orderDelivered ? 'deliver' : null;
};

/**
 * The order step an ERP fulfilment event asks for, through `decideOrder`. Null when it no longer applies:
 * events may arrive late or twice, and an order that moved on (or was cancelled) stays where it is. A partial
 * shipment still means the order is allocated. A delivery arriving before the shipment it follows (events of
 * one order keep their order, but a consumer may have been behind) first ships the order. An order paid back
 * in full before its delivery (`refunded` ≥ `total`) is `refunded` once delivered, as a refund after it would
 * have made it.
 */
export function decideFulfilmentStatus(
  order: OrderState & { total?: number; refunded?: number },
  signal: FulfilmentSignal,
  now: string,
): OrderDecision | null {
  const step = stepOf(signal);
  if (!step || LATER[step].includes(order.status)) return null;
  const command: OrderCommand = { type: step };
  let decision =
    step === 'deliver' && (order.status === 'placed' || order.status === 'allocated')
      ? { ...decideOrder(decideOrder(order, { type: 'ship' }, now).state, command, now), changed: true }
      : decideOrder(order, command, now);
  const paidBack = (order.refunded ?? 0) > 0 && (order.refunded ?? 0) >= (order.total ?? 0);
  if (step === 'deliver' && paidBack) {
    decision = { ...decideOrder(decision.state, { type: 'refund' }, now), changed: true };
  }
  return decision.changed ? decision : null;
}
