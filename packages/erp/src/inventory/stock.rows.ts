// The rows behind stock balances: reading them by key, and creating the missing ones, in as few statements
// as either engine allows.
import { placeholderRows, placeholders, type Tx } from '@tillstream/kernel';
import type { StockBalance } from './stock.decide.js';

export interface BalanceRow {
  sku: string;
  location_id: string;
  on_hand: number | string;
  reserved: number | string;
  in_transit: number | string;
  damaged: number | string;
  version: number | string;
  last_counted_at: string | null;
}

export const toBalance = (row: BalanceRow): StockBalance => ({
  sku: row.sku,
  locationId: row.location_id,
  onHand: Number(row.on_hand),
  reserved: Number(row.reserved),
  inTransit: Number(row.in_transit),
  damaged: Number(row.damaged),
  version: Number(row.version),
  lastCountedAt: row.last_counted_at,
});

export interface StockKey {
  sku: string;
  locationId: string;
}

export const keyOf = (key: StockKey) => `${key.sku}@${key.locationId}`;

/** Keys sorted as every lock takes them, (SKU, location), without repeats. */
export const distinctSorted = (keys: readonly StockKey[]): StockKey[] =>
  [...new Map(keys.map((key) => [keyOf(key), key])).values()].sort((a, b) =>
    a.sku === b.sku ? (a.locationId < b.locationId ? -1 : 1) : a.sku < b.sku ? -1 : 1,
  );

/** Keys per statement that creates or reads balance rows: far below either engine's limit on parameters. */
const KEYS_PER_STATEMENT = 500;

function* chunksOf<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += KEYS_PER_STATEMENT)
    yield items.slice(start, start + KEYS_PER_STATEMENT);
}

/**
 * Creates the balance rows of keys that have none, in one statement per chunk rather than one per key (a
 * sale's lines were a statement each, and on PostgreSQL a round trip each). Keys go in (SKU, location)
 * order, the order in which every lock is taken, so two transactions creating rows never wait crosswise.
 */
export async function ensureRows(tx: Tx, keys: readonly StockKey[]): Promise<void> {
  for (const chunk of chunksOf(distinctSorted(keys))) {
    await tx.execute(
      `INSERT INTO stock_balances (sku, location_id, on_hand, reserved, version) VALUES ${chunk
        .map((_, index) => `(${placeholders(2, 2 * index + 1)}, 0, 0, 0)`)
        .join(', ')} ON CONFLICT DO NOTHING`,
      chunk.flatMap((key) => [key.sku, key.locationId]),
    );
  }
}

/**
 * Reads (on PostgreSQL also locks, in key order) the balance rows of exactly these keys. Keys of one location
 * (a sale, a count) by `IN` on their SKUs; keys of several (a batch of sales from many stores) by row values,
 * as SKUs × locations would read, and lock, every other store's rows of the same SKUs.
 */
export async function readBalances(tx: Tx, keys: readonly StockKey[]): Promise<BalanceRow[]> {
  const rows: BalanceRow[] = [];
  const order = tx.dialect === 'postgres' ? ' ORDER BY sku, location_id FOR UPDATE' : '';
  for (const chunk of chunksOf(distinctSorted(keys))) {
    const location = chunk[0]!.locationId;
    const oneLocation = chunk.every((key) => key.locationId === location);
    rows.push(
      ...(oneLocation
        ? await tx.query<BalanceRow>(
            `SELECT * FROM stock_balances WHERE location_id = $1 AND sku IN (${placeholders(chunk.length, 2)})${order}`,
            [location, ...chunk.map((key) => key.sku)],
          )
        : await tx.query<BalanceRow>(
            `SELECT * FROM stock_balances WHERE (sku, location_id) IN (VALUES ${placeholderRows(chunk.length, 2)})${order}`,
            chunk.flatMap((key) => [key.sku, key.locationId]),
          )),
    );
  }
  return rows;
}
