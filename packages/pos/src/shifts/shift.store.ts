import { ShiftClosedV1, type ZReport } from '@tillstream/contracts';
import { asNumber, rowLock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { Issue } from '../stored-value/stored-value.decide.js';
import { checkShiftDocument, type Shift } from './shift.decide.js';
import { zReport, type Received } from './z-report.js';

interface ShiftRow {
  id: string;
  terminal_id: string;
  store_id: string;
  seq: number | string;
  currency: string;
  opened_at: string | null;
  opening_float: number | string | null;
  open_hash: string | null;
  closed_at: string | null;
  close_id: string | null;
  counted_cash: number | string | null;
  close_hash: string | null;
  close_received_at: string | null;
  revision: number | string;
}

const orNull = (value: number | string | null) => (value === null ? null : asNumber(value));

const toShift = (row: ShiftRow): Shift => ({
  id: row.id,
  terminalId: row.terminal_id,
  storeId: row.store_id,
  seq: asNumber(row.seq),
  currency: row.currency,
  openedAt: row.opened_at,
  openingFloat: orNull(row.opening_float),
  openHash: row.open_hash,
  closedAt: row.closed_at,
  closeId: row.close_id,
  countedCash: orNull(row.counted_cash),
  closeHash: row.close_hash,
  closeReceivedAt: row.close_received_at,
  revision: asNumber(row.revision),
});

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

export function createShiftStore(deps: { outbox: Outbox }) {
  /** On PostgreSQL the row is locked, so a close and a late sale of one shift take turns. */
  const find = async (reader: Reader, id: string, lock = false): Promise<Shift | null> => {
    const suffix = rowLock(reader, lock);
    const [row] = await reader.query<ShiftRow>(`SELECT * FROM shifts WHERE id = $1${suffix}`, [id]);
    return row ? toShift(row) : null;
  };

  const documents = async (
    reader: Pick<Tx, 'query'> | Pick<Db, 'query'>,
    shiftId: string,
    terminalId: string,
  ) => {
    const sales = await reader.query<{ result: string; received_at: string }>(
      'SELECT result, received_at FROM sales WHERE shift_id = $1',
      [shiftId],
    );
    const returns = await reader.query<{ result: string; received_at: string }>(
      'SELECT result, received_at FROM sale_returns WHERE shift_id = $1',
      [shiftId],
    );
    const issues = await reader.query<{ result: string; received_at: string }>(
      'SELECT result, received_at FROM stored_value_issues WHERE shift_id = $1',
      [shiftId],
    );
    // A terminal's quarantine is short-lived and small: its returns are read whole and matched to the shift.
    const quarantined = await reader.query<{ payload: string }>(
      `SELECT payload FROM quarantined_transactions WHERE terminal_id = $1 AND type = 'return'`,
      [terminalId],
    );
    const parse = <T>(row: { result: string; received_at: string }): Received<T> => ({
      document: JSON.parse(row.result) as T,
      receivedAt: row.received_at,
    });
    return {
      sales: sales.map(parse<Sale>),
      returns: returns.map(parse<SaleReturn>),
      issues: issues.map(parse<Issue>),
      quarantined: quarantined.map((row) => JSON.parse(row.payload) as unknown),
    };
  };

  const report = async (reader: Pick<Tx, 'query'> | Pick<Db, 'query'>, shift: Shift): Promise<ZReport> => {
    const docs = await documents(reader, shift.id, shift.terminalId);
    return zReport(shift, docs.sales, docs.returns, docs.issues, docs.quarantined);
  };

  /** Publishes the shift's Z-report as of now; the revision is the envelope sequence, so consumers keep the newest. */
  const publish = async (tx: Tx, shift: Shift): Promise<void> => {
    await deps.outbox.append(tx, [
      {
        contract: ShiftClosedV1,
        subject: `shift/${shift.id}`,
        sequence: shift.revision,
        partitionKey: shift.storeId,
        data: {
          shiftId: shift.id,
          terminalId: shift.terminalId,
          storeId: shift.storeId,
          seq: shift.seq,
          revision: shift.revision,
          openedAt: shift.openedAt,
          closedAt: shift.closedAt!,
          currency: shift.currency,
          report: await report(tx, shift),
        },
      },
    ]);
  };

  /** Writes a decided shift; false when a new one lost a race for its id or its number (the caller decides again). */
  const save = async (tx: Tx, shift: Shift, created: boolean, receivedAt: string): Promise<boolean> => {
    if (created) {
      const inserted = await tx.execute(
        `INSERT INTO shifts (id, terminal_id, store_id, seq, currency, opened_at, opening_float, open_hash, closed_at,
           close_id, counted_cash, close_hash, close_received_at, revision, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`,
        [
          shift.id,
          shift.terminalId,
          shift.storeId,
          shift.seq,
          shift.currency,
          shift.openedAt,
          shift.openingFloat,
          shift.openHash,
          shift.closedAt,
          shift.closeId,
          shift.countedCash,
          shift.closeHash,
          shift.closeReceivedAt,
          shift.revision,
          receivedAt,
        ],
      );
      return inserted === 1;
    }
    await tx.execute(
      `UPDATE shifts SET opened_at = $2, opening_float = $3, open_hash = $4, closed_at = $5, close_id = $6,
         counted_cash = $7, close_hash = $8, close_received_at = $9, revision = $10 WHERE id = $1`,
      [
        shift.id,
        shift.openedAt,
        shift.openingFloat,
        shift.openHash,
        shift.closedAt,
        shift.closeId,
        shift.countedCash,
        shift.closeHash,
        shift.closeReceivedAt,
        shift.revision,
      ],
    );
    return true;
  };

  return {
    find,
    report,
    publish,
    save,
    /**
     * Called in the transaction that records a sale or return of `shiftId`: checks the shift is the
     * terminal's and in the document's currency, and when it closed already, revises and republishes its
     * Z-report. Answers whether it was late. A shift not seen yet is fine: its report is computed from the
     * documents whenever it arrives (and leaves out those in another currency).
     */
    async recordDocument(
      tx: Tx,
      shiftId: string,
      document: { terminalId: string; storeId: string; currency: string },
    ): Promise<boolean> {
      const shift = await find(tx, shiftId, true);
      if (!shift) return false;
      checkShiftDocument(shift, document);
      if (shift.closedAt === null) return false;
      const revised = { ...shift, revision: shift.revision + 1 };
      await tx.execute('UPDATE shifts SET revision = $1 WHERE id = $2', [revised.revision, shift.id]);
      await publish(tx, revised);
      return true;
    },
    async list(
      reader: Pick<Tx, 'query'> | Pick<Db, 'query'>,
      terminalId: string,
      limit: number,
    ): Promise<Shift[]> {
      const rows = await reader.query<ShiftRow>(
        'SELECT * FROM shifts WHERE terminal_id = $1 ORDER BY seq DESC LIMIT $2',
        [terminalId, limit],
      );
      return rows.map(toShift);
    },
  };
}

export type ShiftStore = ReturnType<typeof createShiftStore>;
