import type { PricingSnapshot } from '@tillstream/contracts';
import type { Db } from '@tillstream/kernel';

/** The one row of `pricing_snapshot`. */
const ROW_ID = 1;

/** Commerce's copy of ERP's pricing snapshot: the newest version received, as ERP served it. */
export function createPricingSnapshotStore(db: Db) {
  return {
    async load(): Promise<PricingSnapshot | null> {
      const [row] = await db.query<{ body: string }>('SELECT body FROM pricing_snapshot WHERE id = $1', [
        ROW_ID,
      ]);
      return row ? (JSON.parse(row.body) as PricingSnapshot) : null;
    },

    /**
     * Keeps `snapshot` unless a version as new or newer is kept already (another instance may have written
     * one meanwhile): the condition is in the statement, so versions never go backwards.
     */
    async keep(snapshot: PricingSnapshot, receivedAt: string): Promise<void> {
      await db.transaction((tx) =>
        tx.execute(
          `INSERT INTO pricing_snapshot (id, version, body, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body,
           received_at = excluded.received_at
         WHERE pricing_snapshot.version < excluded.version`,
          [ROW_ID, snapshot.version, JSON.stringify(snapshot), receivedAt],
        ),
      );
    },
  };
}
