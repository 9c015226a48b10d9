import { asNumber, placeholderRows, rowLock, utcInstant, type Tx } from '@tillstream/kernel';
import type { OrderDeposit, OrderGoods, Shipment } from './online-revenue.decide.js';

/**
 * How the journal booked an online order, as its row says:
 * - `deposit`: paid into 2400 when placed, recognised as its goods ship;
 * - `revenue_at_placement`: booked as revenue when placed, before deposits existed (its shipments earn nothing);
 * - `awaiting_order`: ERP shipped some of it before this consumer read the order (commerce's log and ERP's are
 *   read apart), so its shipments wait for the order to be booked.
 */
export type DepositStatus = 'deposit' | 'revenue_at_placement' | 'awaiting_order';

export interface DepositRow {
  order_id: string;
  status: DepositStatus;
  channel: string | null;
  currency: string | null;
  sales: unknown;
  discount: unknown;
  deposit: unknown;
  recognised: unknown;
  recognised_sales: unknown;
  refunded: unknown;
  shipping: unknown;
  shipping_tax: unknown;
  shipping_rate_ppm: unknown;
  shipping_recognised: unknown;
  shipping_refunded: unknown;
  shipping_returned: unknown;
}

/** An order's deposit as its row says; no row (nothing booked of the order yet) reads as a deposit of nothing. */
export const depositOf = (orderId: string, row: Partial<DepositRow> = {}): OrderDeposit => ({
  orderId,
  channel: row.channel ?? 'web',
  currency: row.currency ?? '',
  sales: asNumber(row.sales ?? 0),
  discount: asNumber(row.discount ?? 0),
  deposit: asNumber(row.deposit ?? 0),
  recognised: asNumber(row.recognised ?? 0),
  recognisedSales: asNumber(row.recognised_sales ?? 0),
  refunded: asNumber(row.refunded ?? 0),
  shipping: asNumber(row.shipping ?? 0),
  shippingTax: row.shipping_tax == null ? null : asNumber(row.shipping_tax),
  shippingRatePpm: row.shipping_rate_ppm == null ? null : asNumber(row.shipping_rate_ppm),
  shippingRecognised: asNumber(row.shipping_recognised ?? 0),
  shippingRefunded: asNumber(row.shipping_refunded ?? 0),
  shippingReturned: asNumber(row.shipping_returned ?? 0),
});

/** A shipment waiting for its order, with the event that brought it (its entry names that event). */
export interface WaitingShipment {
  shipment: Shipment;
  eventId: string;
}

/**
 * The deposits of online orders and what recognising them needs: per order what 2400 holds for its goods and
 * its delivery and what left it,
 * its goods per stock SKU with the units shipped, and its shipments. An order's row is locked (PostgreSQL) by
 * whatever changes it, so a refund and a shipment of one order, read from two logs by two ERP instances at once,
 * take turns on it.
 */
export function createOnlineDepositStore() {
  const locked = async (tx: Tx, orderId: string) =>
    (
      await tx.query<DepositRow>(`SELECT * FROM online_order_deposits WHERE order_id = $1 ${rowLock(tx)}`, [
        orderId,
      ])
    )[0];

  return {
    /**
     * Books the deposit of an order just placed, with its goods. A row that waited for it (shipments came
     * first) becomes the deposit; the upsert waits for whatever holds that row.
     */
    async open(tx: Tx, deposit: OrderDeposit, goods: readonly OrderGoods[]): Promise<void> {
      await tx.execute(
        `INSERT INTO online_order_deposits
           (order_id, status, channel, currency, sales, discount, deposit, shipping, shipping_tax,
            shipping_rate_ppm)
         VALUES ($1, 'deposit', $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, channel = excluded.channel,
           currency = excluded.currency, sales = excluded.sales, discount = excluded.discount,
           deposit = excluded.deposit, shipping = excluded.shipping, shipping_tax = excluded.shipping_tax,
           shipping_rate_ppm = excluded.shipping_rate_ppm`,
        [
          deposit.orderId,
          deposit.channel,
          deposit.currency,
          deposit.sales,
          deposit.discount,
          deposit.deposit,
          deposit.shipping,
          deposit.shippingTax,
          deposit.shippingRatePpm,
        ],
      );
      if (goods.length > 0)
        await tx.execute(
          `INSERT INTO online_order_goods (order_id, sku, quantity, value, shipped)
           VALUES ${placeholderRows(goods.length, 5)} ON CONFLICT DO NOTHING`,
          goods.flatMap((item) => [deposit.orderId, item.sku, item.quantity, item.value, item.shipped]),
        );
    },

    /**
     * The order's row for a shipment, locked; one that says `awaiting_order` is made when there was none, so
     * a placement booked meanwhile waits for this transaction and then sees its shipment.
     */
    async claim(tx: Tx, orderId: string): Promise<{ status: DepositStatus; deposit: OrderDeposit }> {
      await tx.execute(
        `INSERT INTO online_order_deposits (order_id, status) VALUES ($1, 'awaiting_order')
         ON CONFLICT DO NOTHING`,
        [orderId],
      );
      const row = (await locked(tx, orderId))!;
      return { status: row.status, deposit: depositOf(orderId, row) };
    },

    /** The order's deposit, locked; null when the order was not booked with one. */
    async lockDeposit(tx: Tx, orderId: string): Promise<OrderDeposit | null> {
      const row = await locked(tx, orderId);
      return row?.status === 'deposit' ? depositOf(orderId, row) : null;
    },

    async markRevenueAtPlacement(tx: Tx, orderId: string): Promise<void> {
      await tx.execute(
        `UPDATE online_order_deposits SET status = 'revenue_at_placement' WHERE order_id = $1`,
        [orderId],
      );
    },

    async goods(tx: Tx, orderId: string): Promise<OrderGoods[]> {
      const rows = await tx.query<{ sku: string; quantity: unknown; value: unknown; shipped: unknown }>(
        'SELECT sku, quantity, value, shipped FROM online_order_goods WHERE order_id = $1 ORDER BY sku',
        [orderId],
      );
      return rows.map((row) => ({
        sku: row.sku,
        quantity: asNumber(row.quantity),
        value: asNumber(row.value),
        shipped: asNumber(row.shipped),
      }));
    },

    /** What left the deposit, and the units shipped of goods that `shipped` changed. */
    async save(tx: Tx, deposit: OrderDeposit, shipped: readonly OrderGoods[] = []): Promise<void> {
      await tx.execute(
        `UPDATE online_order_deposits SET recognised = $2, recognised_sales = $3, refunded = $4,
           shipping_recognised = $5, shipping_refunded = $6, shipping_returned = $7
         WHERE order_id = $1`,
        [
          deposit.orderId,
          deposit.recognised,
          deposit.recognisedSales,
          deposit.refunded,
          deposit.shippingRecognised,
          deposit.shippingRefunded,
          deposit.shippingReturned,
        ],
      );
      for (const item of shipped)
        await tx.execute('UPDATE online_order_goods SET shipped = $3 WHERE order_id = $1 AND sku = $2', [
          deposit.orderId,
          item.sku,
          item.shipped,
        ]);
    },

    /**
     * Keeps a shipment of the order, once: false when it was kept before (a redelivery, whose revenue was
     * recognised then). `waiting` marks one that came before its order was booked.
     */
    async recordShipment(tx: Tx, shipment: Shipment, eventId: string, waiting: boolean): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO online_order_shipments
           (order_id, fulfilment_id, occurred_at, order_shipped, lines, event_id, waiting)
         VALUES ${placeholderRows(1, 7)} ON CONFLICT DO NOTHING`,
        [
          shipment.orderId,
          shipment.fulfilmentId,
          // In UTC, so that waiting shipments order by time as text.
          utcInstant(shipment.occurredAt),
          shipment.orderShipped ? 1 : 0,
          JSON.stringify(shipment.lines),
          eventId,
          waiting ? 1 : 0,
        ],
      );
      return inserted > 0;
    },

    /** Shipments that waited for the order, in the order they shipped (the one completing it last). */
    async waitingShipments(tx: Tx, orderId: string): Promise<WaitingShipment[]> {
      const rows = await tx.query<{
        fulfilment_id: string;
        occurred_at: string;
        order_shipped: unknown;
        lines: string;
        event_id: string;
      }>(
        `SELECT fulfilment_id, occurred_at, order_shipped, lines, event_id FROM online_order_shipments
         WHERE order_id = $1 AND waiting = 1 ORDER BY order_shipped, occurred_at, fulfilment_id`,
        [orderId],
      );
      return rows.map((row) => ({
        shipment: {
          orderId,
          fulfilmentId: row.fulfilment_id,
          occurredAt: row.occurred_at,
          orderShipped: asNumber(row.order_shipped) === 1,
          lines: JSON.parse(row.lines) as Shipment['lines'],
        },
        eventId: row.event_id,
      }));
    },

    async shipmentBooked(tx: Tx, orderId: string, fulfilmentId: string): Promise<void> {
      await tx.execute(
        'UPDATE online_order_shipments SET waiting = 0 WHERE order_id = $1 AND fulfilment_id = $2',
        [orderId, fulfilmentId],
      );
    },
  };
}

export type OnlineDepositStore = ReturnType<typeof createOnlineDepositStore>;
