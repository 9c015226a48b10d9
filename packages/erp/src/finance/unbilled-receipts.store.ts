import { asNumber, placeholderRows, placeholders, type Db, type SqlValue, type Tx } from '@tillstream/kernel';
import type { UnbilledCursor, UnbilledReceipt } from './unbilled-receipts.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** Rows per insert: eight parameters each, well within every engine's limit. */
const ADD_CHUNK = 200;

/**
 * The work list of receipts waiting on 2310 for a bill (`unbilled_receipts`). The valuation adds a receipt in
 * the transaction that values it (at 0 when it booked nothing), a bill removes it in the one that takes it
 * (`SupplierBillStore.record`), so the list is always what the journal less the bills says, and reading it
 * never touches the journal: years of receipts billed long ago cost the clerk's first page nothing.
 */
export function createUnbilledReceiptStore() {
  return {
    /**
     * Adds receipts just valued; one already listed is left as it is, and one a bill has is not listed again
     * (a replayed event of a receipt valued at nothing has no journal entry to stop it).
     */
    async add(tx: Tx, receipts: readonly UnbilledReceipt[]): Promise<void> {
      for (let from = 0; from < receipts.length; from += ADD_CHUNK) {
        const chunk = receipts.slice(from, from + ADD_CHUNK);
        await tx.execute(
          `INSERT INTO unbilled_receipts
             (movement_id, kind, sku, location_id, quantity, occurred_at, currency, value)
           VALUES ${placeholderRows(chunk.length, 8)} ON CONFLICT DO NOTHING`,
          chunk.flatMap((receipt) => [
            receipt.movementId,
            receipt.kind,
            receipt.sku,
            receipt.locationId,
            receipt.quantity,
            receipt.occurredAt,
            receipt.currency,
            receipt.value,
          ]),
        );
        await tx.execute(
          `DELETE FROM unbilled_receipts WHERE movement_id IN (
             SELECT movement_id FROM supplier_bill_receipts WHERE movement_id IN (${placeholders(chunk.length)}))`,
          chunk.map((receipt) => receipt.movementId),
        );
      }
    },

    /**
     * Up to `limit` receipts after the cursor, oldest first (`occurred_at`, then `movement_id`), optionally of
     * one currency and location, each filter served by an index in that order. The keyset is spelt
     * `occurred_at >= t AND (occurred_at > t OR movement_id > m)` rather than as a row value so that both
     * engines range-scan the index from `t` on.
     */
    async page(
      reader: Reader,
      filter: { currency?: string; locationId?: string; after?: UnbilledCursor; limit: number },
    ): Promise<UnbilledReceipt[]> {
      const params: SqlValue[] = [];
      const where: string[] = [];
      if (filter.currency !== undefined) where.push(`currency = $${params.push(filter.currency)}`);
      if (filter.locationId !== undefined) where.push(`location_id = $${params.push(filter.locationId)}`);
      if (filter.after !== undefined) {
        const at = `$${params.push(filter.after.occurredAt)}`;
        const id = `$${params.push(filter.after.movementId)}`;
        where.push(`occurred_at >= ${at} AND (occurred_at > ${at} OR movement_id > ${id})`);
      }
      const rows = await reader.query<Record<string, unknown>>(
        `SELECT movement_id, kind, sku, location_id, quantity, occurred_at, currency, value
         FROM unbilled_receipts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY occurred_at, movement_id LIMIT $${params.push(filter.limit)}`,
        params,
      );
      return rows.map((row) => ({
        movementId: row.movement_id as string,
        kind: row.kind as string,
        sku: row.sku as string,
        locationId: row.location_id as string,
        quantity: asNumber(row.quantity),
        occurredAt: row.occurred_at as string,
        currency: row.currency as string,
        value: asNumber(row.value),
      }));
    },
  };
}

export type UnbilledReceiptStore = ReturnType<typeof createUnbilledReceiptStore>;
