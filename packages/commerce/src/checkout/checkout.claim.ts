import type { Db, Tx } from '@tillstream/kernel';
import type { Cart } from '../carts/cart.decide.js';

/** What a live checkout may still be waiting for beyond its calls' own timeouts (a slow database, GC). */
const LEASE_MARGIN_MS = 30_000;

/** ERP calls a checkout makes in sequence at most: the hold, the redemption and a second hold after a late payment. */
const ERP_CALLS = 3;

/**
 * How long a claim keeps a cart `checking_out` before another checkout may take it over (its process died).
 * Longer than everything a live checkout can wait for: the payment provider's timeout (checkout enforces
 * it), each ERP call's, and a margin; so a checkout still waiting on its provider is never taken over.
 */
export function checkoutLeaseMs(timeouts: { paymentTimeoutMs: number; erpTimeoutMs: number }): number {
  return timeouts.paymentTimeoutMs + ERP_CALLS * timeouts.erpTimeoutMs + LEASE_MARGIN_MS;
}

/**
 * A provider attempt of a checkout of the cart, with what it asks for. Left on the cart while its outcome is
 * unknown (the provider timed out, or the checkout's process died): only a checkout asking the same of the
 * same provider may repeat it. `amount` and `method` are null for an attempt recorded before they were kept.
 */
export interface PendingAttempt {
  id: string;
  amount: number | null;
  method: string | null;
}

/** Whether a checkout asking `amount` by `method` repeats `earlier`; one recorded without them is repeated. */
export const isSameAttempt = (earlier: PendingAttempt, amount: number, method: string): boolean =>
  (earlier.amount === null || earlier.amount === amount) &&
  (earlier.method === null || earlier.method === method);

/**
 * A checkout's hold on its cart: the cart's version after the claim, which every later step checks, and the
 * provider attempt it makes. `earlier`: an attempt of an earlier checkout whose outcome is unknown.
 */
export interface CartClaim {
  version: number;
  earlier: PendingAttempt | null;
  attempt: PendingAttempt;
}

/**
 * Takes a cart for checkout if it is still the version that was quoted (no line changed since) and nobody
 * else is checking it out. One statement, so two concurrent checkouts of a cart cannot both win; null when
 * this one lost.
 *
 * The provider attempt the checkout will make (the earlier one when it asks the same, else a new one) is
 * written on the cart with the claim, before the provider hears of it: should the process die while the
 * provider is deciding, the checkout that takes the cart over after the lease finds it as `earlier` and
 * repeats it, and a provider idempotent by attempt answers the payment it took rather than charging again.
 */
export async function claimCart(
  db: Db,
  cart: Cart,
  now: Date,
  leaseMs: number,
  asking: { amount: number; method: string },
): Promise<CartClaim | null> {
  const abandonedBefore = new Date(now.getTime() - leaseMs).toISOString();
  return db.transaction(async (tx) => {
    const changed = await tx.execute(
      `UPDATE carts SET status = 'checking_out', version = version + 1, updated_at = $3
       WHERE id = $1 AND version = $2
         AND (status = 'open' OR (status = 'checking_out' AND updated_at < $4))`,
      [cart.id, cart.version, now.toISOString(), abandonedBefore],
    );
    if (changed !== 1) return null;
    const [row] = await tx.query<{
      version: number | string;
      payment_attempt: string | null;
      payment_attempt_amount: number | string | null;
      payment_attempt_method: string | null;
    }>(
      `SELECT version, payment_attempt, payment_attempt_amount, payment_attempt_method
       FROM carts WHERE id = $1`,
      [cart.id],
    );
    const version = Number(row!.version);
    const { payment_attempt: id, payment_attempt_amount: amount, payment_attempt_method: method } = row!;
    const earlier = id ? { id, amount: amount === null ? null : Number(amount), method } : null;
    const attempt =
      earlier && isSameAttempt(earlier, asking.amount, asking.method)
        ? earlier
        : { id: `${cart.id}/${version}`, ...asking };
    await tx.execute(
      `UPDATE carts SET payment_attempt = $2, payment_attempt_amount = $3, payment_attempt_method = $4
       WHERE id = $1`,
      [cart.id, attempt.id, attempt.amount, attempt.method],
    );
    return { version, earlier, attempt };
  });
}

/**
 * Gives the cart back to the shopper, only if this checkout still holds it (another may have taken it over
 * after the lease). `pending`: a payment attempt whose outcome is unknown (the provider timed out), kept so
 * that the next checkout of the cart asking the same retries that same attempt and the provider cannot charge
 * twice; null after a known outcome (declined, refunded), so the next checkout is a new attempt.
 */
export async function reopenCart(
  db: Db,
  cartId: string,
  claim: CartClaim,
  now: string,
  pending: PendingAttempt | null,
): Promise<boolean> {
  const changed = await db.transaction((tx) =>
    tx.execute(
      `UPDATE carts SET status = 'open', version = version + 1, updated_at = $3, payment_attempt = $4,
         payment_attempt_amount = $5, payment_attempt_method = $6
       WHERE id = $1 AND status = 'checking_out' AND version = $2`,
      [cartId, claim.version, now, pending?.id ?? null, pending?.amount ?? null, pending?.method ?? null],
    ),
  );
  return changed === 1;
}

/** Closes the cart as ordered in the order's transaction; false when this checkout no longer holds it. */
export async function closeClaimedCart(
  tx: Tx,
  cartId: string,
  claimVersion: number,
  now: string,
): Promise<boolean> {
  const changed = await tx.execute(
    `UPDATE carts SET status = 'ordered', version = version + 1, updated_at = $3, payment_attempt = NULL,
       payment_attempt_amount = NULL, payment_attempt_method = NULL
     WHERE id = $1 AND status = 'checking_out' AND version = $2`,
    [cartId, claimVersion, now],
  );
  return changed === 1;
}
