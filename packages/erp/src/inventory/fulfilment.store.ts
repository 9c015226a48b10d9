import { type Db, type SqlValue, type Tx } from '@tillstream/kernel';
import type { Fulfilment, FulfilmentStatus, OrderShipping, OrderToFulfil } from './fulfilment.decide.js';

interface FulfilmentRow {
  id: string;
  order_id: string;
  reservation_id: string;
  location_id: string;
  status: FulfilmentStatus;
  lines: string;
  version: number | string;
  created_at: string;
  /** Null before migration 042 and for a fulfilment never made ready for pickup. */
  ready_at: string | null;
  /** Null before migration 043 and for a fulfilment whose order was not cancelled before it left. */
  cancelled_at: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
  /** The order's `OrderShipping` as JSON, from `online_orders`; null without delivery (or a row before 037). */
  shipping: string | null;
}

const parseShipping = (json: string | null): OrderShipping | null =>
  json === null ? null : (JSON.parse(json) as OrderShipping);

const toFulfilment = (row: FulfilmentRow): Fulfilment => {
  const shipping = parseShipping(row.shipping);
  return {
    id: row.id,
    orderId: row.order_id,
    reservationId: row.reservation_id,
    locationId: row.location_id,
    status: row.status,
    lines: JSON.parse(row.lines) as Fulfilment['lines'],
    version: Number(row.version),
    createdAt: row.created_at,
    readyAt: row.ready_at ?? null,
    cancelledAt: row.cancelled_at ?? null,
    shippedAt: row.shipped_at,
    deliveredAt: row.delivered_at ?? null,
    shipTo: shipping?.address ?? null,
    shippingMethod: shipping?.method ?? null,
    pickup: shipping?.pickup === true,
  };
};

/**
 * A fulfilment with its order's ship-to, which is kept once per order (a backorder's later fulfilment shares
 * it). The lock, on PostgreSQL, takes the fulfilment rows only: the order's row is never written after it
 * was placed, and an outer join's nullable side cannot be locked.
 */
const SELECT_FULFILMENTS = `SELECT f.*, o.shipping FROM fulfilments f
  LEFT JOIN online_orders o ON o.order_id = f.order_id`;
const lockFulfilments = (reader: Pick<Tx, 'dialect'>, wanted: boolean) =>
  wanted && reader.dialect === 'postgres' ? ' FOR UPDATE OF f' : '';

export function createFulfilmentStore() {
  return {
    /** False when the fulfilment exists already (a redelivered order). */
    async insert(tx: Tx, fulfilment: Fulfilment): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO fulfilments (id, order_id, reservation_id, location_id, status, lines, version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          fulfilment.id,
          fulfilment.orderId,
          fulfilment.reservationId,
          fulfilment.locationId,
          fulfilment.status,
          JSON.stringify(fulfilment.lines),
          fulfilment.version,
          fulfilment.createdAt,
        ],
      );
      return inserted === 1;
    },
    async find(reader: Pick<Tx, 'query'> | Db, id: string): Promise<Fulfilment | null> {
      const [row] = await reader.query<FulfilmentRow>(`${SELECT_FULFILMENTS} WHERE f.id = $1`, [id]);
      return row ? toFulfilment(row) : null;
    },
    /** With `forUpdate`, locks every fulfilment of the order (in id order) on PostgreSQL. */
    async ofOrder(
      reader: Pick<Tx, 'query' | 'dialect'> | Db,
      orderId: string,
      forUpdate = false,
    ): Promise<Fulfilment[]> {
      const lock = lockFulfilments(reader, forUpdate);
      const rows = await reader.query<FulfilmentRow>(
        `${SELECT_FULFILMENTS} WHERE f.order_id = $1 ORDER BY f.id${lock}`,
        [orderId],
      );
      return rows.map(toFulfilment);
    },
    /**
     * A location's fulfilments in some statuses, oldest first (by creation, then id), after `after`: one page
     * of its work queue, `limit + 1` rows so the caller knows whether there is more.
     */
    async atLocation(
      reader: Pick<Tx, 'query'> | Db,
      query: {
        locationId: string;
        statuses: readonly FulfilmentStatus[];
        after: Pick<Fulfilment, 'createdAt' | 'id'> | null;
        limit: number;
      },
    ): Promise<Fulfilment[]> {
      const { locationId, statuses, after, limit } = query;
      const params: SqlValue[] = [locationId, ...statuses];
      const inStatuses = statuses.map((_, index) => `$${index + 2}`).join(', ');
      let keyset = '';
      if (after) {
        params.push(after.createdAt, after.id);
        const [at, id] = [`$${params.length - 1}`, `$${params.length}`];
        keyset = ` AND (f.created_at > ${at} OR (f.created_at = ${at} AND f.id > ${id}))`;
      }
      params.push(limit + 1);
      const rows = await reader.query<FulfilmentRow>(
        `${SELECT_FULFILMENTS} WHERE f.location_id = $1 AND f.status IN (${inStatuses})${keyset}
         ORDER BY f.created_at, f.id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toFulfilment);
    },
    /**
     * The fulfilments of the order a reservation became (none for a checkout hold); with `forUpdate`, locked in
     * the same order as `ofOrder` locks them, so a release and a shipment of one order serialise.
     */
    async ofReservation(
      reader: Pick<Tx, 'query' | 'dialect'>,
      reservationId: string,
      forUpdate = false,
    ): Promise<Fulfilment[]> {
      const lock = lockFulfilments(reader, forUpdate);
      const rows = await reader.query<FulfilmentRow>(
        `${SELECT_FULFILMENTS} WHERE f.reservation_id = $1 ORDER BY f.id${lock}`,
        [reservationId],
      );
      return rows.map(toFulfilment);
    },
    /** Writes a decided step (ready, shipped, delivered, cancelled): the status, the version and every time. */
    async save(tx: Tx, fulfilment: Fulfilment): Promise<void> {
      await tx.execute(
        `UPDATE fulfilments SET status = $1, version = $2, ready_at = $3, shipped_at = $4, delivered_at = $5,
           cancelled_at = $6 WHERE id = $7`,
        [
          fulfilment.status,
          fulfilment.version,
          fulfilment.readyAt,
          fulfilment.shippedAt,
          fulfilment.deliveredAt,
          fulfilment.cancelledAt,
          fulfilment.id,
        ],
      );
    },
    /**
     * Remembers which reservation a placed order holds, so stock arriving for its backorders finds it, and
     * where its parcels go, so every fulfilment of it (those made later for backorders too) shows it.
     */
    async recordOrder(tx: Tx, order: OrderToFulfil & { placedAt: string }): Promise<void> {
      await tx.execute(
        `INSERT INTO online_orders (order_id, reservation_id, placed_at, shipping) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [
          order.orderId,
          order.reservationId,
          order.placedAt,
          order.shipping ? JSON.stringify(order.shipping) : null,
        ],
      );
    },
    /** The channel a placed order was sold through: its reservation's. Null for an order ERP never placed. */
    async channelOfOrder(reader: Pick<Tx, 'query'>, orderId: string): Promise<string | null> {
      const [row] = await reader.query<{ channel: string }>(
        `SELECT r.channel FROM online_orders o JOIN reservations r ON r.id = o.reservation_id
         WHERE o.order_id = $1`,
        [orderId],
      );
      return row?.channel ?? null;
    },
    /** The placed order holding this reservation, with its ship-to; null for a checkout not yet placed. */
    async orderOf(reader: Pick<Tx, 'query'>, reservationId: string): Promise<OrderToFulfil | null> {
      const [row] = await reader.query<{ order_id: string; shipping: string | null }>(
        'SELECT order_id, shipping FROM online_orders WHERE reservation_id = $1',
        [reservationId],
      );
      return row ? { orderId: row.order_id, reservationId, shipping: parseShipping(row.shipping) } : null;
    },
  };
}

export type FulfilmentStore = ReturnType<typeof createFulfilmentStore>;
