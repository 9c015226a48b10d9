import type { Tx } from './port.js';

/**
 * Rows read by key and kept for the rest of the transaction: a consumer's batch asks for the same keys event
 * after event (a batch of sales for their products), and this reads only the keys it has not seen yet, all
 * of them in one call. Only for rows nothing inside the transaction changes, which the caller vouches for. A
 * key that was not found is asked for again by the next call that names it.
 */
export function rowsPerTransaction<Row>(
  read: (tx: Tx, keys: readonly string[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => string,
): (tx: Tx, keys: readonly string[]) => Promise<ReadonlyMap<string, Row>> {
  const readIn = new WeakMap<Tx, Map<string, Row>>();
  return async (tx, keys) => {
    let rows = readIn.get(tx);
    if (!rows) {
      rows = new Map();
      readIn.set(tx, rows);
    }
    const missing = [...new Set(keys)].filter((key) => !rows.has(key));
    if (missing.length > 0) for (const row of await read(tx, missing)) rows.set(keyOf(row), row);
    return rows;
  };
}
