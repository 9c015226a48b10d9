import { asNumber, conflict, type Db, type Tx } from '@tillstream/kernel';

export interface Terminal {
  terminalId: string;
  storeId: string;
  name: string | null;
  registeredAt: string;
  /** The id of its active API key; null for a terminal first seen through an unbound key. */
  keyId: string | null;
  lastSyncAt: string | null;
  /** The highest shift number the server has seen from it: a reinstalled terminal continues after it. */
  lastShiftSeq: number;
}

interface TerminalRow {
  terminal_id: string;
  store_id: string;
  name: string | null;
  registered_at: string;
  key_id: string | null;
  last_sync_at: string | null;
  last_shift_seq: number | string | null;
}

const SELECT = `SELECT t.*, (SELECT MAX(seq) FROM shifts s WHERE s.terminal_id = t.terminal_id) AS last_shift_seq
  FROM terminals t`;

const toTerminal = (row: TerminalRow): Terminal => ({
  terminalId: row.terminal_id,
  storeId: row.store_id,
  name: row.name,
  registeredAt: row.registered_at,
  keyId: row.key_id,
  lastSyncAt: row.last_sync_at,
  lastShiftSeq: row.last_shift_seq === null ? 0 : asNumber(row.last_shift_seq),
});

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

export function createTerminalStore(db: Db) {
  const find = async (reader: Reader, terminalId: string): Promise<Terminal | null> => {
    const [row] = await reader.query<TerminalRow>(`${SELECT} WHERE t.terminal_id = $1`, [terminalId]);
    return row ? toTerminal(row) : null;
  };
  return {
    find: (terminalId: string) => find(db, terminalId),
    async list(storeId: string | undefined, limit: number): Promise<Terminal[]> {
      const rows = await db.query<TerminalRow>(
        `${SELECT} ${storeId === undefined ? '' : 'WHERE t.store_id = $2'} ORDER BY t.terminal_id LIMIT $1`,
        storeId === undefined ? [limit] : [limit, storeId],
      );
      return rows.map(toTerminal);
    },
    /**
     * Records the terminal (or finds it, first seen through a sale) and sets its key. Refuses a terminal of
     * another store, and one whose active key is not `expectedKeyId` (a concurrent registration won).
     */
    async attachKey(
      terminal: { terminalId: string; storeId: string; name: string | null },
      keyId: string,
      expectedKeyId: string | null,
      at: string,
    ): Promise<Terminal> {
      return db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO terminals (terminal_id, store_id, registered_at, name) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [terminal.terminalId, terminal.storeId, at, terminal.name],
        );
        const existing = (await find(tx, terminal.terminalId))!;
        if (existing.storeId !== terminal.storeId)
          throw conflict(
            'terminal_store_mismatch',
            `Terminal ${terminal.terminalId} belongs to ${existing.storeId}`,
          );
        const changed = await tx.execute(
          `UPDATE terminals SET key_id = $1, name = COALESCE($2, name) WHERE terminal_id = $3
           AND ${expectedKeyId === null ? 'key_id IS NULL' : 'key_id = $4'}`,
          expectedKeyId === null
            ? [keyId, terminal.name, terminal.terminalId]
            : [keyId, terminal.name, terminal.terminalId, expectedKeyId],
        );
        if (changed !== 1)
          throw conflict('terminal_already_registered', `Terminal ${terminal.terminalId} has an active key`);
        return (await find(tx, terminal.terminalId))!;
      });
    },
    async touchSync(terminalId: string, at: string): Promise<void> {
      await db.transaction((tx) =>
        tx.execute('UPDATE terminals SET last_sync_at = $1 WHERE terminal_id = $2', [at, terminalId]),
      );
    },
  };
}

export type TerminalStore = ReturnType<typeof createTerminalStore>;
