import { NetworkError } from '@tillstream/pos-client/browser';
import { ApiError, type CollectionStatus, type CollectionView } from './api.js';

/** What the clerk reads on a collection's badge. */
export const STATUS_LABELS: Record<CollectionStatus, string> = {
  preparing: 'To prepare',
  ready: 'Ready',
  collected: 'Collected',
  cancelled: 'Cancelled',
  restocked: 'Back on the shelf',
};

/** What a till does with a collection: put it aside, hand it over, or put a cancelled one's goods back. */
export type DeskAct = 'prepare' | 'hand-over' | 'put-back';

/** Hand-over is allowed before it was put aside: the shopper is at the counter and the goods are there. */
export const canPrepare = (collection: CollectionView) => collection.status === 'preparing';
export const canHandOver = (collection: CollectionView) =>
  collection.status === 'preparing' || collection.status === 'ready';
/** The server lists as `cancelled` exactly the orders whose goods still sit aside. */
export const canPutBack = (collection: CollectionView) => collection.status === 'cancelled';

/** Case and accents do not matter: "anna" finds "Ánna de Vries". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether the collection is one the clerk searched for, by the collector's name or the order id. */
export function matchesSearch(collection: CollectionView, query: string): boolean {
  const wanted = fold(query.trim());
  return (
    wanted === '' ||
    [collection.collector.name, collection.orderId].some((text) => fold(text).includes(wanted))
  );
}

/** The collection in the list replaced by its newer self (an act's answer), or added to it. */
export function upsert(list: readonly CollectionView[], collection: CollectionView): CollectionView[] {
  const known = list.some((each) => each.fulfilmentId === collection.fulfilmentId);
  return known
    ? list.map((each) => (each.fulfilmentId === collection.fulfilmentId ? collection : each))
    : [...list, collection];
}

/**
 * The desk as the clerk sees it, both narrowed by the search and in the server's order (oldest first): what is
 * still to hand over, and the cancelled orders whose goods were put aside and go back on the shelf. The server
 * decides which those are; a collection the screen learnt is `restocked` or `collected` is in neither.
 */
export function deskSections(known: readonly CollectionView[], query: string) {
  const shown = known.filter((collection) => matchesSearch(collection, query));
  return { open: shown.filter(canHandOver), toPutBack: shown.filter(canPutBack) };
}

/** What the goods are, for a line of the list or the hand-over check: "2 × Tee, 1 × Mug". */
export const goodsOf = (collection: CollectionView) =>
  collection.lines.map((line) => `${line.quantity} × ${line.name ?? line.sku}`).join(', ');

/** What the clerk is told once an act is recorded. */
export function actDone(act: DeskAct, done: CollectionView): string {
  if (act === 'prepare')
    return `Put aside: order ${done.orderId} for ${done.collector.name} is ready to collect.`;
  if (act === 'hand-over') return `Handed over: order ${done.orderId} to ${done.collector.name}.`;
  return `Order ${done.orderId} is back on the shelf.`;
}

export interface ActFailure {
  message: string;
  /** What the server said the collection has become, to show before the list is read again. */
  status?: CollectionStatus;
  /**
   * Its order was cancelled, but the refusal does not say whether its goods still sit aside: read the collection
   * again and tell the clerk by `cancelledMessage`.
   */
  recheck?: boolean;
  /** No answer: the screen needs the server. */
  offline?: boolean;
}

/** What the clerk is told when an act fails, by the server's problem code. */
export function actFailed(collection: CollectionView, failure: unknown): ActFailure {
  const order = collection.orderId;
  if (failure instanceof NetworkError)
    return {
      message: 'Not done: the server did not answer. Collections need the server; try again once online.',
      offline: true,
    };
  if (!(failure instanceof ApiError)) return { message: `Not done: ${String(failure)}` };
  if (failure.code === 'collection_cancelled')
    return { message: `Order ${order} was cancelled.`, recheck: true };
  if (failure.code === 'collection_not_cancelled')
    return { message: `Not put back: order ${order} was not cancelled, so its goods stay with the order.` };
  if (failure.code === 'collection_collected')
    return { message: `Order ${order} was handed over already.`, status: 'collected' };
  if (failure.code === 'collection_not_found')
    return { message: `Order ${order} is not at this store's desk any more.` };
  return { message: `Not done: ${failure.message} (${failure.code}).` };
}

/** What the clerk is told of a refused act once the collection was read again: is there anything to put back? */
export function cancelledMessage(current: CollectionView): string {
  const order = current.orderId;
  if (current.status === 'cancelled')
    return `Order ${order} was cancelled — put the goods back on the shelf.`;
  if (current.status === 'restocked')
    return `Order ${order} was cancelled; its goods are on the shelf already, nothing to put back.`;
  return `Order ${order} was cancelled.`;
}

/** A failed read: no answer is the server being out of reach, anything else says what it answered. */
export const readFailed = (failure: unknown) =>
  failure instanceof NetworkError
    ? ({ state: 'offline' } as const)
    : ({ state: 'failed', message: failure instanceof Error ? failure.message : String(failure) } as const);
