import { fingerprintOf, unprocessable } from '@tillstream/kernel';

export interface RefundRequest {
  /** The caller's id for this refund: repeating it never refunds twice. */
  id: string;
  amount: number;
  /** Of `amount`, what gives back the delivery charge (0: goods only); null when the caller did not say. */
  shipping: number | null;
  reason: string;
  returnId: string | null;
}

/**
 * The content of a refund request: a retry with the same id must carry the same content. A delivery part of 0
 * is left out, so refunds stored before refunds named one (returns, cancels of orders without delivery) keep
 * the fingerprint they were stored under.
 */
export const refundFingerprint = (request: Omit<RefundRequest, 'id'>) =>
  fingerprintOf(
    request.shipping
      ? [request.amount, request.reason, request.returnId, request.shipping]
      : [request.amount, request.reason, request.returnId],
  );

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

/**
 * Whether a refund may say it gives back `shipping` of the delivery: never more than the refund itself, nor
 * than the order's delivery charge less what earlier refunds named of it.
 */
export function assertShippingRefundable(
  order: { id: string; shipping: number; shippingRefunded: number },
  request: Pick<RefundRequest, 'amount' | 'shipping'>,
): void {
  const refundableShipping = Math.max(Math.min(order.shipping - order.shippingRefunded, request.amount), 0);
  if ((request.shipping ?? 0) > refundableShipping)
    throw unprocessable(
      'refund_shipping_exceeds_paid',
      `A refund of ${request.amount} of order ${order.id} may give back ${refundableShipping} of its delivery; ` +
        `${request.shipping} was named`,
      { refundableShipping },
    );
}

/**
 * `request` asking at most what is left of the order to refund, and of its delivery at most what is left of
 * that (and of the refund): for a refund worked out earlier, when another may have taken part of it since.
 */
export function cappedToWhatIsLeft(
  request: RefundRequest,
  order: { total: number; refunded: number },
  delivery: { shipping: number; shippingRefunded: number },
): RefundRequest {
  const amount = Math.max(Math.min(request.amount, order.total - order.refunded), 0);
  const shippingLeft = Math.max(delivery.shipping - delivery.shippingRefunded, 0);
  return { ...request, amount, shipping: Math.min(request.shipping ?? 0, shippingLeft, amount) };
}
