import { rowLock, type Db, type Tx } from '@tillstream/kernel';
import type { ReorderPolicy } from './replenishment.decide.js';

export interface ReorderPolicyRow {
  sku: string;
  location_id: string;
  reorder_point: number | string;
  order_up_to: number | string;
  pack_size: number | string;
  version: number | string;
}

export const toReorderPolicy = (row: ReorderPolicyRow): ReorderPolicy => ({
  sku: row.sku,
  locationId: row.location_id,
  reorderPoint: Number(row.reorder_point),
  orderUpTo: Number(row.order_up_to),
  packSize: Number(row.pack_size),
  version: Number(row.version),
});

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

/** A policy's columns in the order both the insert and the update number them. */
const rowOf = (policy: ReorderPolicy, at: string) => [
  policy.locationId,
  policy.sku,
  policy.reorderPoint,
  policy.orderUpTo,
  policy.packSize,
  policy.version,
  at,
];

/** Reorder policies, one row per (location, SKU). */
export function createReorderPolicyStore() {
  return {
    /** The policy; `lock` holds its row to the end of the transaction (PostgreSQL) so PUTs take turns. */
    async find(reader: Reader, sku: string, locationId: string, lock = false): Promise<ReorderPolicy | null> {
      const [row] = await reader.query<ReorderPolicyRow>(
        `SELECT * FROM reorder_policies WHERE location_id = $1 AND sku = $2${rowLock(reader, lock)}`,
        [locationId, sku],
      );
      return row ? toReorderPolicy(row) : null;
    },
    async ofSku(reader: Reader, sku: string): Promise<ReorderPolicy[]> {
      const rows = await reader.query<ReorderPolicyRow>(
        'SELECT * FROM reorder_policies WHERE sku = $1 ORDER BY location_id',
        [sku],
      );
      return rows.map(toReorderPolicy);
    },
    /**
     * Inserts a new policy unless one exists; false when a concurrent PUT created it first (the caller then
     * decides again against that one).
     */
    async insert(tx: Tx, policy: ReorderPolicy, at: string): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO reorder_policies (location_id, sku, reorder_point, order_up_to, pack_size, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (location_id, sku) DO NOTHING`,
        rowOf(policy, at),
      );
      return inserted === 1;
    },
    async update(tx: Tx, policy: ReorderPolicy, at: string): Promise<void> {
      await tx.execute(
        `UPDATE reorder_policies SET reorder_point = $3, order_up_to = $4, pack_size = $5, version = $6,
           updated_at = $7 WHERE location_id = $1 AND sku = $2`,
        rowOf(policy, at),
      );
    },
    async delete(tx: Tx, sku: string, locationId: string): Promise<boolean> {
      const deleted = await tx.execute('DELETE FROM reorder_policies WHERE location_id = $1 AND sku = $2', [
        locationId,
        sku,
      ]);
      return deleted > 0;
    },
  };
}

export type ReorderPolicyStore = ReturnType<typeof createReorderPolicyStore>;
