import { conflict, type Tx } from '@tillstream/kernel';

/** The receipts tables, each with the column naming the document a receipt belongs to. */
const OWNER_COLUMN = {
  transfer_receipts: 'transfer_id',
  purchase_order_receipts: 'purchase_order_id',
} as const;

/**
 * Claims a receipt id for its document before anything is written, so the same receipt sent twice at once
 * (from two instances) applies once: on PostgreSQL the second waits for the first to commit. True when the id
 * is new; false for a faithful retry (same document, same fingerprint), which answers the document as it is;
 * the same id for another document or content is 409 `id_conflict`.
 */
export async function claimReceipt(
  tx: Tx,
  table: keyof typeof OWNER_COLUMN,
  receipt: { id: string; documentId: string; hash: string; at: string },
): Promise<boolean> {
  const owner = OWNER_COLUMN[table];
  const inserted = await tx.execute(
    `INSERT INTO ${table} (id, ${owner}, request_hash, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [receipt.id, receipt.documentId, receipt.hash, receipt.at],
  );
  if (inserted === 1) return true;
  const [row] = await tx.query<{ owner: string; request_hash: string }>(
    `SELECT ${owner} AS owner, request_hash FROM ${table} WHERE id = $1`,
    [receipt.id],
  );
  if (row!.owner !== receipt.documentId || row!.request_hash !== receipt.hash)
    throw conflict('id_conflict', `Receipt ${receipt.id} exists with other content`);
  return false;
}
