import type { OrderPlacedV1Data } from '@tillstream/contracts';
import type { Db, Tx } from '@tillstream/kernel';
import type { OrderShipping } from '../checkout/order-lines.decide.js';
import type { OrderStatus } from './order.decide.js';

export interface Order {
  id: string;
  cartId: string;
  reservationId: string;
  channel: string;
  email: string;
  currency: string;
  lines: OrderPlacedV1Data['lines'];
  /** The delivery charged and where it goes; null for an order without (a chain that does not ship online). */
  shipping: OrderShipping | null;
  /** What the shopper paid: the lines' `lineTotal`s plus the delivery's `amount`. */
  total: number;
  payment: { method: string; reference: string };
  status: OrderStatus;
  version: number;
  placedAt: string;
  updatedAt: string;
  /** Minor units refunded so far (succeeded or in flight with the provider). */
  refunded: number;
  /** Units of each line still waiting for stock in ERP (backordered); lines not listed wait for nothing. */
  backordered: Array<{ lineNo: number; quantity: number }>;
  /** The fulfilments ERP shipped so far, each with its stock units (a kit as its components). */
  shipped: Shipment[];
  /** Why and when it was cancelled; null until then (and for orders cancelled before this was kept). */
  cancellation: { reason: string; at: string } | null;
}

export interface Shipment {
  fulfilmentId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

interface Row {
  id: string;
  cart_id: string;
  reservation_id: string;
  channel: string;
  email: string;
  currency: string;
  lines: string;
  shipping: string | null;
  total: number | string;
  payment_method: string;
  payment_reference: string;
  status: OrderStatus;
  version: number;
  placed_at: string;
  updated_at: string;
  refunded: number | string;
  backordered: string;
  shipped: string;
  cancel_reason: string | null;
  cancelled_at: string | null;
}

const toOrder = (row: Row): Order => ({
  id: row.id,
  cartId: row.cart_id,
  reservationId: row.reservation_id,
  channel: row.channel,
  email: row.email,
  currency: row.currency,
  lines: JSON.parse(row.lines) as Order['lines'],
  shipping: row.shipping === null ? null : (JSON.parse(row.shipping) as OrderShipping),
  total: Number(row.total),
  payment: { method: row.payment_method, reference: row.payment_reference },
  status: row.status,
  version: Number(row.version),
  placedAt: row.placed_at,
  updatedAt: row.updated_at,
  refunded: Number(row.refunded),
  backordered: JSON.parse(row.backordered) as Order['backordered'],
  shipped: JSON.parse(row.shipped) as Shipment[],
  cancellation:
    row.cancel_reason !== null && row.cancelled_at !== null
      ? { reason: row.cancel_reason, at: row.cancelled_at }
      : null,
});

/** Orders; `cart_id` is unique, so a cart becomes at most one order whatever races above it. */
export const orderStore = {
  async find(db: Db | Tx, id: string): Promise<Order | null> {
    const [row] = await db.query<Row>('SELECT * FROM orders WHERE id = $1', [id]);
    return row ? toOrder(row) : null;
  },

  async findByCart(db: Db | Tx, cartId: string): Promise<Order | null> {
    const [row] = await db.query<Row>('SELECT * FROM orders WHERE cart_id = $1', [cartId]);
    return row ? toOrder(row) : null;
  },

  async insert(tx: Tx, order: Order): Promise<void> {
    await tx.execute(
      `INSERT INTO orders (id, cart_id, reservation_id, channel, email, currency, lines, total, payment_method,
         payment_reference, status, version, placed_at, updated_at, shipping)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        order.id,
        order.cartId,
        order.reservationId,
        order.channel,
        order.email,
        order.currency,
        JSON.stringify(order.lines),
        order.total,
        order.payment.method,
        order.payment.reference,
        order.status,
        order.version,
        order.placedAt,
        order.updatedAt,
        order.shipping ? JSON.stringify(order.shipping) : null,
      ],
    );
  },

  /** Optimistic on `version`: false when another change won. */
  /**
   * Collections ready at their store since `before` or earlier, longest waiting first: the order's last status
   * change is the one that made it `ready_for_pickup`.
   */
  async readyForPickupSince(reader: Pick<Tx, 'query'>, before: string, limit: number): Promise<string[]> {
    const rows = await reader.query<{ id: string }>(
      `SELECT id FROM orders WHERE status = 'ready_for_pickup' AND updated_at <= $1
       ORDER BY updated_at, id LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => row.id);
  },

  async updateStatus(tx: Tx, order: Order, readVersion: number): Promise<boolean> {
    const changed = await tx.execute(
      `UPDATE orders SET status = $2, version = $3, updated_at = $4, cancel_reason = $6, cancelled_at = $7
       WHERE id = $1 AND version = $5`,
      [
        order.id,
        order.status,
        order.version,
        order.updatedAt,
        readVersion,
        order.cancellation?.reason ?? null,
        order.cancellation?.at ?? null,
      ],
    );
    return changed === 1;
  },

  /**
   * Records what ERP says still waits for stock, if it is newer than what the order shows (`version` is the
   * ERP reservation's): a late or repeated event changes nothing.
   */
  async updateBackordered(
    tx: Tx,
    id: string,
    backordered: Order['backordered'],
    version: number,
  ): Promise<void> {
    await tx.execute(
      'UPDATE orders SET backordered = $2, backorder_version = $3 WHERE id = $1 AND backorder_version < $3',
      [id, JSON.stringify(backordered), version],
    );
  },

  /**
   * Adds a shipped fulfilment to what the order shipped, once: a redelivered event changes nothing. Takes the
   * order's lock first, so two events of one order cannot both add to what each read.
   */
  async recordShipment(tx: Tx, id: string, shipment: Shipment): Promise<void> {
    await orderStore.lock(tx, id);
    const [row] = await tx.query<{ shipped: string }>('SELECT shipped FROM orders WHERE id = $1', [id]);
    const shipped = JSON.parse(row!.shipped) as Shipment[];
    if (shipped.some((each) => each.fulfilmentId === shipment.fulfilmentId)) return;
    await tx.execute('UPDATE orders SET shipped = $2 WHERE id = $1', [
      id,
      JSON.stringify([...shipped, shipment]),
    ]);
  },

  /** Takes a row lock on the order (PostgreSQL) or the write lock (SQLite) for checks that span rows. */
  async lock(tx: Tx, id: string): Promise<void> {
    await tx.execute('UPDATE orders SET version = version WHERE id = $1', [id]);
  },
};
