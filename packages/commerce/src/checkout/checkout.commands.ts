import {
  conflict,
  notFound,
  unavailable,
  unprocessable,
  type Clock,
  type Db,
  type IdGenerator,
  type Logger,
  type Outbox,
} from '@tillstream/kernel';
import { expireIfAbandoned } from '../carts/cart.commands.js';
import { assertCheckoutable } from '../carts/cart.decide.js';
import type { CartPricing } from '../carts/cart.pricing.js';
import { cartStore } from '../carts/cart.store.js';
import type { ErpPort } from '../erp.port.js';
import { placeOrder } from '../orders/order.place.js';
import { orderStore, type Order } from '../orders/order.store.js';
import { paymentProviderFor, type PaymentProvider } from './payment.port.js';
import { claimCart } from './checkout.claim.js';

export interface CheckoutRequest {
  email: string;
  payment: { method: string } & Record<string, unknown>;
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
}

/**
 * An approved payment is placed on its hold only while at least this share of the hold's time is left: the
 * rest covers `commerce.order.placed` reaching ERP, which keeps the hold for the order only if it has not
 * expired. Less left (a slow payment), and the order gets a fresh hold first.
 */
const HOLD_SAFETY_SHARE = 0.5;

/**
 * Checkout: claim the cart, hold every line in ERP (all or nothing), take payment, then place the order and
 * its event in one transaction. Every failure after the hold releases it and reopens the cart. The claim and
 * the unique `orders.cart_id` make a cart become at most one order; a repeated checkout answers that order.
 */
export function createCheckout(deps: CheckoutDeps) {
  const { db, erp } = deps;

  const releaseQuietly = (reservationId: string) =>
    erp.release(reservationId).catch((error: unknown) => {
      // The hold expires by itself; failing the shopper's answer over it would help no one.
      deps.logger.warn({ err: error, reservationId }, 'releasing a checkout hold failed');
    });

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

  return async (cartId: string, request: CheckoutRequest): Promise<{ created: boolean; order: Order }> => {
    const existing = await orderStore.findByCart(db, cartId);
    if (existing) return { created: false, order: existing };
    const stored = await cartStore.find(db, cartId);
    if (!stored) throw notFound('cart_not_found', `No cart ${cartId}`);
    const cart = await expireIfAbandoned(db, stored, deps.clock.now(), deps.cartExpirySeconds);
    assertCheckoutable(cart);
    const provider = paymentProviderFor(deps.payments, request.payment.method);
    const quote = await deps.pricing.quote(cart);
    if (!quote) throw unprocessable('cart_empty', `Cart ${cartId} has no lines`);

    const claimed = await claimCart(db, cart, deps.clock.now());
    if (!claimed) {
      const order = await orderStore.findByCart(db, cartId);
      if (order) return { created: false, order };
      // The sweeper may have expired it between the read above and the claim.
      if ((await cartStore.find(db, cartId))?.status === 'expired')
        assertCheckoutable({ ...cart, status: 'expired' });
      throw conflict('checkout_in_progress', `Cart ${cartId} is being checked out`);
    }
    const reopen = () =>
      cartStore.setStatus(db, cartId, 'checking_out', 'open', deps.clock.now().toISOString());

    /** Holds every line in ERP under a new id, or reopens the cart and throws (after `undo`, if given). */
    const holdAll = async (undo?: () => Promise<unknown>) => {
      const id = `checkout:${deps.ids.next()}`;
      let held;
      try {
        held = await erp.hold({
          id,
          channel: cart.channel,
          lines: cart.lines,
          expiresInSeconds: deps.holdTtlSeconds,
        });
      } catch (error) {
        // ERP may have held before the answer was lost: release so the stock does not wait for the expiry.
        void releaseQuietly(id);
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

    const payment = await provider.authorize({
      attemptId: reservationId,
      amount: quote.totals.total,
      currency: cart.currency,
      email: request.email,
      options: request.payment,
    });
    if (payment.status !== 'approved') {
      await releaseQuietly(reservationId);
      await reopen();
      throw payment.status === 'declined'
        ? unprocessable('payment_declined', 'The payment was declined; nothing was charged', {
            reason: payment.reason,
          })
        : unavailable('payment_timeout', 'The payment provider did not answer in time', {
            retryAfterSeconds: 1,
          });
    }

    const leftMs = Date.parse(first.expiresAt) - deps.clock.now().getTime();
    if (!(leftMs >= deps.holdTtlSeconds * 1000 * HOLD_SAFETY_SHARE)) {
      // The provider answered so late that the hold has expired (the sweeper may have given its units to
      // someone else) or may before ERP keeps it for the order: never place an order on it. Hold again; if
      // the stock is gone by now, pay the shopper back rather than sell units that are not there.
      deps.logger.warn({ cartId, reservationId, leftMs }, 'payment approved late; holding the stock again');
      await releaseQuietly(reservationId);
      const refundLate = () =>
        refundQuietly(provider, payment.reference, reservationId, quote.totals.total, cart.currency);
      reservationId = (await holdAll(refundLate)).id;
    }

    const placedAt = deps.clock.now().toISOString();
    const order: Order = {
      id: deps.ids.next(),
      cartId,
      reservationId,
      channel: cart.channel,
      email: request.email,
      currency: cart.currency,
      lines: quote.lines.map((line) => ({
        lineNo: line.lineNo,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineTotal: line.total,
      })),
      total: quote.totals.total,
      payment: { method: request.payment.method, reference: payment.reference },
      status: 'placed',
      version: 1,
      placedAt,
      updatedAt: placedAt,
      refunded: 0,
      backordered: [],
    };
    await db.transaction((tx) => placeOrder(tx, deps.outbox, order));
    return { created: true, order };
  };
}

export type Checkout = ReturnType<typeof createCheckout>;
