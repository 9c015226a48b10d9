import { asNumber, placeholderRows, placeholders, type Db, type Tx } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { Valuation } from './valuation.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

interface ValuationRow {
  sku: string;
  currency: string;
  quantity: unknown;
  value: unknown;
  unit_cost_micros: unknown;
}

const toValuation = (row: ValuationRow): Valuation => ({
  sku: row.sku,
  currency: row.currency,
  quantity: asNumber(row.quantity),
  value: asNumber(row.value),
  unitCostMicros: asNumber(row.unit_cost_micros),
});

/** What the inventory is worth in one currency, and what the inventory account (1300) says it is worth. */
export interface ValuationTotals {
  currency: string;
  skus: number;
  quantity: number;
  value: number;
  books: number;
}

/** Each SKU's valuation, and the totals checked against the journal. */
export function createValuationStore() {
  return {
    /**
     * The valuations of these SKUs; a SKU valued for the first time starts empty in its product's currency.
     * A SKU no product has is missing: nothing says what currency its value would be in.
     */
    async read(tx: Tx, skus: readonly string[]): Promise<Map<string, Valuation>> {
      if (skus.length === 0) return new Map();
      const rows = await tx.query<ValuationRow>(
        `SELECT p.sku, COALESCE(v.currency, p.currency) AS currency, COALESCE(v.quantity, 0) AS quantity,
           COALESCE(v.value, 0) AS value, COALESCE(v.unit_cost_micros, 0) AS unit_cost_micros
         FROM products p LEFT JOIN stock_valuations v ON v.sku = p.sku
         WHERE p.sku IN (${placeholders(skus.length)})`,
        [...skus],
      );
      return new Map(rows.map((row) => [row.sku, toValuation(row)]));
    },

    /** What receipts among these movements cost per unit, where their ledger rows say. */
    async unitCosts(tx: Tx, movementIds: readonly string[]): Promise<Map<string, number>> {
      if (movementIds.length === 0) return new Map();
      const rows = await tx.query<{ id: string; unit_cost: unknown }>(
        `SELECT id, unit_cost FROM stock_movements
         WHERE id IN (${placeholders(movementIds.length)}) AND unit_cost IS NOT NULL`,
        [...movementIds],
      );
      return new Map(rows.map((row) => [row.id, asNumber(row.unit_cost)]));
    },

    async save(tx: Tx, valuations: readonly Valuation[], now: string): Promise<void> {
      if (valuations.length === 0) return;
      await tx.execute(
        `INSERT INTO stock_valuations (sku, currency, quantity, value, unit_cost_micros, updated_at)
         VALUES ${placeholderRows(valuations.length, 6)}
         ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity, value = excluded.value,
           unit_cost_micros = excluded.unit_cost_micros, updated_at = excluded.updated_at`,
        valuations.flatMap((v) => [v.sku, v.currency, v.quantity, v.value, v.unitCostMicros, now]),
      );
    },

    /** A page of valuations in SKU order, after `after`, optionally of one currency. */
    async page(
      reader: Reader,
      filter: { after?: string; limit: number; currency?: string },
    ): Promise<Valuation[]> {
      const params: Array<string | number> = [filter.after ?? '', filter.limit];
      const currency = filter.currency === undefined ? '' : `AND currency = $${params.push(filter.currency)}`;
      const rows = await reader.query<ValuationRow>(
        `SELECT * FROM stock_valuations WHERE sku > $1 ${currency} ORDER BY sku LIMIT $2`,
        params,
      );
      return rows.map(toValuation);
    },

    /**
     * Per currency, the units and value of every SKU, and the inventory account's balance from the journal,
     * in one statement: one snapshot, so they agree unless the books do not.
     */
    async totals(reader: Reader, currency?: string): Promise<ValuationTotals[]> {
      const rows = await reader.query<{
        currency: string;
        skus: unknown;
        quantity: unknown;
        value: unknown;
        books: unknown;
      }>(
        `SELECT currency, SUM(skus) AS skus, SUM(quantity) AS quantity, SUM(value) AS value, SUM(books) AS books
         FROM (
           SELECT currency, COUNT(*) AS skus, SUM(quantity) AS quantity, SUM(value) AS value, 0 AS books
           FROM stock_valuations GROUP BY currency
           UNION ALL
           SELECT e.currency, 0, 0, 0, SUM(l.debit - l.credit)
           FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
           WHERE l.account = $1 GROUP BY e.currency
         ) parts
         ${currency === undefined ? '' : 'WHERE currency = $2'}
         GROUP BY currency ORDER BY currency`,
        currency === undefined ? [ACCOUNTS.inventory.code] : [ACCOUNTS.inventory.code, currency],
      );
      return rows.map((row) => ({
        currency: row.currency,
        skus: asNumber(row.skus),
        quantity: asNumber(row.quantity),
        value: asNumber(row.value),
        books: asNumber(row.books),
      }));
    },
  };
}

export type ValuationStore = ReturnType<typeof createValuationStore>;
