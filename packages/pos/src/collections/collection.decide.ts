import { conflict, notFound } from '@tillstream/kernel';
import type { Poster } from '../sales/sale.decide.js';

/**
 * A collection (click and collect) as its store's tills see it: `preparing` (ERP allocated it, nobody has put
 * it aside yet), `ready` (put aside for the shopper), `collected` (handed over), `cancelled` (its order was
 * cancelled after its goods were put aside: put them back on the shelf) or `restocked` (cancelled, and its
 * goods are on the shelf: put back by a till, or never taken off it). Derived from two sides that never
 * overwrite each other: what ERP last said of the fulfilment, and what the store's tills did with it.
 */
export type CollectionStatus = 'preparing' | 'ready' | 'collected' | 'cancelled' | 'restocked';

/** ERP's fulfilment statuses, as its events state them. */
export type ErpFulfilmentStatus = 'allocated' | 'ready_for_pickup' | 'shipped' | 'delivered' | 'cancelled';

/** What one till did, and when. */
export interface TillAct {
  terminalId: string;
  at: string;
}

export interface Collection {
  fulfilmentId: string;
  orderId: string;
  storeId: string;
  collector: { name: string; phone: string | null };
  /** Stock units to hand over (kits already expanded by ERP). */
  lines: { sku: string; quantity: number }[];
  /** ERP's side: the fulfilment's status and version as of the newest event applied. */
  erp: { status: ErpFulfilmentStatus; version: number; at: string };
  /** When ERP first told POS of it: the queue's order. */
  firstSeenAt: string;
  readyAt: string | null;
  cancelledAt: string | null;
  collectedAt: string | null;
  /** The store's side: which till put it aside, and which handed it over. */
  prepared: TillAct | null;
  handedOver: TillAct | null;
  /** Which till put a cancelled collection's goods back on the shelf. */
  putBack: TillAct | null;
}

/**
 * A hand-over is a physical fact and wins over anything ERP says later (a cancellation that crossed it is
 * ERP's to book); ERP's word otherwise, with a till's "put aside" counting as ready until ERP confirms it.
 */
export function statusOf(
  collection: Pick<Collection, 'erp' | 'prepared' | 'handedOver' | 'putBack' | 'readyAt'>,
): CollectionStatus {
  const { erp } = collection;
  if (collection.handedOver || erp.status === 'shipped' || erp.status === 'delivered') return 'collected';
  if (erp.status === 'cancelled') {
    const putAside = collection.prepared !== null || collection.readyAt !== null;
    return putAside && !collection.putBack ? 'cancelled' : 'restocked';
  }
  if (erp.status === 'ready_for_pickup' || collection.prepared) return 'ready';
  return 'preparing';
}

/** What an ERP fulfilment event says of a collection. */
export interface ErpReport {
  status: ErpFulfilmentStatus;
  version: number;
  occurredAt: string;
}

/**
 * Applies ERP's report when it is newer than the one held, so redelivered or reordered events change nothing:
 * the collection as it is then, or null when nothing changed. One fact survives a stale report: that the
 * collection was made ready (the store put goods aside), which decides whether a cancellation leaves goods to
 * put back.
 */
export function applyErpReport(collection: Collection, report: ErpReport): Collection | null {
  const at = report.occurredAt;
  const readyAt = collection.readyAt ?? (report.status === 'ready_for_pickup' ? at : null);
  if (report.version <= collection.erp.version)
    return readyAt === collection.readyAt ? null : { ...collection, readyAt };
  const collected = report.status === 'shipped' || report.status === 'delivered';
  return {
    ...collection,
    erp: { status: report.status, version: report.version, at },
    readyAt,
    cancelledAt: report.status === 'cancelled' ? at : collection.cancelledAt,
    collectedAt: collected ? (collection.collectedAt ?? at) : collection.collectedAt,
  };
}

/** A key bound to a store (or to one of its terminals) sees its store's collections only: others are unknown. */
export function requireVisible(poster: Poster, collection: Collection | null, id: string): Collection {
  if (!collection || (poster.storeId !== null && poster.storeId !== collection.storeId))
    throw notFound('collection_not_found', `No collection ${id}`);
  return collection;
}

const AFTER_CANCEL = {
  cancelled: 'put its goods back on the shelf',
  restocked: 'its goods are on the shelf',
} as const;

/**
 * 409 `collection_cancelled` for a collection whose order was cancelled, with `collectionStatus` saying whether
 * its goods still wait to go back on the shelf (`status` is the problem's HTTP status).
 */
const refuseCancelled = (collection: Collection) => {
  const status = statusOf(collection);
  if (status === 'cancelled' || status === 'restocked')
    throw conflict(
      'collection_cancelled',
      `The order of collection ${collection.fulfilmentId} was cancelled: ${AFTER_CANCEL[status]}`,
      { orderId: collection.orderId, collectionStatus: status },
    );
};

/**
 * A till puts a collection aside for its shopper: the act to record, or null when it is ready already (a
 * repeat, or ERP made it ready). 409 `collection_cancelled`; 409 `collection_collected` once handed over.
 */
export function decidePrepare(collection: Collection, act: TillAct): TillAct | null {
  refuseCancelled(collection);
  const status = statusOf(collection);
  if (status === 'collected')
    throw conflict('collection_collected', `Collection ${collection.fulfilmentId} was handed over already`);
  return status === 'ready' ? null : act;
}

/**
 * A till hands a collection over, ready or not (the shopper is at the counter and the goods are there): the
 * act to record, or null when it was collected already (a repeat, or the back office recorded it in ERP).
 * 409 `collection_cancelled` when the till knows its order was cancelled.
 */
export function decideHandOver(collection: Collection, act: TillAct): TillAct | null {
  refuseCancelled(collection);
  return statusOf(collection) === 'collected' ? null : act;
}

/**
 * A till put a cancelled collection's goods back on the shelf: the act to record, or null when there is
 * nothing left to put back (a repeat, or its goods were never put aside). 409 `collection_not_cancelled` for one
 * whose order stands.
 */
export function decidePutBack(collection: Collection, act: TillAct): TillAct | null {
  const status = statusOf(collection);
  if (status === 'restocked') return null;
  if (status !== 'cancelled')
    throw conflict(
      'collection_not_cancelled',
      `Collection ${collection.fulfilmentId} is ${status}: only a cancelled order's goods go back on the shelf`,
    );
  return act;
}
