import { asNumber, placeholderRows, rowLock, type Tx } from '@tillstream/kernel';
import { shareOf } from '@tillstream/pricing';
import type { ReturnedTax, ShiftBooked } from './store-documents.decide.js';

/**
 * What the journal remembers of documents beyond their entries: the tax each sale line booked inside its
 * price and how much of it returns gave back, and the newest revision of each shift it booked.
 */
export function createDocumentState() {
  return {
    /** Keeps the included tax of a sale's lines and its rate, for its returns. */
    async recordSaleTaxes(
      tx: Tx,
      saleId: string,
      lines: readonly { lineNo: number; quantity: number; tax: number; ratePpm: number | null }[],
    ): Promise<void> {
      if (lines.length === 0) return;
      await tx.execute(
        `INSERT INTO journal_sale_lines (sale_id, line_no, quantity, tax, rate_ppm)
         VALUES ${placeholderRows(lines.length, 5)} ON CONFLICT DO NOTHING`,
        lines.flatMap((line) => [saleId, line.lineNo, line.quantity, line.tax, line.ratePpm]),
      );
    },

    /**
     * The tax a return of `quantity` units of a sale line gives back: its share of what the sale booked,
     * rounded on the running total of returns so that returning every unit gives back the tax to the cent.
     * Null when the sale booked no included tax for that line (or is unknown here). The rate is the sale's,
     * null for sales booked before rates were kept.
     */
    async returnTax(tx: Tx, saleId: string, lineNo: number, quantity: number): Promise<ReturnedTax | null> {
      const [row] = await tx.query<{
        quantity: unknown;
        tax: unknown;
        returned_quantity: unknown;
        rate_ppm: unknown;
      }>(
        `SELECT quantity, tax, returned_quantity, rate_ppm FROM journal_sale_lines
         WHERE sale_id = $1 AND line_no = $2 ${rowLock(tx)}`,
        [saleId, lineNo],
      );
      if (!row) return null;
      const done = asNumber(row.returned_quantity);
      const tax = shareOf(asNumber(row.tax), asNumber(row.quantity), done, quantity);
      await tx.execute(
        `UPDATE journal_sale_lines SET returned_quantity = $3, returned_tax = returned_tax + $4
         WHERE sale_id = $1 AND line_no = $2`,
        [saleId, lineNo, done + quantity, tax],
      );
      return { amount: tax, ratePpm: row.rate_ppm === null ? null : asNumber(row.rate_ppm) };
    },

    /**
     * The newest revision of a shift booked so far (revision 0 before any), its row locked for this transaction
     * so that two ERP instances take turns on it.
     */
    async shiftBooked(tx: Tx, shiftId: string): Promise<ShiftBooked> {
      await tx.execute(
        'INSERT INTO journal_shifts (shift_id, revision, over_short) VALUES ($1, 0, 0) ON CONFLICT DO NOTHING',
        [shiftId],
      );
      const [row] = await tx.query<{ revision: unknown; over_short: unknown }>(
        `SELECT revision, over_short FROM journal_shifts WHERE shift_id = $1 ${rowLock(tx)}`,
        [shiftId],
      );
      return { revision: asNumber(row!.revision), overShort: asNumber(row!.over_short) };
    },

    async recordShift(tx: Tx, shiftId: string, booked: ShiftBooked): Promise<void> {
      await tx.execute('UPDATE journal_shifts SET revision = $2, over_short = $3 WHERE shift_id = $1', [
        shiftId,
        booked.revision,
        booked.overShort,
      ]);
    },
  };
}

export type DocumentState = ReturnType<typeof createDocumentState>;
