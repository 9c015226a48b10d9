import { placeholders, type Db, type Tx } from '@tillstream/kernel';
import type { Cart, CartShipping, CartStatus } from './cart.decide.js';

interface Row {
  id: string;
  channel: string;
  currency: string;
  status: CartStatus;
  lines: string;
  coupon_codes: string;
  shipping: string | null;
  version: number;
  updated_at: string;
}

const toCart = (row: Row): Cart => ({
  id: row.id,
  channel: row.channel,
  currency: row.currency,
  status: row.status,
  lines: JSON.parse(row.lines) as Cart['lines'],
  couponCodes: JSON.parse(row.coupon_codes) as string[],
  shipping: row.shipping === null ? null : (JSON.parse(row.shipping) as CartShipping),
  version: Number(row.version),
  updatedAt: row.updated_at,
});

const shippingText = (cart: Cart) => (cart.shipping ? JSON.stringify(cart.shipping) : null);

/** Carts, with lines and the chosen delivery kept as JSON: they are always read and written whole. */
export const cartStore = {
  async find(db: Db | Tx, id: string): Promise<Cart | null> {
    const [row] = await db.query<Row>('SELECT * FROM carts WHERE id = $1', [id]);
    return row ? toCart(row) : null;
  },

  async insert(tx: Tx, cart: Cart): Promise<void> {
    await tx.execute(
      `INSERT INTO carts (id, channel, currency, status, lines, coupon_codes, shipping, version, created_at,
         updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [
        cart.id,
        cart.channel,
        cart.currency,
        cart.status,
        JSON.stringify(cart.lines),
        JSON.stringify(cart.couponCodes),
        shippingText(cart),
        cart.version,
        cart.updatedAt,
      ],
    );
  },

  /** Optimistic: saves only over the version it was read at; false when another change won. */
  async update(tx: Tx, cart: Cart, readVersion: number): Promise<boolean> {
    const changed = await tx.execute(
      `UPDATE carts SET status = $2, lines = $3, coupon_codes = $4, shipping = $8, version = $5,
         updated_at = $6
       WHERE id = $1 AND version = $7`,
      [
        cart.id,
        cart.status,
        JSON.stringify(cart.lines),
        JSON.stringify(cart.couponCodes),
        cart.version,
        cart.updatedAt,
        readVersion,
        shippingText(cart),
      ],
    );
    return changed === 1;
  },

  /** Moves a cart between statuses atomically; false when it was not in `from`. */
  async setStatus(db: Db | Tx, id: string, from: CartStatus, to: CartStatus, now: string): Promise<boolean> {
    const run = (tx: Tx) =>
      tx.execute(
        'UPDATE carts SET status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND status = $2',
        [id, from, to, now],
      );
    const changed = 'transaction' in db ? await db.transaction(run) : await run(db);
    return changed === 1;
  },

  /** Open (or stuck checking-out) carts untouched since `before`, oldest first: the sweeper's batch. */
  async abandonedIds(db: Db, before: string, limit: number): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM carts WHERE status IN ('open', 'checking_out') AND updated_at <= $1
       ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => row.id);
  },

  /**
   * Expires the carts among `ids` that are still abandoned at `before`; a cart touched since (by a shopper
   * or a checkout claiming it) is left alone, whoever wins the race. Returns how many expired.
   */
  async expireAbandoned(tx: Tx, ids: readonly string[], before: string, now: string): Promise<number> {
    if (ids.length === 0) return 0;
    const idList = placeholders(ids.length, 3);
    return tx.execute(
      `UPDATE carts SET status = 'expired', version = version + 1, updated_at = $2
       WHERE status IN ('open', 'checking_out') AND updated_at <= $1 AND id IN (${idList})`,
      [before, now, ...ids],
    );
  },
};
