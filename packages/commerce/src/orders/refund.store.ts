import type { Db, Tx } from '@tillstream/kernel';

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface Refund {
  id: string;
  orderId: string;
  amount: number;
  /** Of `amount`, the delivery given back; null when the refund did not say. */
  shipping: number | null;
  reason: string;
  returnId: string | null;
  requestHash: string;
  status: RefundStatus;
  /** The provider's reference once it paid the refund. */
  reference: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  order_id: string;
  amount: number | string;
  shipping: number | string | null;
  reason: string;
  return_id: string | null;
  request_hash: string;
  status: RefundStatus;
  reference: string | null;
  created_at: string;
  updated_at: string;
}

const toRefund = (row: Row): Refund => ({
  id: row.id,
  orderId: row.order_id,
  amount: Number(row.amount),
  shipping: row.shipping === null ? null : Number(row.shipping),
  reason: row.reason,
  returnId: row.return_id,
  requestHash: row.request_hash,
  status: row.status,
  reference: row.reference,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Refunds of orders. The order's `refunded` total counts a refund from the moment it is pending, through a
 * conditional update that never lets it pass the order total: that update is the guard of record.
 */
export const refundStore = {
  async find(reader: Db | Tx, orderId: string, id: string): Promise<Refund | null> {
    const [row] = await reader.query<Row>('SELECT * FROM order_refunds WHERE order_id = $1 AND id = $2', [
      orderId,
      id,
    ]);
    return row ? toRefund(row) : null;
  },

  async ofOrder(reader: Db | Tx, orderId: string): Promise<Refund[]> {
    const rows = await reader.query<Row>(
      'SELECT * FROM order_refunds WHERE order_id = $1 ORDER BY created_at, id',
      [orderId],
    );
    return rows.map(toRefund);
  },

  /** Counts `amount` against the order's refundable rest; false when it would pass the order total. */
  async reserve(tx: Tx, orderId: string, amount: number): Promise<boolean> {
    const changed = await tx.execute(
      'UPDATE orders SET refunded = refunded + $2 WHERE id = $1 AND refunded + $2 <= total',
      [orderId, amount],
    );
    return changed === 1;
  },

  /** What the order's refunds (all but failed ones) named of its delivery so far. */
  async shippingRefunded(reader: Db | Tx, orderId: string): Promise<number> {
    const [row] = await reader.query<{ named: number | string | null }>(
      `SELECT SUM(shipping) AS named FROM order_refunds WHERE order_id = $1 AND status <> 'failed'`,
      [orderId],
    );
    return Number(row?.named ?? 0);
  },

  /**
   * What the order's refunds that went through came to, and what they named of its delivery: the running totals
   * `commerce.order.refunded` carries; read under the order's lock (`orderStore.lock`).
   */
  async settled(tx: Tx, orderId: string): Promise<{ refunded: number; shippingRefunded: number }> {
    const [row] = await tx.query<{ refunded: number | string | null; shipping: number | string | null }>(
      `SELECT SUM(amount) AS refunded, SUM(shipping) AS shipping FROM order_refunds
       WHERE order_id = $1 AND status = 'succeeded'`,
      [orderId],
    );
    return { refunded: Number(row?.refunded ?? 0), shippingRefunded: Number(row?.shipping ?? 0) };
  },

  async unreserve(tx: Tx, orderId: string, amount: number): Promise<void> {
    await tx.execute('UPDATE orders SET refunded = refunded - $2 WHERE id = $1', [orderId, amount]);
  },

  async insert(tx: Tx, refund: Refund): Promise<void> {
    await tx.execute(
      `INSERT INTO order_refunds (id, order_id, amount, reason, return_id, request_hash, status, reference,
         created_at, updated_at, shipping)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        refund.id,
        refund.orderId,
        refund.amount,
        refund.reason,
        refund.returnId,
        refund.requestHash,
        refund.status,
        refund.reference,
        refund.createdAt,
        refund.updatedAt,
        refund.shipping,
      ],
    );
  },

  /** Moves a refund from `from` to `to`; false when it was not in `from` (another attempt moved it). */
  async setStatus(
    tx: Tx,
    refund: Pick<Refund, 'id' | 'orderId'>,
    from: RefundStatus,
    to: RefundStatus,
    reference: string | null,
    now: string,
  ): Promise<boolean> {
    const changed = await tx.execute(
      `UPDATE order_refunds SET status = $4, reference = $5, updated_at = $6
       WHERE order_id = $1 AND id = $2 AND status = $3`,
      [refund.orderId, refund.id, from, to, reference, now],
    );
    return changed === 1;
  },
};
