import { StockChangedV1, StockExceptionRaisedV1, type StockChangedV1Data } from '@tillstream/contracts';
import type { Clock, IdGenerator, NewEvent, Outbox, Tx } from '@tillstream/kernel';
import { ensureRows, keyOf, readBalances, toBalance, type BalanceRow, type StockKey } from './stock.rows.js';
import {
  applyMovement,
  availableOf,
  decideMovement,
  emptyBalance,
  type Movement,
  type StockBalance,
} from './stock.decide.js';

export { keyOf, toBalance, type BalanceRow, type StockKey } from './stock.rows.js';

export interface StockStore {
  /**
   * Reads the balances of these keys (repeats allowed); on PostgreSQL also locks them (in key order, so two
   * transactions never wait on each other crosswise). Rows of the `ensure` keys are created first if missing,
   * so they lock too.
   */
  lock(tx: Tx, keys: readonly StockKey[], ensure?: readonly StockKey[]): Promise<Map<string, StockBalance>>;
  /**
   * Records a movement, updates the balance and writes the events, all in the caller's transaction. With
   * `minAvailable`, writes nothing and returns null when available stock would fall below it.
   */
  apply(tx: Tx, movement: Movement, options?: { minAvailable?: number }): Promise<StockBalance | null>;
  /**
   * Applies movements that nothing refuses (a sale, a return) under one lock of all their keys, taken in key
   * order, instead of a lock per movement: a store sale's lines cost a read and a row check fewer each.
   */
  applyAll(tx: Tx, movements: readonly Movement[]): Promise<void>;
  /**
   * Locks the balances of these keys (creating missing rows) for a run of `applyAll`-like movements in one
   * transaction: a consumer's batch of sales locks once and writes each balance once, at `flush`.
   */
  session(tx: Tx, keys: readonly StockKey[]): Promise<StockSession>;
  /**
   * A hold in one conditional UPDATE: reserved grows only while on-hand − reserved − safety stock still covers
   * it, so concurrent holds on any number of instances can never oversell. Null when it does not.
   */
  hold(tx: Tx, movement: Movement, safetyStock: number): Promise<StockBalance | null>;
  /**
   * Sum of on-hand changes of the key's movements that happened after `at` for the count rule: business time,
   * but no later than arrival (countTimeOf), so a sale dated ahead of its arrival is not "after" a count
   * taken since.
   */
  changedAfter(tx: Tx, key: StockKey, at: string): Promise<number>;
}

/** Balances locked once for a run of movements in one transaction, written back once per key. */
export interface StockSession {
  /** Records movements that nothing refuses (ledger rows, events, exceptions) against the balances held. */
  apply(movements: readonly Movement[]): Promise<void>;
  /** Writes each balance that changed since the last flush, checking it is still the version locked. */
  flush(): Promise<void>;
}

export function createStockStore(deps: { outbox: Outbox; clock: Clock; ids: IdGenerator }): StockStore {
  const insertMovement = (tx: Tx, movement: Movement, recordedAt: string) =>
    tx.execute(
      `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, reserved_delta, in_transit_delta,
         damaged_delta, occurred_at, recorded_at, reference, unit_cost, channel)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
        movement.unitCost ?? null,
        movement.channel ?? null,
      ],
    );

  const changedEvent = (after: StockBalance, movement: Movement): NewEvent => {
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
        ...(movement.channel ? { channel: movement.channel } : {}),
      },
    };
    return {
      contract: StockChangedV1,
      subject: `stock/${after.sku}@${after.locationId}`,
      sequence: after.version,
      partitionKey: after.sku,
      data,
    };
  };

  const lock: StockStore['lock'] = async (tx, keys, ensure = []) => {
    const balances = new Map<string, StockBalance>();
    if (keys.length === 0) return balances;
    await ensureRows(tx, ensure);
    const rows = await readBalances(tx, keys);
    for (const balance of rows.map(toBalance)) balances.set(keyOf(balance), balance);
    for (const key of keys)
      if (!balances.has(keyOf(key))) balances.set(keyOf(key), emptyBalance(key.sku, key.locationId));
    return balances;
  };

  /** Writes a balance back, checking it is still the version it was locked at (`before`). */
  const writeBalance = async (tx: Tx, before: StockBalance, after: StockBalance): Promise<void> => {
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
        before.sku,
        before.locationId,
        before.version,
      ],
    );
    // The row is locked (PostgreSQL) or the writer is alone (SQLite): a lost race here is a bug, not load.
    if (changed !== 1) throw new Error(`stock balance ${keyOf(before)} changed under its lock`);
  };

  /**
   * Records a movement against its balance as held (`before`): its ledger rows, events and any exception, but
   * not the balance itself (see writeBalance). Null, with nothing written, when `minAvailable` refuses it.
   */
  const record = async (
    tx: Tx,
    before: StockBalance,
    movement: Movement,
    options: { minAvailable?: number },
  ): Promise<StockBalance | null> => {
    const recordedAt = deps.clock.now().toISOString();
    const plan = decideMovement(before, movement, recordedAt);
    const { after } = plan;
    if (options.minAvailable !== undefined && availableOf(after) < options.minAvailable) return null;
    const events: NewEvent[] = [];
    let balance = before;
    for (const row of plan.rows) {
      await insertMovement(tx, row, recordedAt);
      balance = applyMovement(balance, row);
      events.push(changedEvent(balance, row));
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
      });
    }
    await deps.outbox.append(tx, events);
    return after;
  };

  const session: StockStore['session'] = async (tx, keys) => {
    const locked = await lock(tx, keys, keys);
    const held = new Map(locked);
    const changed = new Set<string>();
    return {
      async apply(movements) {
        // A caller that locked fewer keys than it moves: lock the rest now (out of key order, so a caller
        // that can should name them all up front).
        const missing = movements.filter((movement) => !held.has(keyOf(movement)));
        for (const [key, balance] of missing.length > 0 ? await lock(tx, missing, missing) : []) {
          locked.set(key, balance);
          held.set(key, balance);
        }
        for (const movement of movements) {
          const key = keyOf(movement);
          held.set(key, (await record(tx, held.get(key)!, movement, {}))!);
          changed.add(key);
        }
      },
      async flush() {
        for (const key of changed) {
          await writeBalance(tx, locked.get(key)!, held.get(key)!);
          locked.set(key, held.get(key)!);
        }
        changed.clear();
      },
    };
  };

  return {
    lock,
    async apply(tx, movement, options = {}) {
      const before = (await lock(tx, [movement], [movement])).get(keyOf(movement))!;
      const after = await record(tx, before, movement, options);
      if (after) await writeBalance(tx, before, after);
      return after;
    },
    async applyAll(tx, movements) {
      const held = await session(tx, movements);
      await held.apply(movements);
      await held.flush();
    },
    session,
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
        `SELECT SUM(quantity) AS total FROM stock_movements WHERE sku = $1 AND location_id = $2
         AND CASE WHEN occurred_at < recorded_at THEN occurred_at ELSE recorded_at END > $3`,
        [key.sku, key.locationId, at],
      );
      return Number(row?.total ?? 0);
    },
  };
}
