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
  cappedToWhatIsLeft,
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

  /**
   * Counts the refund against the order, or answers the stored one (a retry). Under the order's lock from the
   * start, so two requests of one refund id count one after the other (the second finds the first's row), as
   * do a refund and a cancel paying back the rest. A `capped` request (a cancel's rest, a return's share) takes
   * what is left of the order and of its delivery when it is counted, at most what it asks, rather than failing
   * for what another refund took meanwhile: null when nothing is left.
   */
  const begin = (order: Order, request: RefundRequest, capped: boolean) =>
    db.transaction(async (tx): Promise<Refund | null> => {
      await orderStore.lock(tx, order.id);
      const existing = await refundStore.find(tx, order.id, request.id);
      // A capped refund's amount is worked out here, so a retry of its id cannot carry other content.
      if (existing && !capped && existing.requestHash !== refundFingerprint(request))
        throw conflict('id_conflict', `Refund ${request.id} of order ${order.id} exists with other content`);
      if (existing && existing.status !== 'failed') return existing;
      const [current] = await tx.query<{ total: number | string; refunded: number | string }>(
        'SELECT total, refunded FROM orders WHERE id = $1',
        [order.id],
      );
      const totals = { id: order.id, total: Number(current!.total), refunded: Number(current!.refunded) };
      const shipping = {
        id: order.id,
        shipping: order.shipping?.amount ?? 0,
        shippingRefunded: await refundStore.shippingRefunded(tx, order.id),
      };
      // A retry after the provider refused asks what was stored, as it was stored.
      const counted = existing
        ? { ...request, amount: existing.amount, shipping: existing.shipping }
        : capped
          ? cappedToWhatIsLeft(request, totals, shipping)
          : request;
      if (counted.amount === 0 && capped) return null;
      assertRefundable(totals, counted.amount);
      // The check above explains a refusal; the conditional update holds the same rule in SQL.
      if (!(await refundStore.reserve(tx, order.id, counted.amount)))
        assertRefundable({ ...totals, refunded: totals.total }, counted.amount);
      if (counted.shipping) assertShippingRefundable(shipping, counted);
      const at = now();
      const refund: Refund = {
        id: request.id,
        orderId: order.id,
        amount: counted.amount,
        // A retry keeps what the refund was stored with (one from before refunds named a delivery part: null).
        shipping: counted.shipping,
        reason: request.reason,
        returnId: request.returnId,
        requestHash: existing ? existing.requestHash : refundFingerprint(counted),
        status: 'pending',
        reference: null,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      if (existing) await refundStore.setStatus(tx, refund, 'failed', 'pending', null, at);
      else await refundStore.insert(tx, refund);
      return refund;
    });

  /**
   * Records the provider's refund. `created` only for the request that recorded it: repeats of a pending
   * refund's id all ask the provider (idempotent by the id), and all but one find it recorded already.
   */
  const succeed = (order: Order, refund: Refund, reference: string) =>
    db.transaction(async (tx): Promise<{ created: boolean; refund: Refund }> => {
      const at = now();
      // Two refunds of the order finishing at once count their running totals one after the other. Taken before
      // the refund's own row, as `begin` takes the order's before it.
      await orderStore.lock(tx, order.id);
      if (!(await refundStore.setStatus(tx, refund, 'pending', 'succeeded', reference, at)))
        return { created: false, refund: (await refundStore.find(tx, order.id, refund.id))! };
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
      return { created: true, refund: { ...refund, status: 'succeeded', reference, updatedAt: at } };
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

  /** Counts the refund, asks the provider for it unless it went through before, and records the outcome. */
  async function run(order: Order, request: RefundRequest, capped: boolean) {
    const provider = paymentProviderFor(deps.payments, order.payment.method);
    const inRequest = keepOrigin();
    const refund = await begin(order, request, capped);
    if (refund === null || refund.status === 'succeeded') return { created: false, refund };
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
    return inRequest(() => succeed(order, refund, result.reference));
  }

  return {
    /** Refunds `request.amount` of `order` once; the same id again answers the same refund. */
    refund: async (order: Order, request: RefundRequest): Promise<{ created: boolean; refund: Refund }> => {
      const { created, refund } = await run(order, request, false);
      return { created, refund: refund! };
    },
    /**
     * Refunds what is left of `order` when the refund is counted, at most `request.amount` and of the delivery
     * at most `request.shipping`, once: null when nothing is left. A cancel's rest and a return's share, which
     * another refund may have taken part of since they were worked out.
     */
    refundUpTo: (order: Order, request: RefundRequest) => run(order, request, true),
    ofOrder: (orderId: string) => refundStore.ofOrder(db, orderId),
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
