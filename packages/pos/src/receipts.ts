import { conflict, type Tx } from '@tillstream/kernel';

/**
 * Receipt numbers are made on the terminal (`<terminalId>-<shift seq>-<n>`), so no two terminals can collide
 * and none needs the network to number a receipt. The server keeps them unique per terminal across sales and
 * returns: a number reused for another document (a reinstalled terminal restarting its count) is refused.
 */
export async function claimReceiptNumber(
  tx: Tx,
  terminalId: string,
  receiptNo: string | undefined,
  documentId: string,
): Promise<void> {
  if (receiptNo === undefined) return;
  const claimed = await tx.execute(
    'INSERT INTO receipt_numbers (terminal_id, receipt_no, document_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [terminalId, receiptNo, documentId],
  );
  if (claimed === 1) return;
  const [row] = await tx.query<{ document_id: string }>(
    'SELECT document_id FROM receipt_numbers WHERE terminal_id = $1 AND receipt_no = $2',
    [terminalId, receiptNo],
  );
  if (row?.document_id !== documentId)
    throw conflict('receipt_number_taken', `Receipt ${receiptNo} of ${terminalId} is ${row?.document_id}`);
}
