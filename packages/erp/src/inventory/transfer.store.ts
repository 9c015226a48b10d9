import { placeholderRows, placeholders, rowLock, type Db, type SqlValue, type Tx } from '@tillstream/kernel';
import { IN_TRANSIT_STATUSES, type Transfer, type TransferStatus } from './transfer.decide.js';

type Reader = Pick<Tx, 'query' | 'dialect'> | Db;

export interface TransferFilter {
  /** Keyset: only transfers with a greater id. */
  after: string;
  limit: number;
  fromLocationId?: string;
  toLocationId?: string;
  status?: TransferStatus;
  sku?: string;
  /** Transfers still in transit that were shipped before this instant (ISO 8601, UTC). */
  shippedBefore?: string;
  /** Transfers still in transit expected before this instant (ISO 8601, UTC). */
  expectedBefore?: string;
  /** `is` true: only transfers overdue at the instant `at` (still in transit, expected before it); false: the rest. */
  overdue?: { is: boolean; at: string };
}

interface TransferRow {
  id: string;
  source_id: string;
  destination_id: string;
  status: Transfer['status'];
  lines: string;
  discrepancies: string;
  request_hash: string;
  version: number | string;
  created_at: string;
  shipped_at: string | null;
  closed_at: string | null;
  expected_at: string | null;
}

const toTransfer = (row: TransferRow): Transfer => ({
  id: row.id,
  sourceId: row.source_id,
  destinationId: row.destination_id,
  status: row.status,
  lines: JSON.parse(row.lines) as Transfer['lines'],
  discrepancies: JSON.parse(row.discrepancies) as Transfer['discrepancies'],
  version: Number(row.version),
  requestHash: row.request_hash,
  createdAt: row.created_at,
  shippedAt: row.shipped_at,
  closedAt: row.closed_at,
  expectedAt: row.expected_at,
});

/**
 * Keeps transfer_skus naming every SKU the transfer has a line of, for the list's SKU filter. Lines are never
 * removed, but a receipt may add one (an item that was not on the transfer), so every save writes them all.
 */
async function indexSkus(tx: Tx, transfer: Transfer): Promise<void> {
  if (transfer.lines.length === 0) return;
  await tx.execute(
    `INSERT INTO transfer_skus (sku, transfer_id) VALUES ${placeholderRows(transfer.lines.length, 2)}
     ON CONFLICT DO NOTHING`,
    transfer.lines.flatMap((line) => [line.sku, transfer.id]),
  );
}

/** Transfers (lines and discrepancies as JSON in the row); camelCase ⇄ snake_case happens here only. */
export function createTransferStore() {
  return {
    async insert(tx: Tx, transfer: Transfer): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO transfers (id, source_id, destination_id, status, lines, discrepancies, request_hash, version,
           created_at, expected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          transfer.id,
          transfer.sourceId,
          transfer.destinationId,
          transfer.status,
          JSON.stringify(transfer.lines),
          JSON.stringify(transfer.discrepancies),
          transfer.requestHash,
          transfer.version,
          transfer.createdAt,
          transfer.expectedAt,
        ],
      );
      if (inserted !== 1) return false;
      await indexSkus(tx, transfer);
      return true;
    },
    /** With `forUpdate`, locks the row on PostgreSQL; take the balance locks of its keys first. */
    async find(reader: Reader, id: string, forUpdate = false): Promise<Transfer | null> {
      const lock = rowLock(reader, forUpdate);
      const [row] = await reader.query<TransferRow>(`SELECT * FROM transfers WHERE id = $1${lock}`, [id]);
      return row ? toTransfer(row) : null;
    },
    async save(tx: Tx, transfer: Transfer): Promise<void> {
      await tx.execute(
        `UPDATE transfers SET status = $1, lines = $2, discrepancies = $3, version = $4, shipped_at = $5,
           closed_at = $6, expected_at = $7 WHERE id = $8`,
        [
          transfer.status,
          JSON.stringify(transfer.lines),
          JSON.stringify(transfer.discrepancies),
          transfer.version,
          transfer.shippedAt,
          transfer.closedAt,
          transfer.expectedAt,
          transfer.id,
        ],
      );
      await indexSkus(tx, transfer);
    },
    /**
     * One page in id order; reads `limit + 1` rows so the caller knows whether there is a next page. Lines
     * come in each transfer's own row, so a page is one statement.
     */
    async page(reader: Reader, filter: TransferFilter): Promise<Transfer[]> {
      const conditions = ['id > $1'];
      const values: SqlValue[] = [filter.after];
      const where = (condition: (at: string) => string, value: SqlValue) => {
        values.push(value);
        conditions.push(condition(`$${values.length}`));
      };
      if (filter.fromLocationId) where((at) => `source_id = ${at}`, filter.fromLocationId);
      if (filter.toLocationId) where((at) => `destination_id = ${at}`, filter.toLocationId);
      if (filter.status) where((at) => `status = ${at}`, filter.status);
      if (filter.sku)
        where(
          (at) =>
            `EXISTS (SELECT 1 FROM transfer_skus s WHERE s.sku = ${at} AND s.transfer_id = transfers.id)`,
          filter.sku,
        );
      // Stored in UTC, so instants compare as text. The in-transit filters read transfers_by_status_expected.
      const inTransitStatuses = () => {
        const list = placeholders(IN_TRANSIT_STATUSES.length, values.length + 1);
        values.push(...IN_TRANSIT_STATUSES);
        return `(${list})`;
      };
      if (filter.shippedBefore || filter.expectedBefore || filter.overdue?.is)
        conditions.push(`status IN ${inTransitStatuses()}`);
      if (filter.shippedBefore) where((at) => `shipped_at < ${at}`, filter.shippedBefore);
      if (filter.expectedBefore) where((at) => `expected_at < ${at}`, filter.expectedBefore);
      if (filter.overdue?.is) where((at) => `expected_at < ${at}`, filter.overdue.at);
      if (filter.overdue?.is === false) {
        const statuses = inTransitStatuses();
        where(
          (at) => `(status NOT IN ${statuses} OR expected_at IS NULL OR expected_at >= ${at})`,
          filter.overdue.at,
        );
      }
      values.push(filter.limit + 1);
      const rows = await reader.query<TransferRow>(
        `SELECT * FROM transfers WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`,
        values,
      );
      return rows.map(toTransfer);
    },
  };
}

export type TransferStore = ReturnType<typeof createTransferStore>;
