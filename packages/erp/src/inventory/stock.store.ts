import { StockChangedV1, StockExceptionRaisedV1, type StockChangedV1Data } from '@tillstream/contracts';
import type { Clock, IdGenerator, NewEvent, Outbox, Tx } from '@tillstream/kernel';
import {
  applyMovement,
  availableOf,
  decideMovement,
  emptyBalance,
  type Movement,
  type StockBalance,
} from './stock.decide.js';

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

const placeholders = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');

/** Keys per statement that creates missing balance rows: far below either engine's limit on parameters. */
const ENSURE_CHUNK = 500;

/**
 * Creates the balance rows of keys that have none, in one statement per chunk rather than one per key (a
 * sale's lines were a statement each, and on PostgreSQL a round trip each). Keys go in (SKU, location)
 * order, the order in which every lock is taken, so two transactions creating rows never wait crosswise.
 */
async function ensureRows(tx: Tx, keys: readonly StockKey[]): Promise<void> {
  const distinct = [...new Map(keys.map((key) => [keyOf(key), key])).values()].sort((a, b) =>
    a.sku === b.sku ? (a.locationId < b.locationId ? -1 : 1) : a.sku < b.sku ? -1 : 1,
  );
  for (let start = 0; start < distinct.length; start += ENSURE_CHUNK) {
    const chunk = distinct.slice(start, start + ENSURE_CHUNK);
    await tx.execute(
      `INSERT INTO stock_balances (sku, location_id, on_hand, reserved, version) VALUES ${chunk
        .map((_, index) => `($${2 * index + 1}, $${2 * index + 2}, 0, 0, 0)`)
        .join(', ')} ON CONFLICT DO NOTHING`,
      chunk.flatMap((key) => [key.sku, key.locationId]),
    );
  }
}

export interface StockStore {
  /**
   * Reads the balances of these keys; on PostgreSQL also locks them (in key order, so two transactions never
   * wait on each other crosswise). Rows of the `ensure` keys are created first if missing, so they lock too.
   */
  lock(tx: Tx, keys: readonly StockKey[], ensure?: readonly StockKey[]): Promise<Map<string, StockBalance>>;
  /**
   * Records a movement, updates the balance and writes the events, all in the caller's transaction. With
   * `minAvailable`, writes nothing and returns null when available stock would fall below it.
   */
  apply(
    tx: Tx,
    movement: Movement,
    options?: { minAvailable?: number; correlationId?: string },
  ): Promise<StockBalance | null>;
  /**
   * Applies movements that nothing refuses (a sale, a return) under one lock of all their keys, taken in key
   * order, instead of a lock per movement: a store sale's lines cost a read and a row check fewer each.
   */
  applyAll(tx: Tx, movements: readonly Movement[], options?: { correlationId?: string }): Promise<void>;
  /**
   * A hold in one conditional UPDATE: reserved grows only while on-hand − reserved − safety stock still covers
   * it, so concurrent holds on any number of instances can never oversell. Null when it does not.
   */
  hold(tx: Tx, movement: Movement, safetyStock: number): Promise<StockBalance | null>;
  /** Sum of on-hand changes of the key's movements dated after `at` (business time). */
  changedAfter(tx: Tx, key: StockKey, at: string): Promise<number>;
}

export function createStockStore(deps: { outbox: Outbox; clock: Clock; ids: IdGenerator }): StockStore {
  const insertMovement = (tx: Tx, movement: Movement, recordedAt: string) =>
    tx.execute(
      `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, reserved_delta, in_transit_delta,
         damaged_delta, occurred_at, recorded_at, reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        movement.id,
        movement.sku,
        movement.locationId,
        movement.kind,
        movement.change.onHand,
        movement.change.reserved,
        movement.change.inTransit,
        movement.change.damaged,
        movement.occurredAt,
        recordedAt,
        movement.reference,
      ],
    );

  const changedEvent = (after: StockBalance, movement: Movement, correlationId?: string): NewEvent => {
    const { reserved, inTransit, damaged } = movement.change;
    const data: StockChangedV1Data = {
      sku: after.sku,
      locationId: after.locationId,
      version: after.version,
      onHand: after.onHand,
      reserved: after.reserved,
      available: availableOf(after),
      inTransit: after.inTransit,
      damaged: after.damaged,
      movement: {
        id: movement.id,
        kind: movement.kind,
        quantity: movement.change.onHand,
        ...(reserved ? { reserved } : {}),
        ...(inTransit ? { inTransit } : {}),
        ...(damaged ? { damaged } : {}),
        occurredAt: movement.occurredAt,
      },
    };
    return {
      contract: StockChangedV1,
      subject: `stock/${after.sku}@${after.locationId}`,
      sequence: after.version,
      partitionKey: after.sku,
      data,
      correlationId,
    };
  };

  const lock: StockStore['lock'] = async (tx, keys, ensure = []) => {
    const balances = new Map<string, StockBalance>();
    if (keys.length === 0) return balances;
    await ensureRows(tx, ensure);
    const skus = [...new Set(keys.map((key) => key.sku))];
    const locations = [...new Set(keys.map((key) => key.locationId))];
    const rows = await tx.query<BalanceRow>(
      `SELECT * FROM stock_balances WHERE sku IN (${placeholders(1, skus.length)})
       AND location_id IN (${placeholders(skus.length + 1, locations.length)})
       ORDER BY sku, location_id${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [...skus, ...locations],
    );
    for (const row of rows) balances.set(`${row.sku}@${row.location_id}`, toBalance(row));
    for (const key of keys)
      if (!balances.has(keyOf(key))) balances.set(keyOf(key), emptyBalance(key.sku, key.locationId));
    return balances;
  };

  /** Records a movement against its balance as locked (`before`); null when `minAvailable` refuses it. */
  const applyTo = async (
    tx: Tx,
    before: StockBalance,
    movement: Movement,
    options: { minAvailable?: number; correlationId?: string },
  ): Promise<StockBalance | null> => {
    const plan = decideMovement(before, movement);
    const { after } = plan;
    if (options.minAvailable !== undefined && availableOf(after) < options.minAvailable) return null;
    const changed = await tx.execute(
      `UPDATE stock_balances SET on_hand = $1, reserved = $2, in_transit = $3, damaged = $4, version = $5,
         last_counted_at = $6 WHERE sku = $7 AND location_id = $8 AND version = $9`,
      [
        after.onHand,
        after.reserved,
        after.inTransit,
        after.damaged,
        after.version,
        after.lastCountedAt,
        movement.sku,
        movement.locationId,
        before.version,
      ],
    );
    // The row is locked (PostgreSQL) or the writer is alone (SQLite): a lost race here is a bug, not load.
    if (changed !== 1) throw new Error(`stock balance ${keyOf(movement)} changed under its lock`);
    const recordedAt = deps.clock.now().toISOString();
    const events: NewEvent[] = [];
    let balance = before;
    for (const row of plan.rows) {
      await insertMovement(tx, row, recordedAt);
      balance = applyMovement(balance, row);
      events.push(changedEvent(balance, row, options.correlationId));
    }
    if (plan.exception) {
      const exceptionId = deps.ids.next();
      await tx.execute(
        `INSERT INTO stock_exceptions (id, sku, location_id, on_hand, cause_kind, cause_reference, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          exceptionId,
          after.sku,
          after.locationId,
          after.onHand,
          movement.kind,
          movement.reference,
          recordedAt,
        ],
      );
      events.push({
        contract: StockExceptionRaisedV1,
        subject: `stock-exception/${exceptionId}`,
        sequence: 1,
        partitionKey: after.sku,
        data: {
          exceptionId,
          sku: after.sku,
          locationId: after.locationId,
          onHand: after.onHand,
          cause: { kind: movement.kind, reference: movement.reference },
        },
        correlationId: options.correlationId,
      });
    }
    await deps.outbox.append(tx, events);
    return after;
  };

  return {
    lock,
    async apply(tx, movement, options = {}) {
      const before = (await lock(tx, [movement], [movement])).get(keyOf(movement))!;
      return applyTo(tx, before, movement, options);
    },
    async applyAll(tx, movements, options = {}) {
      const balances = await lock(tx, movements, movements);
      for (const movement of movements) {
        const after = await applyTo(tx, balances.get(keyOf(movement))!, movement, options);
        balances.set(keyOf(movement), after!);
      }
    },
    async hold(tx, movement, safetyStock) {
      const { reserved } = movement.change;
      const [row] = await tx.query<BalanceRow>(
        `UPDATE stock_balances SET reserved = reserved + $1, version = version + 1
         WHERE sku = $2 AND location_id = $3 AND on_hand - reserved - $4 >= $1 RETURNING *`,
        [reserved, movement.sku, movement.locationId, safetyStock],
      );
      if (!row) return null;
      const after = toBalance(row);
      await insertMovement(tx, movement, deps.clock.now().toISOString());
      await deps.outbox.append(tx, [changedEvent(after, movement)]);
      return after;
    },
    async changedAfter(tx, key, at) {
      const [row] = await tx.query<{ total: number | string | null }>(
        `SELECT SUM(quantity) AS total FROM stock_movements WHERE sku = $1 AND location_id = $2 AND occurred_at > $3`,
        [key.sku, key.locationId, at],
      );
      return Number(row?.total ?? 0);
    },
  };
}
