import { conflict, type Tx } from '@tillstream/kernel';

/**
 * One statement claims the number and answers whose it is: inserted, or (already taken) the row is locked and
 * its document read, even when another transaction committed it a moment ago. The no-op update exists only so
 * RETURNING yields the existing row; a separate SELECT would read under a snapshot of its own.
 */
const CLAIM = `
  INSERT INTO receipt_numbers (terminal_id, receipt_no, document_id) VALUES ($1, $2, $3)
  ON CONFLICT (terminal_id, receipt_no) DO UPDATE SET document_id = receipt_numbers.document_id
  RETURNING document_id`;

/**
 * Receipt numbers are made on the terminal (`<terminalId>-<shift seq>-<n>`), so no two terminals can collide
 * and none needs the network to number a receipt. The server keeps them unique per terminal across sales and
 * returns: a number reused for another document (a reinstalled terminal restarting its count) is refused.
 *
 * The primary key (terminal_id, receipt_no) is what guarantees it. On PostgreSQL a claim of a number another
 * transaction holds uncommitted waits for that transaction; it must run in the claiming document's own
 * transaction or savepoint, with no other document's statements interleaved on the connection (see
 * `Tx.savepoint`): a sibling's rollback could otherwise undo this claim after it was answered.
 */
export async function claimReceiptNumber(
  tx: Tx,
  terminalId: string,
  receiptNo: string | undefined,
  documentId: string,
): Promise<void> {
  if (receiptNo === undefined) return;
  const [row] = await tx.query<{ document_id: string }>(CLAIM, [terminalId, receiptNo, documentId]);
  if (row?.document_id !== documentId)
    throw conflict('receipt_number_taken', `Receipt ${receiptNo} of ${terminalId} is ${row?.document_id}`);
}
