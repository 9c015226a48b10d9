import { fingerprintOf, unprocessable } from '@tillstream/kernel';

export interface RefundRequest {
  /** The caller's id for this refund: repeating it never refunds twice. */
  id: string;
  amount: number;
  reason: string;
  returnId: string | null;
}

/** The content of a refund request: a retry with the same id must carry the same content. */
export const refundFingerprint = (request: Omit<RefundRequest, 'id'>) =>
  fingerprintOf([request.amount, request.reason, request.returnId]);

/**
 * Whether `amount` may be refunded on an order: never more than was paid minus what was refunded already
 * (refunds in flight count, so two concurrent refunds cannot both take the last of it).
 */
export function assertRefundable(
  order: { id: string; total: number; refunded: number },
  amount: number,
): void {
  const refundable = order.total - order.refunded;
  if (amount > refundable)
    throw unprocessable(
      'refund_exceeds_paid',
      `Order ${order.id} has ${refundable} left to refund; ${amount} was asked`,
      { refundable },
    );
}
