import { asNumber, rowLock, type Clock, type Db, type Tx } from '@tillstream/kernel';
import type { Redemption } from './stored-value.decide.js';

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

interface RedemptionRow {
  id: string;
  number: string;
  amount: number | string;
  currency: string;
  store_id: string;
  terminal_id: string;
  status: Redemption['status'];
  sale_id: string | null;
  request_hash: string;
  expires_at: string;
}

const toRedemption = (row: RedemptionRow): Redemption => ({
  id: row.id,
  number: row.number,
  amount: asNumber(row.amount),
  currency: row.currency,
  storeId: row.store_id,
  terminalId: row.terminal_id,
  status: row.status,
  saleId: row.sale_id,
  expiresAt: row.expires_at,
});

/**
 * Redemptions of gift card and store credit: a hold a till places before its sale, then claimed by the sale,
 * cancelled, or expired by the sweeper. Moves out of `held` are conditional, so of racing moves one wins.
 */
export function createRedemptionStore(deps: { clock: Clock }) {
  return {
    async findRedemption(
      reader: Reader,
      id: string,
      lock = false,
    ): Promise<{ redemption: Redemption; requestHash: string } | null> {
      const suffix = rowLock(reader, lock);
      const [row] = await reader.query<RedemptionRow>(
        `SELECT * FROM stored_value_redemptions WHERE id = $1${suffix}`,
        [id],
      );
      return row ? { redemption: toRedemption(row), requestHash: row.request_hash } : null;
    },
    /** False when the id exists already (a retry, or a concurrent one won). */
    async insertRedemption(tx: Tx, redemption: Redemption, requestHash: string): Promise<boolean> {
      const at = deps.clock.now().toISOString();
      const inserted = await tx.execute(
        `INSERT INTO stored_value_redemptions (id, number, amount, currency, store_id, terminal_id, status, sale_id,
           request_hash, created_at, updated_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
         ON CONFLICT DO NOTHING`,
        [
          redemption.id,
          redemption.number,
          redemption.amount,
          redemption.currency,
          redemption.storeId,
          redemption.terminalId,
          redemption.status,
          redemption.saleId,
          requestHash,
          at,
          redemption.expiresAt,
        ],
      );
      return inserted === 1;
    },
    /** Holds no sale claimed before `now`, the oldest first: what the sweeper gives back. */
    async dueHolds(reader: Reader, now: string, limit: number): Promise<string[]> {
      const rows = await reader.query<{ id: string }>(
        `SELECT id FROM stored_value_redemptions WHERE status = 'held' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => row.id);
    },
    /**
     * Moves a held redemption on; false when it was no longer held (a sale, a cancel and the sweeper race: one
     * wins).
     */
    async moveRedemption(
      tx: Tx,
      id: string,
      to: { status: 'claimed'; saleId: string } | { status: 'cancelled' | 'expired' },
    ): Promise<boolean> {
      const changed = await tx.execute(
        `UPDATE stored_value_redemptions SET status = $1, sale_id = $2, updated_at = $3
         WHERE id = $4 AND status = 'held'`,
        [to.status, to.status === 'claimed' ? to.saleId : null, deps.clock.now().toISOString(), id],
      );
      return changed === 1;
    },
  };
}
