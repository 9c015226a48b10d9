import { asNumber, type Db, type Tx } from '@tillstream/kernel';

export interface Quarantined {
  terminalId: string;
  transactionId: string;
  type: string;
  code: string;
  detail: string;
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  transaction: unknown;
}

interface Row {
  terminal_id: string;
  transaction_id: string;
  type: string;
  payload: string;
  code: string;
  detail: string;
  attempts: number | string;
  first_seen_at: string;
  last_seen_at: string;
}

const toEntry = (row: Row): Quarantined => ({
  terminalId: row.terminal_id,
  transactionId: row.transaction_id,
  type: row.type,
  code: row.code,
  detail: row.detail,
  attempts: asNumber(row.attempts),
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
  transaction: JSON.parse(row.payload) as unknown,
});

/**
 * Poison transactions: rejected for good, kept with their reason so they can be fixed and retried, and so a
 * terminal never has to hold them (or hold up the rest of its queue) to avoid losing them.
 */
export function createQuarantineStore(db: Db) {
  return {
    /** In the transaction of the batch that rejected it. */
    async put(
      tx: Pick<Tx, 'execute'>,
      entry: { terminalId: string; id: string; type: string; payload: unknown; code: string; detail: string },
      at: string,
    ) {
      await tx.execute(
        `INSERT INTO quarantined_transactions (terminal_id, transaction_id, type, payload, code, detail, attempts,
             first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
           ON CONFLICT (terminal_id, transaction_id) DO UPDATE SET type = excluded.type, payload = excluded.payload,
             code = excluded.code, detail = excluded.detail, last_seen_at = excluded.last_seen_at,
             attempts = quarantined_transactions.attempts + 1`,
        [
          entry.terminalId,
          entry.id,
          entry.type,
          JSON.stringify(entry.payload),
          entry.code,
          entry.detail.slice(0, 2000),
          at,
        ],
      );
    },
    /**
     * Drops an entry once the transaction it holds went through (it was fixed, or retried after what it needed
     * arrived): only if `payload` is the one it holds, as `put` stored it.
     */
    async release(tx: Pick<Tx, 'execute'>, terminalId: string, id: string, payload: unknown): Promise<void> {
      await tx.execute(
        `DELETE FROM quarantined_transactions WHERE terminal_id = $1 AND transaction_id = $2
           AND payload = $3`,
        [terminalId, id, JSON.stringify(payload)],
      );
    },
    async get(terminalId: string, id: string): Promise<Quarantined | null> {
      const [row] = await db.query<Row>(
        'SELECT * FROM quarantined_transactions WHERE terminal_id = $1 AND transaction_id = $2',
        [terminalId, id],
      );
      return row ? toEntry(row) : null;
    },
    async ids(terminalId: string): Promise<Set<string>> {
      const rows = await db.query<{ transaction_id: string }>(
        'SELECT transaction_id FROM quarantined_transactions WHERE terminal_id = $1',
        [terminalId],
      );
      return new Set(rows.map((row) => row.transaction_id));
    },
    /** Oldest first; a store's entries are those of the terminals registered to it. */
    async list(
      filter: { terminalId?: string | undefined; storeId?: string | undefined },
      limit: number,
    ): Promise<Quarantined[]> {
      const where: string[] = [];
      const params: Array<string | number> = [limit];
      if (filter.terminalId !== undefined) {
        params.push(filter.terminalId);
        where.push(`terminal_id = $${params.length}`);
      }
      if (filter.storeId !== undefined) {
        params.push(filter.storeId);
        where.push(`terminal_id IN (SELECT terminal_id FROM terminals WHERE store_id = $${params.length})`);
      }
      const rows = await db.query<Row>(
        `SELECT * FROM quarantined_transactions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY first_seen_at, terminal_id, transaction_id LIMIT $1`,
        params,
      );
      return rows.map(toEntry);
    },
  };
}

export type QuarantineStore = ReturnType<typeof createQuarantineStore>;
