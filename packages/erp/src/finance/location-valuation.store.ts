import { asNumber, placeholderRows, type Db, type Tx } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { ChainTotals, HeldUnits, LocationHolding } from './location-valuation.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** A (SKU, location) pair. */
export interface HoldingKey {
  sku: string;
  locationId: string;
}

export const holdingKeyOf = (key: HoldingKey) => `${key.sku}@${key.locationId}`;

interface HoldingRow {
  sku: string;
  location_id: string;
  currency: string;
  quantity: unknown;
  value: unknown;
  unit_cost_micros: unknown;
}

const toHolding = (row: HoldingRow): LocationHolding => ({
  sku: row.sku,
  locationId: row.location_id,
  currency: row.currency,
  quantity: asNumber(row.quantity),
  skuValue: asNumber(row.value),
  unitCostMicros: asNumber(row.unit_cost_micros),
});

/** Every location's units of a SKU with the SKU's valuation: what `valueHoldings` splits. */
const HOLDINGS = `
  SELECT l.sku, l.location_id, v.currency, l.quantity, v.value, v.unit_cost_micros
  FROM stock_location_valuations l JOIN stock_valuations v ON v.sku = l.sku
  WHERE l.quantity <> 0`;

/** Each SKU's units per location, kept beside its valuation, and the holdings the location views value. */
export function createLocationValuationStore() {
  return {
    async read(tx: Tx, keys: readonly HoldingKey[]): Promise<Map<string, HeldUnits>> {
      if (keys.length === 0) return new Map();
      const rows = await tx.query<{
        sku: string;
        location_id: string;
        quantity: unknown;
        backfilled_version: unknown;
      }>(
        `SELECT sku, location_id, quantity, backfilled_version FROM stock_location_valuations
         WHERE (sku, location_id) IN (VALUES ${placeholderRows(keys.length, 2)})`,
        keys.flatMap((key) => [key.sku, key.locationId]),
      );
      return new Map(
        rows.map((row) => [
          holdingKeyOf({ sku: row.sku, locationId: row.location_id }),
          { quantity: asNumber(row.quantity), backfilledVersion: asNumber(row.backfilled_version) },
        ]),
      );
    },

    async save(tx: Tx, held: ReadonlyArray<HoldingKey & HeldUnits>): Promise<void> {
      if (held.length === 0) return;
      await tx.execute(
        `INSERT INTO stock_location_valuations (sku, location_id, quantity, backfilled_version)
         VALUES ${placeholderRows(held.length, 4)}
         ON CONFLICT (sku, location_id) DO UPDATE SET quantity = excluded.quantity`,
        held.flatMap((row) => [row.sku, row.locationId, row.quantity, row.backfilledVersion]),
      );
    },

    async locationExists(reader: Reader, locationId: string): Promise<boolean> {
      const rows = await reader.query('SELECT 1 AS found FROM locations WHERE location_id = $1', [
        locationId,
      ]);
      return rows.length > 0;
    },

    /**
     * The SKUs that have units at this location, each with its units at every location (its value is split
     * over all of them), optionally of one currency. One statement: one snapshot.
     */
    async atLocation(reader: Reader, locationId: string, currency?: string): Promise<LocationHolding[]> {
      const params = currency === undefined ? [locationId] : [locationId, currency];
      const rows = await reader.query<HoldingRow>(
        `${HOLDINGS} AND l.sku IN (
           SELECT sku FROM stock_location_valuations WHERE location_id = $1 AND quantity <> 0
         ) ${currency === undefined ? '' : 'AND v.currency = $2'}`,
        params,
      );
      return rows.map(toHolding);
    },

    /**
     * Every holding, and per currency the chain's valuation totals and the inventory account's balance, in
     * one statement: one snapshot, so they agree unless the books or the units do not.
     */
    async everywhere(
      reader: Reader,
      currency?: string,
    ): Promise<{ holdings: LocationHolding[]; chain: ChainTotals[] }> {
      const params = currency === undefined ? [ACCOUNTS.inventory.code] : [ACCOUNTS.inventory.code, currency];
      const only = (word: 'WHERE' | 'AND', column: string) =>
        currency === undefined ? '' : `${word} ${column} = $2`;
      const rows = await reader.query<HoldingRow & { part: string; skus: unknown; books: unknown }>(
        `SELECT 'holding' AS part, l.sku, l.location_id, v.currency, l.quantity, v.value, v.unit_cost_micros,
           0 AS skus, 0 AS books
         FROM stock_location_valuations l JOIN stock_valuations v ON v.sku = l.sku
         WHERE l.quantity <> 0 ${only('AND', 'v.currency')}
         UNION ALL
         SELECT 'chain', NULL, NULL, currency, SUM(quantity), SUM(value), 0, COUNT(*), 0
         FROM stock_valuations ${only('WHERE', 'currency')} GROUP BY currency
         UNION ALL
         SELECT 'books', NULL, NULL, e.currency, 0, 0, 0, 0, SUM(jl.debit - jl.credit)
         FROM journal_entries e JOIN journal_lines jl ON jl.entry_no = e.entry_no
         WHERE jl.account = $1 ${only('AND', 'e.currency')} GROUP BY e.currency`,
        params,
      );
      const chain = new Map<string, ChainTotals>();
      const totalsOf = (code: string) => {
        const totals = chain.get(code) ?? { currency: code, skus: 0, quantity: 0, value: 0, books: 0 };
        chain.set(code, totals);
        return totals;
      };
      const holdings: LocationHolding[] = [];
      for (const row of rows) {
        if (row.part === 'holding') holdings.push(toHolding(row));
        else if (row.part === 'books') totalsOf(row.currency).books = asNumber(row.books);
        else
          Object.assign(totalsOf(row.currency), {
            skus: asNumber(row.skus),
            quantity: asNumber(row.quantity),
            value: asNumber(row.value),
          });
      }
      return { holdings, chain: [...chain.values()] };
    },
  };
}

export type LocationValuationStore = ReturnType<typeof createLocationValuationStore>;
