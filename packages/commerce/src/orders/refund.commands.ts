import { OrderRefundedV1, type OrderRefundedV1Data } from '@tillstream/contracts';
import {
  conflict,
  keepOrigin,
  unavailable,
  type Clock,
  type Db,
  type Logger,
  type Outbox,
} from '@tillstream/kernel';
import { paymentProviderFor, type PaymentProvider } from '../checkout/payment.port.js';
import { orderStore, type Order } from './order.store.js';
import {
  assertRefundable,
  assertShippingRefundable,
  refundFingerprint,
  type RefundRequest,
} from './refund.decide.js';
import { refundStore, type Refund } from './refund.store.js';

/**
 * Refunds through the order's payment provider, each at most once. A refund is first counted against the
 * order (pending), then asked of the provider with its id as the provider's idempotency key, then recorded
 * with the provider's reference and `commerce.order.refunded`. A provider failure un-counts it (503
 * `refund_failed`); a process dying in between leaves it pending, and repeating the refund's id finishes it.
 */
export function createRefunds(deps: {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  payments: Readonly<Record<string, PaymentProvider>>;
}) {
  const { db } = deps;
  const now = () => deps.clock.now().toISOString();

  /** Counts the refund against the order, or answers the stored one (a retry). */
  const begin = (order: Order, request: RefundRequest, requestHash: string) =>
    db.transaction(async (tx): Promise<Refund> => {
      const existing = await refundStore.find(tx, order.id, request.id);
      if (existing && existing.requestHash !== requestHash)
        throw conflict('id_conflict', `Refund ${request.id} of order ${order.id} exists with other content`);
      if (existing && existing.status !== 'failed') return existing;
      const [current] = await tx.query<{ total: number | string; refunded: number | string }>(
        'SELECT total, refunded FROM orders WHERE id = $1',
        [order.id],
      );
      const totals = { id: order.id, total: Number(current!.total), refunded: Number(current!.refunded) };
      assertRefundable(totals, request.amount);
      // The check above explains a refusal; this conditional update is what enforces it under concurrency.
      if (!(await refundStore.reserve(tx, order.id, request.amount)))
        assertRefundable({ ...totals, refunded: totals.total }, request.amount);
      // Read after the update above, which waits for a concurrent refund of the order to end, so two refunds
      // cannot both name the last of the delivery.
      if (request.shipping)
        assertShippingRefundable(
          {
            id: order.id,
            shipping: order.shipping?.amount ?? 0,
            shippingRefunded: await refundStore.shippingRefunded(tx, order.id),
          },
          request,
        );
      const at = now();
      const refund: Refund = {
        id: request.id,
        orderId: order.id,
        amount: request.amount,
        // A retry keeps what the refund was stored with (one from before refunds named a delivery part: null).
        shipping: existing ? existing.shipping : request.shipping,
        reason: request.reason,
        returnId: request.returnId,
        requestHash,
        status: 'pending',
        reference: null,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      if (existing) await refundStore.setStatus(tx, refund, 'failed', 'pending', null, at);
      else await refundStore.insert(tx, refund);
      return refund;
    });

  const succeed = (order: Order, refund: Refund, reference: string) =>
    db.transaction(async (tx): Promise<Refund> => {
      const at = now();
      // Two refunds of the order finishing at once count their running totals one after the other. Taken before
      // the refund's own row, as `begin` takes the order's before it.
      await orderStore.lock(tx, order.id);
      if (!(await refundStore.setStatus(tx, refund, 'pending', 'succeeded', reference, at)))
        return (await refundStore.find(tx, order.id, refund.id))!;
      // The running totals count the refunds that went through, not those still at the provider: counting a
      // refund in flight would give two refunds the same stretch of the order, and a consumer splitting each
      // over the order's tax rates on its running total would give some of it back twice.
      const settled = await refundStore.settled(tx, order.id);
      // A delivered order refunded in full (everything returned, or a full goodwill refund) is `refunded`.
      await tx.execute(
        `UPDATE orders SET status = 'refunded', version = version + 1, updated_at = $2
         WHERE id = $1 AND status = 'delivered' AND $3 >= total`,
        [order.id, at, settled.refunded],
      );
      const data: OrderRefundedV1Data = {
        orderId: order.id,
        refundId: refund.id,
        currency: order.currency,
        amount: refund.amount,
        ...(refund.shipping === null ? {} : { shipping: refund.shipping }),
        refunded: settled.refunded,
        shippingRefunded: settled.shippingRefunded,
        reason: refund.reason,
        returnId: refund.returnId,
        payment: order.payment,
        refundedAt: at,
      };
      await deps.outbox.append(tx, [
        { contract: OrderRefundedV1, subject: `order/${order.id}/refund/${refund.id}`, sequence: 1, data },
      ]);
      return { ...refund, status: 'succeeded', reference, updatedAt: at };
    });

  const fail = (order: Order, refund: Refund, reason: string) =>
    db.transaction(async (tx) => {
      if (await refundStore.setStatus(tx, refund, 'pending', 'failed', null, now()))
        await refundStore.unreserve(tx, order.id, refund.amount);
      deps.logger.warn(
        { orderId: order.id, refundId: refund.id, reason },
        'the payment provider refused a refund',
      );
    });

  return {
    /** Refunds `request.amount` of `order` once; the same id again answers the same refund. */
    async refund(order: Order, request: RefundRequest): Promise<{ created: boolean; refund: Refund }> {
      const provider = paymentProviderFor(deps.payments, order.payment.method);
      const inRequest = keepOrigin();
      const refund = await begin(order, request, refundFingerprint(request));
      if (refund.status === 'succeeded') return { created: false, refund };
      const result = await provider
        .refund({
          refundId: `${order.id}/${refund.id}`,
          paymentReference: order.payment.reference,
          amount: refund.amount,
          currency: order.currency,
        })
        .catch((error: unknown) => ({ status: 'failed' as const, reason: String(error) }));
      if (result.status !== 'refunded') {
        await inRequest(() => fail(order, refund, result.reason));
        throw unavailable('refund_failed', `The payment provider did not refund: ${result.reason}`, {
          retryAfterSeconds: 5,
        });
      }
      return { created: true, refund: await inRequest(() => succeed(order, refund, result.reference)) };
    },
    ofOrder: (orderId: string) => refundStore.ofOrder(db, orderId),
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
