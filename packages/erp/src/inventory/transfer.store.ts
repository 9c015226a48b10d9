import { rowLock, type Db, type Tx } from '@tillstream/kernel';
import type { Transfer } from './transfer.decide.js';

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
});

export function createTransferStore() {
  return {
    async insert(tx: Tx, transfer: Transfer): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO transfers (id, source_id, destination_id, status, lines, discrepancies, request_hash, version,
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
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
        ],
      );
      return inserted === 1;
    },
    /** With `forUpdate`, locks the row on PostgreSQL; take the balance locks of its keys first. */
    async find(
      reader: Pick<Tx, 'query' | 'dialect'> | Db,
      id: string,
      forUpdate = false,
    ): Promise<Transfer | null> {
      const lock = rowLock(reader, forUpdate);
      const [row] = await reader.query<TransferRow>(`SELECT * FROM transfers WHERE id = $1${lock}`, [id]);
      return row ? toTransfer(row) : null;
    },
    async save(tx: Tx, transfer: Transfer): Promise<void> {
      await tx.execute(
        `UPDATE transfers SET status = $1, lines = $2, discrepancies = $3, version = $4, shipped_at = $5,
           closed_at = $6 WHERE id = $7`,
        [
          transfer.status,
          JSON.stringify(transfer.lines),
          JSON.stringify(transfer.discrepancies),
          transfer.version,
          transfer.shippedAt,
          transfer.closedAt,
          transfer.id,
        ],
      );
    },
  };
}

export type TransferStore = ReturnType<typeof createTransferStore>;
