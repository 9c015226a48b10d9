import { StockChangedV1, StockExceptionRaisedV1, type StockChangedV1Data } from '@tillstream/contracts';
import type { Clock, IdGenerator, NewEvent, Outbox, Tx } from '@tillstream/kernel';
import {
  applyMovement,
  availableOf,
  isNegativeStockException,
  type Movement,
  type StockBalance,
} from './stock.decide.js';

interface BalanceRow {
  sku: string;
  location_id: string;
  on_hand: number | string;
  reserved: number | string;
  version: number | string;
}

export const toBalance = (row: BalanceRow): StockBalance => ({
  sku: row.sku,
  locationId: row.location_id,
  onHand: Number(row.on_hand),
  reserved: Number(row.reserved),
  version: Number(row.version),
});

export interface StockStore {
  /** Records a movement, updates the balance and writes the events, all in the caller's transaction. */
  record(tx: Tx, movement: Movement, correlationId?: string): Promise<StockBalance>;
}

export function createStockStore(deps: { outbox: Outbox; clock: Clock; ids: IdGenerator }): StockStore {
  return {
    async record(tx, movement, correlationId) {
      await tx.execute(
        `INSERT INTO stock_balances (sku, location_id, on_hand, reserved, version) VALUES ($1, $2, 0, 0, 0)
         ON CONFLICT DO NOTHING`,
        [movement.sku, movement.locationId],
      );
      // The row lock serialises movements of one key across ERP instances on PostgreSQL; SQLite has one writer.
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const [row] = await tx.query<BalanceRow>(
        `SELECT * FROM stock_balances WHERE sku = $1 AND location_id = $2${lock}`,
        [movement.sku, movement.locationId],
      );
      const before = toBalance(row!);
      const after = applyMovement(before, movement);
      const recordedAt = deps.clock.now().toISOString();
      await tx.execute(
        'UPDATE stock_balances SET on_hand = $1, version = $2 WHERE sku = $3 AND location_id = $4',
        [after.onHand, after.version, movement.sku, movement.locationId],
      );
      await tx.execute(
        `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          movement.id,
          movement.sku,
          movement.locationId,
          movement.kind,
          movement.quantity,
          movement.occurredAt,
          recordedAt,
          movement.reference,
        ],
      );
      const data: StockChangedV1Data = {
        sku: after.sku,
        locationId: after.locationId,
        version: after.version,
        onHand: after.onHand,
        reserved: after.reserved,
        available: availableOf(after),
        movement: {
          id: movement.id,
          kind: movement.kind,
          quantity: movement.quantity,
          occurredAt: movement.occurredAt,
        },
      };
      const subject = `stock/${after.sku}@${after.locationId}`;
      const events: NewEvent[] = [
        {
          contract: StockChangedV1,
          subject,
          sequence: after.version,
          partitionKey: after.sku,
          data,
          correlationId,
        },
      ];
      if (isNegativeStockException(before, after)) {
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
          correlationId,
        });
      }
      await deps.outbox.append(tx, events);
      return after;
    },
  };
}
