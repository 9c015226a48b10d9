import { StoredValueExceptionRaisedV1 } from '@tillstream/contracts';
import { asNumber, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { ShortfallReason } from './stored-value.decide.js';

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

export interface StoredValueException {
  id: string;
  number: string;
  saleId: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  reason: ShortfallReason;
  requested: number;
  covered: number;
  shortfall: number;
  raisedAt: string;
}

/**
 * Card tenders of offline sales that the card could not cover in full when they synced (balance spent, number
 * unknown, another currency): each recorded once, by id, and published for someone to follow up.
 */
export function createExceptionStore(deps: { outbox: Outbox }) {
  return {
    async raiseException(tx: Tx, exception: StoredValueException): Promise<void> {
      const inserted = await tx.execute(
        `INSERT INTO stored_value_exceptions (id, number, sale_id, store_id, terminal_id, occurred_at, currency, reason,
           requested, covered, shortfall, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT DO NOTHING`,
        [
          exception.id,
          exception.number,
          exception.saleId,
          exception.storeId,
          exception.terminalId,
          exception.occurredAt,
          exception.currency,
          exception.reason,
          exception.requested,
          exception.covered,
          exception.shortfall,
          exception.raisedAt,
        ],
      );
      if (inserted === 0) return;
      const { id: exceptionId, raisedAt: _raisedAt, ...rest } = exception;
      await deps.outbox.append(tx, [
        {
          contract: StoredValueExceptionRaisedV1,
          subject: `stored-value-exception/${exceptionId}`,
          sequence: 1,
          partitionKey: exception.number,
          data: { exceptionId, ...rest },
        },
      ]);
    },
    async exceptions(
      reader: Reader,
      filter: { number?: string; limit: number },
    ): Promise<StoredValueException[]> {
      const rows = await reader.query<Record<string, string | number>>(
        `SELECT * FROM stored_value_exceptions ${filter.number ? 'WHERE number = $2' : ''}
         ORDER BY raised_at, id LIMIT $1`,
        filter.number ? [filter.limit, filter.number] : [filter.limit],
      );
      return rows.map((row) => ({
        id: String(row.id),
        number: String(row.number),
        saleId: String(row.sale_id),
        storeId: String(row.store_id),
        terminalId: String(row.terminal_id),
        occurredAt: String(row.occurred_at),
        currency: String(row.currency),
        reason: row.reason as ShortfallReason,
        requested: asNumber(row.requested),
        covered: asNumber(row.covered),
        shortfall: asNumber(row.shortfall),
        raisedAt: String(row.raised_at),
      }));
    },
  };
}
