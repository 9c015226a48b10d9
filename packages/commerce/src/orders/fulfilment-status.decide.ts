import { decideOrder, type OrderCommand, type OrderDecision, type OrderState } from './order.decide.js';

/** What ERP said about one of the order's fulfilments. */
export type FulfilmentSignal =
  | { type: 'created' }
  /** `orderShipped`: every fulfilment of the order has shipped. */
  | { type: 'shipped'; orderShipped: boolean };

const LATER: Record<'allocate' | 'ship', readonly OrderState['status'][]> = {
  allocate: ['shipped', 'delivered', 'cancelled', 'refunded'],
  ship: ['delivered', 'cancelled', 'refunded'],
};

/**
 * The order step an ERP fulfilment event asks for, through `decideOrder`. Null when it no longer applies:
 * events may arrive late or twice, and an order that moved on (or was cancelled) stays where it is. A partial
 * shipment still means the order is allocated.
 */
export function decideFulfilmentStatus(
  order: OrderState,
  signal: FulfilmentSignal,
  now: string,
): OrderDecision | null {
  const command: OrderCommand & { type: 'allocate' | 'ship' } =
    signal.type === 'shipped' && signal.orderShipped ? { type: 'ship' } : { type: 'allocate' };
  if (LATER[command.type].includes(order.status)) return null;
  const decision = decideOrder(order, command, now);
  return decision.changed ? decision : null;
}
