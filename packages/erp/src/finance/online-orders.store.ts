import { asNumber, type Db, type SqlValue } from '@tillstream/kernel';
import { depositOf, type DepositRow } from './online-deposits.store.js';
import type {
  AwaitingCursor,
  AwaitingOrder,
  HeldDeposit,
  KeptShipment,
  OrderRows,
} from './online-orders.decide.js';

/**
 * A deposit that still holds something, spelt exactly as migration 039's partial index says it, so that both
 * engines answer the list from that index and never scan the orders shipped long ago.
 */
const HOLDS =
  "status = 'deposit' AND (deposit > recognised + refunded OR shipping > shipping_recognised + shipping_refunded)";

/**
 * Reads of the online orders' deposits for the API and the metrics: one order's rows, the orders whose
 * shipments wait for their placement, those still holding a deposit. It writes nothing: the finance consumer
 * keeps these rows (`OnlineDepositStore`).
 */
export function createOnlineOrderReads() {
  return {
    async order(db: Db, orderId: string): Promise<OrderRows> {
      // One snapshot: the finance consumer writes an order's deposit, goods, shipments and their entries
      // together, and reads at their own instants showed a shipment beside a deposit that had not yet
      // recognised it (PostgreSQL), or an entry without its deposit.
      const { placed, row, goods, shipments } = await db.snapshot(async (reader) => {
        const [placedRow] = await reader.query<{ occurred_at: string }>(
          `SELECT occurred_at FROM journal_entries WHERE kind = 'online_order' AND source_id = $1`,
          [orderId],
        );
        const [depositRow] = await reader.query<DepositRow>(
          'SELECT * FROM online_order_deposits WHERE order_id = $1',
          [orderId],
        );
        return {
          placed: placedRow,
          row: depositRow,
          goods: await reader.query<Record<string, unknown>>(
            'SELECT sku, quantity, value, shipped FROM online_order_goods WHERE order_id = $1 ORDER BY sku',
            [orderId],
          ),
          shipments: await reader.query<Record<string, unknown>>(
            `SELECT s.fulfilment_id, s.occurred_at, s.order_shipped, s.lines, s.event_id, s.waiting, e.entry_no
             FROM online_order_shipments s
             LEFT JOIN journal_entries e ON e.kind = 'online_shipment'
               AND e.source_id = s.order_id || '/' || s.fulfilment_id
             WHERE s.order_id = $1 ORDER BY s.occurred_at, s.fulfilment_id`,
            [orderId],
          ),
        };
      });
      return {
        orderId,
        status: row?.status ?? null,
        deposit: depositOf(orderId, row),
        goods: goods.map((item) => ({
          sku: item.sku as string,
          quantity: asNumber(item.quantity),
          value: asNumber(item.value),
          shipped: asNumber(item.shipped),
        })),
        shipments: shipments.map((kept): KeptShipment => ({
          fulfilmentId: kept.fulfilment_id as string,
          occurredAt: kept.occurred_at as string,
          orderShipped: asNumber(kept.order_shipped) === 1,
          eventId: kept.event_id as string,
          waiting: asNumber(kept.waiting) === 1,
          lines: JSON.parse(kept.lines as string) as KeptShipment['lines'],
          entryNo: kept.entry_no === null || kept.entry_no === undefined ? null : asNumber(kept.entry_no),
        })),
        placedAt: placed ? new Date(placed.occurred_at).toISOString() : null,
      };
    },

    /**
     * Up to `limit` orders whose shipments wait for their placement, oldest waiting first, each found by its
     * oldest waiting shipment: the partial index of waiting shipments (migration 039) is read in time order
     * from the cursor on (and up to the cutoff), and a shipment with an older one of its order is skipped
     * by the primary key.
     */
    async awaiting(
      db: Db,
      filter: { shippedBefore?: string; after?: AwaitingCursor; limit: number },
    ): Promise<AwaitingOrder[]> {
      const params: SqlValue[] = [];
      const where = ['s.waiting = 1'];
      if (filter.shippedBefore !== undefined)
        where.push(`s.occurred_at <= $${params.push(filter.shippedBefore)}`);
      if (filter.after !== undefined) {
        const at = `$${params.push(filter.after.shippedAt)}`;
        const id = `$${params.push(filter.after.orderId)}`;
        where.push(`s.occurred_at >= ${at} AND (s.occurred_at > ${at} OR s.order_id > ${id})`);
      }
      const rows = await db.query<Record<string, unknown>>(
        `SELECT s.order_id, s.occurred_at,
           (SELECT COUNT(*) FROM online_order_shipments c WHERE c.order_id = s.order_id AND c.waiting = 1)
             AS shipments
         FROM online_order_shipments s
         WHERE ${where.join(' AND ')} AND NOT EXISTS (
           SELECT 1 FROM online_order_shipments o WHERE o.order_id = s.order_id AND o.waiting = 1
             AND (o.occurred_at < s.occurred_at
               OR (o.occurred_at = s.occurred_at AND o.fulfilment_id < s.fulfilment_id)))
         ORDER BY s.occurred_at, s.order_id LIMIT $${params.push(filter.limit)}`,
        params,
      );
      return rows.map((row) => ({
        orderId: row.order_id as string,
        oldestShippedAt: row.occurred_at as string,
        shipments: asNumber(row.shipments),
      }));
    },

    /** Up to `limit` orders after `after` (by id) whose deposit still holds something, from the partial index. */
    async holdingDeposit(db: Db, filter: { after?: string; limit: number }): Promise<HeldDeposit[]> {
      const params: SqlValue[] = [];
      const after = filter.after === undefined ? '' : `AND order_id > $${params.push(filter.after)}`;
      const rows = await db.query<Record<string, unknown>>(
        `SELECT order_id, channel, currency, deposit - recognised - refunded AS goods_left,
           shipping - shipping_recognised - shipping_refunded AS delivery_left
         FROM online_order_deposits WHERE ${HOLDS} ${after}
         ORDER BY order_id LIMIT $${params.push(filter.limit)}`,
        params,
      );
      return rows.map((row) => ({
        orderId: row.order_id as string,
        channel: row.channel as string,
        currency: row.currency as string,
        goodsLeft: Math.max(asNumber(row.goods_left), 0),
        deliveryLeft: Math.max(asNumber(row.delivery_left), 0),
      }));
    },

    /** How many shipments wait for their order, and when the oldest of them left (null: none waits). */
    async waitingSummary(db: Db): Promise<{ shipments: number; oldestShippedAt: string | null }> {
      const [row] = await db.query<{ shipments: unknown; oldest: string | null }>(
        'SELECT COUNT(*) AS shipments, MIN(occurred_at) AS oldest FROM online_order_shipments WHERE waiting = 1',
      );
      return { shipments: asNumber(row?.shipments ?? 0), oldestShippedAt: row?.oldest ?? null };
    },
  };
}

export type OnlineOrderReads = ReturnType<typeof createOnlineOrderReads>;
