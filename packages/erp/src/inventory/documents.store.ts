import { conflict, type Tx } from '@tillstream/kernel';

/** Tables of client-identified stock documents: the first result is kept and replayed for the same id. */
export type DocumentTable = 'stock_adjustments' | 'stock_counts' | 'stock_returns';

/**
 * Idempotency by document id. The id is claimed first (a unique insert), so two concurrent requests with one
 * id cannot both apply: on PostgreSQL the second waits for the first to commit and then replays its result.
 * The same id with other content is refused with `conflictCode` (adjustments keep their published
 * `adjustment_id_conflict`).
 */
export function createDocumentStore(table: DocumentTable, conflictCode = 'id_conflict') {
  return {
    /** Null when the id is new (and now claimed); else the stored result to answer again. */
    async claim<T>(tx: Tx, id: string, hash: string, at: string): Promise<T | null> {
      const claimed = await tx.execute(
        `INSERT INTO ${table} (id, request_hash, result, recorded_at) VALUES ($1, $2, '', $3) ON CONFLICT DO NOTHING`,
        [id, hash, at],
      );
      if (claimed === 1) return null;
      const [previous] = await tx.query<{ request_hash: string; result: string }>(
        `SELECT request_hash, result FROM ${table} WHERE id = $1`,
        [id],
      );
      if (previous!.request_hash !== hash)
        throw conflict(conflictCode, `Document ${id} exists with other content`);
      return JSON.parse(previous!.result) as T;
    },
    async complete(tx: Tx, id: string, result: unknown): Promise<void> {
      await tx.execute(`UPDATE ${table} SET result = $1 WHERE id = $2`, [JSON.stringify(result), id]);
    },
  };
}
