import type { PriceMismatchDetectedV1Data } from '@tillstream/contracts';
import { asNumber, type Db, type Tx } from '@tillstream/kernel';
import { reviewList, type ReviewStatus } from '../review-list.store.js';

/** A finding as the review list shows it: the event's data, when it was raised, and when it was reviewed. */
export interface PriceMismatch extends PriceMismatchDetectedV1Data {
  raisedAt: string;
  resolvedAt: string | null;
}

export type MismatchStatus = ReviewStatus;

/** What the review list is narrowed to; absent means all. */
export interface MismatchFilter {
  status: MismatchStatus;
  storeId?: string | undefined;
  reason?: PriceMismatchDetectedV1Data['reason'] | undefined;
  saleId?: string | undefined;
}

type Row = Record<string, string | number | null>;
type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

const optional = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : asNumber(value);

const toMismatch = (row: Row): PriceMismatch => ({
  mismatchId: String(row.id),
  saleId: String(row.sale_id),
  storeId: String(row.store_id),
  terminalId: String(row.terminal_id),
  occurredAt: String(row.occurred_at),
  currency: String(row.currency),
  reason: row.reason as PriceMismatchDetectedV1Data['reason'],
  saleSnapshotVersion: optional(row.sale_snapshot_version),
  referenceSnapshotVersion: optional(row.reference_snapshot_version),
  expectedTotal: optional(row.expected_total),
  actualTotal: asNumber(row.actual_total!),
  lines: JSON.parse(String(row.lines)) as PriceMismatchDetectedV1Data['lines'],
  promotionIds: JSON.parse(String(row.promotion_ids)) as string[],
  raisedAt: String(row.raised_at),
  resolvedAt: row.resolved_at === null ? null : String(row.resolved_at),
});

const list = reviewList<Row>('price_mismatches');

/** The price mismatches ERP raised of store sales, and their review. */
export function createMismatchStore() {
  const find = async (reader: Reader, id: string): Promise<PriceMismatch | null> => {
    const row = await list.find(reader, id);
    return row ? toMismatch(row) : null;
  };
  return {
    find,

    /** Records a finding once per sale and reason; false if that sale already has one for the reason. */
    async record(tx: Tx, data: PriceMismatchDetectedV1Data, raisedAt: string): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO price_mismatches (id, sale_id, store_id, terminal_id, occurred_at, currency, reason,
           sale_snapshot_version, reference_snapshot_version, expected_total, actual_total, lines, promotion_ids,
           raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
        [
          data.mismatchId,
          data.saleId,
          data.storeId,
          data.terminalId,
          data.occurredAt,
          data.currency,
          data.reason,
          data.saleSnapshotVersion,
          data.referenceSnapshotVersion,
          data.expectedTotal,
          data.actualTotal,
          JSON.stringify(data.lines),
          JSON.stringify(data.promotionIds),
          raisedAt,
        ],
      );
      return inserted === 1;
    },

    /** One page in raising order after `after` (see `reviewList`), narrowed by the filter, `limit + 1` rows. */
    async page(
      reader: Reader,
      options: MismatchFilter & { after: PriceMismatch | null; limit: number },
    ): Promise<PriceMismatch[]> {
      const rows = await list.page(reader, {
        status: options.status,
        equal: [
          ['store_id', options.storeId],
          ['reason', options.reason],
          ['sale_id', options.saleId],
        ],
        after: options.after && { raisedAt: options.after.raisedAt, id: options.after.mismatchId },
        limit: options.limit,
      });
      return rows.map(toMismatch);
    },

    /** Marks it reviewed once; resolving it again changes nothing (the first time stays). */
    async resolve(tx: Tx, id: string, at: string): Promise<PriceMismatch | null> {
      await list.resolve(tx, id, at);
      return find(tx, id);
    },
  };
}

export type MismatchStore = ReturnType<typeof createMismatchStore>;
