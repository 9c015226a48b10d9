import type { Db } from '@tillstream/kernel';
import type { Cart } from '../carts/cart.decide.js';

/** A checkout whose process died leaves its cart `checking_out`; after this long a retry may take it over. */
export const CHECKOUT_LEASE_MS = 60_000;

/**
 * Takes a cart for checkout if it is still the version that was quoted (no line changed since) and nobody
 * else is checking it out. One statement, so two concurrent checkouts of a cart cannot both win.
 */
export async function claimCart(db: Db, cart: Cart, now: Date): Promise<boolean> {
  const abandonedBefore = new Date(now.getTime() - CHECKOUT_LEASE_MS).toISOString();
  const changed = await db.transaction((tx) =>
    tx.execute(
      `UPDATE carts SET status = 'checking_out', version = version + 1, updated_at = $3
       WHERE id = $1 AND version = $2
         AND (status = 'open' OR (status = 'checking_out' AND updated_at < $4))`,
      [cart.id, cart.version, now.toISOString(), abandonedBefore],
    ),
  );
  return changed === 1;
}
