import type { Db, Tx } from '@tillstream/kernel';
import type { Placement } from './allocation.decide.js';
import type { QueuedBackorder } from './reservation.decide.js';

interface BackorderRow {
  seq: number | string;
  reservation_id: string;
  line_no: number | string;
  sku: string;
  location_id: string;
  quantity: number | string;
  filled: number | string;
  status: QueuedBackorder['status'];
}

export interface BackorderEntry extends QueuedBackorder {
  reservationId: string;
}

const toBackorder = (row: BackorderRow): BackorderEntry => ({
  backorderId: Number(row.seq),
  reservationId: row.reservation_id,
  line: Number(row.line_no),
  sku: row.sku,
  locationId: row.location_id,
  quantity: Number(row.quantity),
  filled: Number(row.filled),
  status: row.status,
});

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** The backorder queue: per (sku, location), oldest first by a database sequence. */
export function createBackorderStore() {
  return {
    async queue(tx: Tx, reservationId: string, placements: readonly Placement[], at: string): Promise<void> {
      for (const placement of placements) {
        await tx.execute(
          `INSERT INTO backorders (reservation_id, line_no, sku, location_id, quantity, filled, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 0, 'open', $6, $6)`,
          [reservationId, placement.line, placement.sku, placement.locationId, placement.quantity, at],
        );
      }
    },
    async ofReservation(reader: Reader, reservationId: string): Promise<BackorderEntry[]> {
      const rows = await reader.query<BackorderRow>(
        'SELECT * FROM backorders WHERE reservation_id = $1 ORDER BY seq',
        [reservationId],
      );
      return rows.map(toBackorder);
    },
    /** The open queue of one key; the caller holds that key's balance lock, under which the queue changes. */
    async openAt(tx: Tx, sku: string, locationId: string): Promise<BackorderEntry[]> {
      const rows = await tx.query<BackorderRow>(
        `SELECT * FROM backorders WHERE sku = $1 AND location_id = $2 AND status = 'open' ORDER BY seq`,
        [sku, locationId],
      );
      return rows.map(toBackorder);
    },
    async list(
      reader: Reader,
      filter: { sku?: string; locationId?: string; status?: string },
      limit: number,
    ) {
      const rows = await reader.query<BackorderRow>(
        `SELECT * FROM backorders WHERE ($1 = '' OR sku = $1) AND ($2 = '' OR location_id = $2)
         AND ($3 = '' OR status = $3) ORDER BY seq LIMIT $4`,
        [filter.sku ?? '', filter.locationId ?? '', filter.status ?? '', limit],
      );
      return rows.map(toBackorder);
    },
    async fill(tx: Tx, backorderId: number, filled: number, complete: boolean, at: string): Promise<void> {
      await tx.execute('UPDATE backorders SET filled = $1, status = $2, updated_at = $3 WHERE seq = $4', [
        filled,
        complete ? 'filled' : 'open',
        at,
        backorderId,
      ]);
    },
    async cancelOpen(tx: Tx, reservationId: string, at: string): Promise<void> {
      await tx.execute(
        `UPDATE backorders SET status = 'cancelled', updated_at = $1 WHERE reservation_id = $2 AND status = 'open'`,
        [at, reservationId],
      );
    },
  };
}

export type BackorderStore = ReturnType<typeof createBackorderStore>;
