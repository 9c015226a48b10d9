import { conflict, type Tx } from '@tillstream/kernel';

/**
 * The tables that claim client-made ids of documents taken against another document (receipts of transfers
 * and purchase orders, supplier invoices of purchase orders): the column naming the document each belongs to,
 * and the one saying when the id was claimed.
 */
const CLAIMS = {
  transfer_receipts: { owner: 'transfer_id', claimedAt: 'received_at' },
  purchase_order_receipts: { owner: 'purchase_order_id', claimedAt: 'received_at' },
  purchase_order_invoices: { owner: 'purchase_order_id', claimedAt: 'recorded_at' },
} as const;

/**
 * Claims a receipt's or invoice's id for its document before anything is written, so the same one sent twice
 * at once (from two instances) applies once: on PostgreSQL the second waits for the first to commit. True when
 * the id is new; false for a faithful retry (same document, same fingerprint), which answers the document as
 * it is; the same id for another document or content is 409 `id_conflict`.
 */
export async function claimDocumentId(
  tx: Tx,
  table: keyof typeof CLAIMS,
  claim: { id: string; documentId: string; hash: string; at: string },
): Promise<boolean> {
  const { owner, claimedAt } = CLAIMS[table];
  const inserted = await tx.execute(
    `INSERT INTO ${table} (id, ${owner}, request_hash, ${claimedAt}) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [claim.id, claim.documentId, claim.hash, claim.at],
  );
  if (inserted === 1) return true;
  const [row] = await tx.query<{ owner: string; request_hash: string }>(
    `SELECT ${owner} AS owner, request_hash FROM ${table} WHERE id = $1`,
    [claim.id],
  );
  if (row!.owner !== claim.documentId || row!.request_hash !== claim.hash)
    throw conflict('id_conflict', `${claim.id} in ${table} exists with other content`);
  return false;
}
