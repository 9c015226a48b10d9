import {
  conflict,
  DomainError,
  keepOrigin,
  notFound,
  unavailable,
  unprocessable,
  withOrigin,
  type Clock,
  type Db,
  type IdGenerator,
  type Logger,
  type Outbox,
} from '@tillstream/kernel';
import type { Quote } from '@tillstream/contracts';
import { expireIfAbandoned } from '../carts/cart.commands.js';
import { assertCheckoutable, type Cart } from '../carts/cart.decide.js';
import type { CartPricing } from '../carts/cart.pricing.js';
import { cartStore } from '../carts/cart.store.js';
import type { ErpPort, RedeemResult } from '../erp.port.js';
import { placeOrder } from '../orders/order.place.js';
import { orderStore, type Order } from '../orders/order.store.js';
import {
  paymentProviderFor,
  type PaymentProvider,
  type PaymentRequest,
  type PaymentResult,
} from './payment.port.js';
import { checkoutLeaseMs, claimCart, reopenCart, type PendingAttempt } from './checkout.claim.js';
import { couponsToDrop, judgeRedemption } from './checkout.redeem.js';
import { holdLinesOf, orderLinesOf, orderShippingOf } from './order-lines.decide.js';

export interface CheckoutRequest {
  email: string;
  payment: { method: string } & Record<string, unknown>;
  /** The total the shopper agreed to; when the quote at checkout differs, nothing is charged. */
  expectedTotal?: number;
}

export interface CheckoutDeps {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  erp: ErpPort;
  pricing: CartPricing;
  payments: Readonly<Record<string, PaymentProvider>>;
  /** How long ERP holds the stock of a checkout that never finishes. */
  holdTtlSeconds: number;
  /** A cart untouched this long is abandoned and cannot check out. */
  cartExpirySeconds: number;
  /** How long checkout waits for the payment provider before answering `payment_timeout`. */
  paymentTimeoutMs: number;
  /** How long one ERP call may take (the ERP adapter's timeout); with the above it sets the claim's lease. */
  erpTimeoutMs: number;
}

/**
 * An approved payment is placed on its hold only while at least this share of the hold's time is left: the
 * rest covers `commerce.order.placed` reaching ERP, which keeps the hold for the order only if it has not
 * expired. Less left (a slow payment), and the order gets a fresh hold first.
 */
const HOLD_SAFETY_SHARE = 0.5;

/**
 * Checkout: claim the cart, hold every line in ERP (all or nothing), take the uses of its limited promotions
 * in ERP, take payment, then place the order and its event in one transaction. Every failure after the hold
 * releases it and reopens the cart; every failure after the redemption gives the uses back. The claim and the
 * unique `orders.cart_id` make a cart become at most one order; a repeated checkout answers that order.
 */
export function createCheckout(deps: CheckoutDeps) {
  const { db } = deps;
  const leaseMs = checkoutLeaseMs(deps);

  /** The provider's answer, or `timeout` past `paymentTimeoutMs`: a checkout never outlives its lease. */
  const authorizeWithin = (provider: PaymentProvider, request: PaymentRequest): Promise<PaymentResult> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<PaymentResult>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'timeout' }), deps.paymentTimeoutMs);
      timer.unref();
    });
    return Promise.race([provider.authorize(request), late]).finally(() => clearTimeout(timer));
  };

  const releaseQuietly = (erp: ErpPort, reservationId: string) =>
    erp.release(reservationId).catch((error: unknown) => {
      // The hold expires by itself; failing the shopper's answer over it would help no one.
      deps.logger.warn({ err: error, reservationId }, 'releasing a checkout hold failed');
    });

  const releaseRedemptionQuietly = (erp: ErpPort, orderId: string) =>
    erp.releaseRedemption(orderId).catch((error: unknown) => {
      // Unlike a hold this does not expire: the uses stay taken until someone releases them in ERP.
      deps.logger.error(
        { err: error, orderId },
        'giving back the promotion uses of an unplaced order failed',
      );
    });

  /**
   * Takes one use of each limited promotion the quote applied, under the order's id, before any money moves:
   * ERP's counter decides who gets the last use, across every commerce and ERP process. Refused, `undo` runs
   * and the shopper gets 409 `promotion_usage_exhausted` naming the promotions and coupons to drop. Returns
   * whether uses were taken, so that a later failure gives them back.
   */
  const redeemLimited = async (
    erp: ErpPort,
    cart: Cart,
    orderId: string,
    quote: Quote,
    undo: () => Promise<unknown>,
  ) => {
    const limited = quote.promotions.filter((entry) => entry.limited).map((entry) => entry.promotionId);
    if (limited.length === 0) return false;
    let answer: RedeemResult;
    try {
      answer = await erp.redeem({
        id: orderId,
        channel: cart.channel,
        currency: cart.currency,
        couponCodes: cart.couponCodes,
        lines: cart.lines,
        ...(cart.shipping
          ? { shipping: { methodId: cart.shipping.methodId, country: cart.shipping.address.country } }
          : {}),
      });
    } catch (error) {
      // ERP may have taken the uses before the answer was lost: give them back rather than leak them.
      void releaseRedemptionQuietly(erp, orderId);
      await undo();
      throw error;
    }
    const verdict = judgeRedemption(limited, answer);
    if (verdict.ok) return true;
    if (answer.redeemed) await releaseRedemptionQuietly(erp, orderId);
    await undo();
    // The storefront's snapshot was behind ERP's usage: read it again before answering, so the shopper's next
    // quote leaves a used-up automatic promotion out and the next checkout goes through without it.
    await deps.pricing.refresh();
    if (verdict.exhausted.length === 0)
      throw unavailable('service_unavailable', 'Pricing changed meanwhile; quote the cart again', {
        retryAfterSeconds: 1,
      });
    const couponCodes = couponsToDrop(quote, verdict.exhausted);
    throw conflict(
      'promotion_usage_exhausted',
      'A promotion of this cart has no use left; nothing was charged',
      {
        promotionIds: verdict.exhausted,
        couponCodes,
      },
    );
  };

  /** Pays back an approved payment that cannot become an order; a failure is logged for the payments team. */
  const refundQuietly = (
    provider: PaymentProvider,
    paymentReference: string,
    attemptId: string,
    amount: number,
    currency: string,
  ) =>
    provider
      .refund({ refundId: `${attemptId}/unplaced`, paymentReference, amount, currency })
      .then((result) => {
        if (result.status !== 'refunded') throw new Error(result.reason);
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, paymentReference, amount }, 'refunding an unplaced payment failed');
      });

  const placedAlready = (orderId: string) =>
    orderStore.find(db, orderId).then(
      (order) => order !== null,
      // Unreadable: the transaction most likely failed with the database, so the order is not there.
      () => false,
    );

  return async (cartId: string, request: CheckoutRequest): Promise<{ created: boolean; order: Order }> => {
    // ERP's holds and releases, and the order's transaction, come after awaits: they keep the request's origin.
    const inRequest = keepOrigin();
    const erp = withOrigin(deps.erp, inRequest);
    const existing = await orderStore.findByCart(db, cartId);
    if (existing) return { created: false, order: existing };
    const stored = await cartStore.find(db, cartId);
    if (!stored) throw notFound('cart_not_found', `No cart ${cartId}`);
    const cart = await expireIfAbandoned(db, stored, deps.clock.now(), deps.cartExpirySeconds);
    assertCheckoutable(cart);
    // Only then is the snapshot asked: an expired or ordered cart is refused as such even with no pricing yet.
    if (!cart.shipping) assertCheckoutable(cart, await deps.pricing.offersShipping(cart));
    const provider = paymentProviderFor(deps.payments, request.payment.method);
    // Priced with the chosen delivery: a method ERP withdrew since the choice is the engine's 422 here,
    // before anything is held or charged, and the payment is the total with delivery.
    const quote = await deps.pricing.quote(cart);
    if (!quote) throw unprocessable('cart_empty', `Cart ${cartId} has no lines`);
    const shipping = orderShippingOf(quote, cart.shipping);
    const amount = quote.totals.total;
    // A price rise or a promotion withdrawn since the shopper saw the cart: told, not charged the new total.
    if (request.expectedTotal !== undefined && request.expectedTotal !== amount)
      throw conflict(
        'cart_total_changed',
        `The cart now comes to ${amount}, not ${request.expectedTotal}; nothing was charged`,
        { total: amount, expectedTotal: request.expectedTotal },
      );

    const claim = await claimCart(db, cart, deps.clock.now(), leaseMs, {
      amount,
      method: request.payment.method,
    });
    if (!claim) {
      const order = await orderStore.findByCart(db, cartId);
      if (order) return { created: false, order };
      // The sweeper may have expired it between the read above and the claim.
      if ((await cartStore.find(db, cartId))?.status === 'expired')
        assertCheckoutable({ ...cart, status: 'expired' });
      // Its order comes within seconds, or the claim lapses (its process died): a retry gets one or the other.
      throw conflict('checkout_in_progress', `Cart ${cartId} is being checked out`, {
        retryAfterSeconds: 2,
      });
    }
    // One provider attempt per claim of the cart, except that a retry after an unknown outcome (a timeout, a
    // checkout that died) asking the same repeats that attempt, so the provider answers the payment it may have
    // taken instead of charging again (`claimCart`). A cart changed since (or paid another way) is a new
    // attempt: repeated, a provider idempotent by attempt would answer the earlier payment, for the earlier
    // amount. The earlier one, if it was taken, is an authorisation never captured, as when a shopper abandons
    // the cart after a timeout.
    const { attempt } = claim;
    const attemptId = attempt.id;
    /** The attempt whose outcome is unknown: the earlier one until the provider is asked this time. */
    let pending = claim.earlier;
    const reopen = (keep: PendingAttempt | null = pending) =>
      reopenCart(db, cartId, claim, deps.clock.now().toISOString(), keep);

    /** Holds every line in ERP under a new id, or reopens the cart and throws (after `undo`, if given). */
    const holdAll = async (undo?: () => Promise<unknown>) => {
      const id = `checkout:${deps.ids.next()}`;
      let held;
      try {
        held = await erp.hold({
          id,
          channel: cart.channel,
          lines: holdLinesOf(cart),
          expiresInSeconds: deps.holdTtlSeconds,
        });
      } catch (error) {
        // ERP may have held before the answer was lost: release so the stock does not wait for the expiry.
        void releaseQuietly(erp, id);
        await undo?.();
        await reopen();
        throw error;
      }
      if (!held.held) {
        await undo?.();
        await reopen();
        throw conflict('insufficient_stock', 'Not enough stock for every line; nothing was reserved', {
          lines: held.lines,
          ...(undo ? { paymentRefunded: true } : {}),
        });
      }
      return { id, expiresAt: held.expiresAt };
    };

    const first = await holdAll();
    let reservationId = first.id;
    const orderId = deps.ids.next();
    const redeemed = await redeemLimited(erp, cart, orderId, quote, async () => {
      await releaseQuietly(erp, first.id);
      await reopen();
    });
    /** The approved payment until it became an order or was paid back. */
    let unsettled: { reference: string } | null = null;
    try {
      const payment = await authorizeWithin(provider, {
        attemptId,
        amount,
        currency: cart.currency,
        email: request.email,
        options: request.payment,
      });
      // Asked now: this attempt's outcome is the one that counts from here on.
      pending = payment.status === 'timeout' ? attempt : null;
      if (payment.status !== 'approved') {
        await releaseQuietly(erp, reservationId);
        await reopen();
        throw payment.status === 'declined'
          ? unprocessable('payment_declined', 'The payment was declined; nothing was charged', {
              reason: payment.reason,
            })
          : unavailable('payment_timeout', 'The payment provider did not answer in time', {
              retryAfterSeconds: 1,
            });
      }
      unsettled = { reference: payment.reference };

      const leftMs = Date.parse(first.expiresAt) - deps.clock.now().getTime();
      if (!(leftMs >= deps.holdTtlSeconds * 1000 * HOLD_SAFETY_SHARE)) {
        // The provider answered so late that the hold has expired (the sweeper may have given its units to
        // someone else) or may before ERP keeps it for the order: never place an order on it. Hold again; if
        // the stock is gone by now, pay the shopper back rather than sell units that are not there.
        deps.logger.warn({ cartId, reservationId, leftMs }, 'payment approved late; holding the stock again');
        await releaseQuietly(erp, reservationId);
        const refundLate = async () => {
          unsettled = null;
          await refundQuietly(provider, payment.reference, attemptId, amount, cart.currency);
        };
        reservationId = (await holdAll(refundLate)).id;
      }

      const placedAt = deps.clock.now().toISOString();
      const order: Order = {
        id: orderId,
        cartId,
        reservationId,
        channel: cart.channel,
        email: request.email,
        currency: cart.currency,
        lines: orderLinesOf(quote),
        shipping,
        total: amount,
        payment: { method: request.payment.method, reference: payment.reference },
        status: 'placed',
        version: 1,
        placedAt,
        updatedAt: placedAt,
        refunded: 0,
        backordered: [],
        shipped: [],
        cancellation: null,
      };
      await inRequest(() => db.transaction((tx) => placeOrder(tx, deps.outbox, order, claim.version)));
      return { created: true, order };
    } catch (error) {
      // Whatever failed after the approval (a late hold, placing the order, the cart taken over by another
      // checkout after the lease), no order took this payment: pay it back, give the stock back, reopen the
      // cart if this checkout still holds it. Unless the order did commit and only its answer was lost.
      if (unsettled && !(await placedAlready(orderId))) {
        await refundQuietly(provider, unsettled.reference, attemptId, amount, cart.currency);
        await releaseQuietly(erp, reservationId);
        await reopen();
        if (error instanceof DomainError) error.extensions.paymentRefunded = true;
      }
      // Whatever failed (payment, a late hold, placing the order), no order took these uses.
      if (redeemed) await releaseRedemptionQuietly(erp, orderId);
      throw error;
    }
  };
}

export type Checkout = ReturnType<typeof createCheckout>;
