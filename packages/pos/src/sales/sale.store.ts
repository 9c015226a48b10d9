import { SaleCompletedV1 } from '@tillstream/contracts';
import { conflict, placeholders, type Clock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { Sale } from './sale.decide.js';
import type { SalesFilter } from '../read-scope.js';

export interface StoredSale {
  requestHash: string;
  sale: Sale;
}

/** Terminals a sale store remembers; past this many it starts over (a chain has far fewer tills). */
const TERMINALS_REMEMBERED_MAX = 100_000;

export function createSaleStore(deps: { db: Db; outbox: Outbox; clock: Clock }) {
  /**
   * The store of each terminal whose registration is known committed: one of its sales committed with it. A
   * terminal's store never changes once registered, so a sale of a known terminal skips the look-up (a
   * statement per sale, and a round trip on PostgreSQL). Filled only after a commit: a registration read
   * inside a transaction may be an earlier savepoint's that the group's commit could still take back.
   */
  const terminalStores = new Map<string, string>();

  const find = async (
    reader: Pick<Tx, 'query'> | Pick<Db, 'query'>,
    id: string,
  ): Promise<StoredSale | null> => {
    const [row] = await reader.query<{ request_hash: string; result: string }>(
      'SELECT request_hash, result FROM sales WHERE id = $1',
      [id],
    );
    return row ? { requestHash: row.request_hash, sale: JSON.parse(row.result) as Sale } : null;
  };

  /**
   * Stores a new sale and its `pos.sale.completed` event in the caller's transaction. If the id exists already
   * (a concurrent retry won the race, or the same batch held it twice) the stored sale is returned instead; the
   * primary key is the last guard. `within` runs in the same transaction (receipt number and shift
   * bookkeeping) and says if it was late.
   */
  const write = async (
    tx: Tx,
    sale: Sale,
    requestHash: string,
    within?: (tx: Tx) => Promise<boolean>,
  ): Promise<{ created: boolean; stored: StoredSale; late: boolean }> => {
    const receivedAt = deps.clock.now().toISOString();
    const inserted = await tx.execute(
      `INSERT INTO sales (id, store_id, terminal_id, occurred_at, currency, total, request_hash, result, received_at,
         shift_id, receipt_no)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      [
        sale.id,
        sale.storeId,
        sale.terminalId,
        sale.occurredAt,
        sale.currency,
        sale.total,
        requestHash,
        JSON.stringify(sale),
        receivedAt,
        sale.shiftId ?? null,
        sale.receiptNo ?? null,
      ],
    );
    if (inserted === 0) return { created: false, stored: (await find(tx, sale.id))!, late: false };
    const registeredAt = terminalStores.get(sale.terminalId);
    if (registeredAt === undefined) await registerTerminal(tx, sale.terminalId, sale.storeId, receivedAt);
    else assertTerminalAt(sale.terminalId, registeredAt, sale.storeId);
    const late = within ? await within(tx) : false;
    const { id: saleId, status: _status, ...rest } = sale;
    await deps.outbox.append(tx, [
      {
        contract: SaleCompletedV1,
        subject: `sale/${saleId}`,
        sequence: 1,
        partitionKey: sale.storeId,
        data: { saleId, ...rest },
      },
    ]);
    return { created: true, stored: { requestHash, sale }, late };
  };

  return {
    find,
    reader: deps.db as Pick<Db, 'query'>,
    async list(filter: SalesFilter & { limit: number }): Promise<Sale[]> {
      const where: string[] = [];
      const params: string[] = [];
      for (const [column, value] of [
        ['terminal_id', filter.terminalId],
        ['shift_id', filter.shiftId],
        ['store_id', filter.storeId],
        ['receipt_no', filter.receiptNo],
      ] as const) {
        if (value === undefined) continue;
        params.push(value);
        where.push(`${column} = $${params.length + 1}`);
      }
      const rows = await deps.db.query<{ result: string }>(
        `SELECT result FROM sales WHERE ${where.join(' AND ')} ORDER BY occurred_at, id LIMIT $1`,
        [filter.limit, ...params],
      );
      return rows.map((row) => JSON.parse(row.result) as Sale);
    },
    /** The sales stored under any of `ids`, by id: a sync batch looks its documents up in one query. */
    async findMany(reader: Pick<Db, 'query'>, ids: readonly string[]): Promise<Map<string, StoredSale>> {
      if (ids.length === 0) return new Map();
      const rows = await reader.query<{ id: string; request_hash: string; result: string }>(
        `SELECT id, request_hash, result FROM sales WHERE id IN (${placeholders(ids.length)})`,
        ids,
      );
      return new Map(
        rows.map((row) => [row.id, { requestHash: row.request_hash, sale: JSON.parse(row.result) as Sale }]),
      );
    },
    write,
    /** `write` in a transaction of its own. */
    async insert(sale: Sale, requestHash: string, within?: (tx: Tx) => Promise<boolean>) {
      const written = await deps.db.transaction((tx) => write(tx, sale, requestHash, within));
      if (written.created) {
        if (terminalStores.size >= TERMINALS_REMEMBERED_MAX) terminalStores.clear();
        terminalStores.set(sale.terminalId, sale.storeId);
      }
      return written;
    },
  };
}

/**
 * Terminals found already registered, per transaction: a sync batch records up to 200 documents of one
 * terminal, so it looks the row up once. Only a row that existed when looked up is remembered (committed, or
 * written by an earlier document whose savepoint was released): no later savepoint can roll that back. One a
 * document registers itself is not remembered, as its savepoint may yet be rolled back.
 */
const registeredBefore = new WeakMap<Tx, Map<string, string>>();

const storeOfTerminal = async (tx: Tx, terminalId: string): Promise<string | undefined> => {
  const [row] = await tx.query<{ store_id: string }>(
    'SELECT store_id FROM terminals WHERE terminal_id = $1',
    [terminalId],
  );
  return row?.store_id;
};

/**
 * A terminal belongs to one store; the first sale seen from it registers it there. Looked up before it is
 * inserted: every sale but a terminal's first finds it, in one statement instead of a refused insert and a
 * read (a round trip fewer per sale on PostgreSQL).
 */
export async function registerTerminal(
  tx: Tx,
  terminalId: string,
  storeId: string,
  at: string,
): Promise<void> {
  let registeredAt = registeredBefore.get(tx)?.get(terminalId);
  if (registeredAt === undefined) {
    registeredAt = await storeOfTerminal(tx, terminalId);
    if (registeredAt === undefined) {
      const inserted = await tx.execute(
        'INSERT INTO terminals (terminal_id, store_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [terminalId, storeId, at],
      );
      if (inserted === 1) return;
      // Another transaction registered it between the look-up and the insert (its first sales, at once).
      registeredAt = await storeOfTerminal(tx, terminalId);
      if (registeredAt === undefined) return;
    }
    if (!registeredBefore.has(tx)) registeredBefore.set(tx, new Map());
    registeredBefore.get(tx)!.set(terminalId, registeredAt);
  }
  assertTerminalAt(terminalId, registeredAt, storeId);
}

function assertTerminalAt(terminalId: string, registeredAt: string, storeId: string): void {
  if (registeredAt !== storeId) {
    throw conflict('terminal_store_mismatch', `Terminal ${terminalId} belongs to store ${registeredAt}`);
  }
}

export type SaleStore = ReturnType<typeof createSaleStore>;
