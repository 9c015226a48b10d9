import { rowLock, type Db, type Tx } from '@tillstream/kernel';
import type { Placement } from './allocation.decide.js';
import type { Reservation, ReservationStatus } from './reservation.decide.js';

interface ReservationRow {
  id: string;
  channel: string;
  status: ReservationStatus;
  request_hash: string;
  lines: string;
  expires_at: string;
  created_at: string;
  version: number | string;
}

interface AllocationRow {
  line_no: number | string;
  sku: string;
  location_id: string;
  quantity: number | string;
}

const toPlacement = (row: AllocationRow): Placement => ({
  line: Number(row.line_no),
  sku: row.sku,
  locationId: row.location_id,
  quantity: Number(row.quantity),
});

const toReservation = (row: ReservationRow): Reservation => ({
  id: row.id,
  channel: row.channel,
  status: row.status,
  lines: JSON.parse(row.lines) as Reservation['lines'],
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  version: Number(row.version),
  requestHash: row.request_hash,
});

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

export function createReservationStore() {
  return {
    /** Inserts a new reservation; false when the id exists (on PostgreSQL, after the other writer commits). */
    async insert(tx: Tx, reservation: Reservation): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO reservations (id, channel, status, request_hash, lines, expires_at, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT DO NOTHING`,
        [
          reservation.id,
          reservation.channel,
          reservation.status,
          reservation.requestHash,
          JSON.stringify(reservation.lines),
          reservation.expiresAt,
          reservation.createdAt,
          reservation.version,
        ],
      );
      return inserted === 1;
    },
    /** With `forUpdate`, locks the row on PostgreSQL (take balance locks first: balances, then reservations). */
    async find(
      reader: Pick<Tx, 'query' | 'dialect'>,
      id: string,
      forUpdate = false,
    ): Promise<Reservation | null> {
      const lock = rowLock(reader, forUpdate);
      const [row] = await reader.query<ReservationRow>(`SELECT * FROM reservations WHERE id = $1${lock}`, [
        id,
      ]);
      return row ? toReservation(row) : null;
    },
    async allocations(reader: Reader, id: string): Promise<Placement[]> {
      const rows = await reader.query<AllocationRow>(
        'SELECT * FROM reservation_allocations WHERE reservation_id = $1 ORDER BY line_no, sku, location_id',
        [id],
      );
      return rows.map(toPlacement);
    },
    /**
     * What the reservation still holds at each placement: its units less those shipped parcels committed
     * already (see `commitAllocations`). Placements nothing is held of any more are left out.
     */
    async heldAllocations(reader: Reader, id: string): Promise<Placement[]> {
      const rows = await reader.query<AllocationRow>(
        `SELECT line_no, sku, location_id, quantity - committed AS quantity FROM reservation_allocations
         WHERE reservation_id = $1 AND quantity > committed ORDER BY line_no, sku, location_id`,
        [id],
      );
      return rows.map(toPlacement);
    },
    /** Records units of placements as committed (gone from stock): they are no longer held. */
    async commitAllocations(tx: Tx, id: string, placements: readonly Placement[]): Promise<void> {
      for (const placement of placements) {
        const updated = await tx.execute(
          `UPDATE reservation_allocations SET committed = committed + $1
           WHERE reservation_id = $2 AND line_no = $3 AND sku = $4 AND location_id = $5
             AND quantity - committed >= $1`,
          [placement.quantity, id, placement.line, placement.sku, placement.locationId],
        );
        if (updated !== 1)
          throw new Error(`reservation ${id} does not hold ${placement.quantity} of that placement`);
      }
    },
    /** Every placement of the reservation committed in full: the reservation itself is committed. */
    async commitAllAllocations(tx: Tx, id: string): Promise<void> {
      await tx.execute('UPDATE reservation_allocations SET committed = quantity WHERE reservation_id = $1', [
        id,
      ]);
    },
    async addAllocations(tx: Tx, id: string, placements: readonly Placement[]): Promise<void> {
      for (const placement of placements) {
        await tx.execute(
          `INSERT INTO reservation_allocations (reservation_id, line_no, sku, location_id, quantity)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reservation_id, line_no, sku, location_id)
           DO UPDATE SET quantity = reservation_allocations.quantity + excluded.quantity`,
          [id, placement.line, placement.sku, placement.locationId, placement.quantity],
        );
      }
    },
    /** Moves the status on only from `from`, so two instances (or a sweeper and a client) cannot both win. */
    async transition(tx: Tx, id: string, from: ReservationStatus, to: ReservationStatus, at: string) {
      const [row] = await tx.query<{ version: number | string }>(
        `UPDATE reservations SET status = $1, version = version + 1, updated_at = $2
         WHERE id = $3 AND status = $4 RETURNING version`,
        [to, at, id, from],
      );
      return row ? Number(row.version) : null;
    },
    async extend(tx: Tx, id: string, expiresAt: string, at: string): Promise<number> {
      const [row] = await tx.query<{ version: number | string }>(
        `UPDATE reservations SET expires_at = $1, version = version + 1, updated_at = $2
         WHERE id = $3 AND status = 'held' RETURNING version`,
        [expiresAt, at, id],
      );
      if (!row) throw new Error(`reservation ${id} changed under its lock`);
      return Number(row.version);
    },
    /** Drops a reservation's placements, before an expired hold is held anew (see `revive`). */
    async clearAllocations(tx: Tx, id: string): Promise<void> {
      await tx.execute('DELETE FROM reservation_allocations WHERE reservation_id = $1', [id]);
    },
    /** An expired hold held anew for its order, until `expiresAt`; null when it is no longer expired. */
    async revive(tx: Tx, id: string, expiresAt: string, at: string): Promise<number | null> {
      const [row] = await tx.query<{ version: number | string }>(
        `UPDATE reservations SET status = 'held', expires_at = $1, version = version + 1, updated_at = $2
         WHERE id = $3 AND status = 'expired' RETURNING version`,
        [expiresAt, at, id],
      );
      return row ? Number(row.version) : null;
    },
    /** Whether the ledger has a movement of this kind under `reference` already (movement ids are unique). */
    async hasMovement(tx: Pick<Tx, 'query'>, reference: string, kind: string): Promise<boolean> {
      const [row] = await tx.query<{ found: number }>(
        'SELECT 1 AS found FROM stock_movements WHERE reference = $1 AND kind = $2 LIMIT 1',
        [reference, kind],
      );
      return row !== undefined;
    },
    async bumpVersion(tx: Tx, id: string, at: string): Promise<number> {
      const [row] = await tx.query<{ version: number | string }>(
        'UPDATE reservations SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING version',
        [at, id],
      );
      return Number(row!.version);
    },
    /**
     * Held reservations past their expiry, oldest first. Holds kept for placed orders never expire (one kept
     * before they lost their time limit still shows one): left out, or they would fill every batch for nothing.
     */
    async dueIds(reader: Reader, now: string, limit: number): Promise<string[]> {
      const rows = await reader.query<{ id: string }>(
        `SELECT id FROM reservations r WHERE status = 'held' AND expires_at <= $1
           AND NOT EXISTS (SELECT 1 FROM online_orders o WHERE o.reservation_id = r.id)
         ORDER BY expires_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => row.id);
    },
  };
}

export type ReservationStore = ReturnType<typeof createReservationStore>;
