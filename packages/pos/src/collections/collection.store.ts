import {
  CollectionHandedOverV1,
  CollectionPreparedV1,
  CollectionPutBackV1,
  type EventContract,
} from '@tillstream/contracts';
import { placeholders, rowLock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import {
  statusOf,
  type Collection,
  type CollectionStatus,
  type ErpFulfilmentStatus,
} from './collection.decide.js';

interface CollectionRow {
  fulfilment_id: string;
  order_id: string;
  store_id: string;
  collector_name: string;
  collector_phone: string | null;
  lines: string;
  erp_status: ErpFulfilmentStatus;
  erp_version: number | string;
  erp_at: string;
  first_seen_at: string;
  ready_at: string | null;
  cancelled_at: string | null;
  collected_at: string | null;
  prepared_by: string | null;
  prepared_at: string | null;
  handed_over_by: string | null;
  handed_over_at: string | null;
  put_back_by: string | null;
  put_back_at: string | null;
}

const actOf = (terminalId: string | null, at: string | null) =>
  terminalId !== null && at !== null ? { terminalId, at } : null;

const toCollection = (row: CollectionRow): Collection => ({
  fulfilmentId: row.fulfilment_id,
  orderId: row.order_id,
  storeId: row.store_id,
  collector: { name: row.collector_name, phone: row.collector_phone },
  lines: JSON.parse(row.lines) as Collection['lines'],
  erp: { status: row.erp_status, version: Number(row.erp_version), at: row.erp_at },
  firstSeenAt: row.first_seen_at,
  readyAt: row.ready_at,
  cancelledAt: row.cancelled_at,
  collectedAt: row.collected_at,
  prepared: actOf(row.prepared_by, row.prepared_at),
  handedOver: actOf(row.handed_over_by, row.handed_over_at),
  putBack: actOf(row.put_back_by, row.put_back_at),
});

const COLUMNS = `fulfilment_id, order_id, store_id, status, collector_name, collector_phone, lines, erp_status,
  erp_version, erp_at, first_seen_at, ready_at, cancelled_at, collected_at, prepared_by, prepared_at,
  handed_over_by, handed_over_at, put_back_by, put_back_at`;

/** Every column but the key, from the collection, with its status worked out again. */
const valuesOf = (collection: Collection) => [
  collection.fulfilmentId,
  collection.orderId,
  collection.storeId,
  statusOf(collection),
  collection.collector.name,
  collection.collector.phone,
  JSON.stringify(collection.lines),
  collection.erp.status,
  collection.erp.version,
  collection.erp.at,
  collection.firstSeenAt,
  collection.readyAt,
  collection.cancelledAt,
  collection.collectedAt,
  collection.prepared?.terminalId ?? null,
  collection.prepared?.at ?? null,
  collection.handedOver?.terminalId ?? null,
  collection.handedOver?.at ?? null,
  collection.putBack?.terminalId ?? null,
  collection.putBack?.at ?? null,
];

const UPSERT = `
  INSERT INTO store_collections (${COLUMNS}) VALUES (${placeholders(20)})
  ON CONFLICT (fulfilment_id) DO UPDATE SET status = excluded.status, erp_status = excluded.erp_status,
    erp_version = excluded.erp_version, erp_at = excluded.erp_at, ready_at = excluded.ready_at,
    cancelled_at = excluded.cancelled_at, collected_at = excluded.collected_at, prepared_by = excluded.prepared_by,
    prepared_at = excluded.prepared_at, handed_over_by = excluded.handed_over_by,
    handed_over_at = excluded.handed_over_at, put_back_by = excluded.put_back_by, put_back_at = excluded.put_back_at`;

/** The queue's statuses: `open` is what a store still has to deal with. */
export type CollectionFilter = CollectionStatus | 'open';
const STATUSES: Record<CollectionFilter, readonly CollectionStatus[]> = {
  open: ['preparing', 'ready'],
  preparing: ['preparing'],
  ready: ['ready'],
  collected: ['collected'],
  cancelled: ['cancelled'],
  restocked: ['restocked'],
};

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

/** The collections POS knows of, per store, and the events its tills' acts publish. */
export function createCollectionStore(deps: { outbox: Outbox }) {
  const find = async (reader: Reader, fulfilmentId: string, forUpdate = false) => {
    const [row] = await reader.query<CollectionRow>(
      `SELECT * FROM store_collections WHERE fulfilment_id = $1${rowLock(reader, forUpdate)}`,
      [fulfilmentId],
    );
    return row ? toCollection(row) : null;
  };

  const publish = (tx: Tx, contract: EventContract, sequence: number, collection: Collection, data: object) =>
    deps.outbox.append(tx, [
      {
        contract,
        subject: `collection/${collection.fulfilmentId}`,
        sequence,
        partitionKey: `order/${collection.orderId}`,
        data: {
          fulfilmentId: collection.fulfilmentId,
          orderId: collection.orderId,
          storeId: collection.storeId,
          ...data,
        },
      },
    ]);

  return {
    /** With `forUpdate`, locks the row on PostgreSQL: a till's act and an ERP event never cross. */
    find,
    save: async (tx: Tx, collection: Collection) => {
      await tx.execute(UPSERT, valuesOf(collection));
    },
    /** One page of a store's queue, oldest first, after the collection `after`: `limit + 1` rows. */
    async page(
      reader: Reader,
      query: { storeId: string; status: CollectionFilter; after: Collection | null; limit: number },
    ): Promise<Collection[]> {
      const statuses = STATUSES[query.status];
      const params: (string | number)[] = [query.storeId, ...statuses];
      let after = '';
      if (query.after) {
        params.push(query.after.firstSeenAt, query.after.fulfilmentId);
        const [seen, id] = [params.length - 1, params.length];
        after = ` AND (first_seen_at > $${seen} OR (first_seen_at = $${seen} AND fulfilment_id > $${id}))`;
      }
      params.push(query.limit + 1);
      const rows = await reader.query<CollectionRow>(
        `SELECT * FROM store_collections
         WHERE store_id = $1 AND status IN (${placeholders(statuses.length, 2)})${after}
         ORDER BY first_seen_at, fulfilment_id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toCollection);
    },
    /** The names POS knows for these SKUs, for the till to show what to hand over. */
    async productNames(reader: Reader, skus: readonly string[]): Promise<Map<string, string>> {
      if (skus.length === 0) return new Map();
      const rows = await reader.query<{ sku: string; name: string }>(
        `SELECT sku, name FROM known_products WHERE sku IN (${placeholders(skus.length)})`,
        [...skus],
      );
      return new Map(rows.map((row) => [row.sku, row.name]));
    },
    publishPrepared: (tx: Tx, collection: Collection) =>
      publish(tx, CollectionPreparedV1, 1, collection, {
        terminalId: collection.prepared!.terminalId,
        preparedAt: collection.prepared!.at,
      }),
    publishHandedOver: (tx: Tx, collection: Collection) =>
      publish(tx, CollectionHandedOverV1, 2, collection, {
        terminalId: collection.handedOver!.terminalId,
        handedOverAt: collection.handedOver!.at,
        lines: collection.lines,
      }),
    /** Sequence 3: after a put aside (1), and never beside a hand-over (2), which a cancelled order refuses. */
    publishPutBack: (tx: Tx, collection: Collection) =>
      publish(tx, CollectionPutBackV1, 3, collection, {
        terminalId: collection.putBack!.terminalId,
        putBackAt: collection.putBack!.at,
        lines: collection.lines,
      }),
  };
}

export type CollectionStore = ReturnType<typeof createCollectionStore>;
