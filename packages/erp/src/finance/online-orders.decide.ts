import { invalid, isCursorInstant, notFound, packCursor, unpackCursor } from '@tillstream/kernel';
import type { DepositStatus } from './online-deposits.store.js';
import type { OrderDeposit, OrderGoods } from './online-revenue.decide.js';

/** A shipment of the order as finance kept it: booked against the deposit, or waiting for the order. */
export interface KeptShipment {
  fulfilmentId: string;
  occurredAt: string;
  orderShipped: boolean;
  eventId: string;
  waiting: boolean;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  /** The number of the `online_shipment` entry that booked it; null when it moved nothing (or waits). */
  entryNo: number | null;
}

/** What finance holds of one online order, as its rows say; `deposit` null when no row was ever made. */
export interface OrderRows {
  orderId: string;
  status: DepositStatus | null;
  deposit: OrderDeposit;
  goods: readonly OrderGoods[];
  shipments: readonly KeptShipment[];
  /** When the journal booked the order's placement (`online_order`); null when it has not. */
  placedAt: string | null;
}

const left = (total: number, ...taken: number[]) => Math.max(total - taken.reduce((a, b) => a + b, 0), 0);

/**
 * The order's standing in the books: what its deposit holds for the goods and for the delivery and what left
 * it, its stock SKUs' units ordered and shipped, its shipments booked and those waiting for the order. An order
 * finance never heard of is 404 `online_order_not_found`. One the journal booked as revenue when placed (before
 * deposits existed) has no row, or one its first shipment marked: it holds nothing and its shipments earn nothing.
 */
export function onlineOrderStanding(rows: OrderRows) {
  const status: DepositStatus | null = rows.status ?? (rows.placedAt ? 'revenue_at_placement' : null);
  if (status === null)
    throw notFound('online_order_not_found', `finance has booked nothing of online order ${rows.orderId}`);
  const { deposit } = rows;
  const holds = status === 'deposit';
  const goodsLeft = left(deposit.deposit, deposit.recognised, deposit.refunded);
  const deliveryLeft = left(deposit.shipping, deposit.shippingRecognised, deposit.shippingRefunded);
  const shipment = (kept: KeptShipment) => ({
    fulfilmentId: kept.fulfilmentId,
    shippedAt: kept.occurredAt,
    orderShipped: kept.orderShipped,
    eventId: kept.eventId,
  });
  return {
    orderId: rows.orderId,
    status,
    placedAt: rows.placedAt,
    // A row made by a shipment that came first has neither until the order is read.
    channel: holds ? deposit.channel : null,
    currency: holds ? deposit.currency : null,
    goods: {
      sales: deposit.sales,
      discount: deposit.discount,
      deposit: deposit.deposit,
      recognised: deposit.recognised,
      recognisedSales: deposit.recognisedSales,
      refunded: deposit.refunded,
      left: goodsLeft,
    },
    delivery: {
      deposit: deposit.shipping,
      earned: deposit.shippingRecognised,
      refunded: deposit.shippingRefunded,
      returned: deposit.shippingReturned,
      left: deliveryLeft,
      tax: deposit.shippingTax,
      ratePpm: deposit.shippingRatePpm,
    },
    left: goodsLeft + deliveryLeft,
    items: rows.goods.map((item) => ({ sku: item.sku, ordered: item.quantity, shipped: item.shipped })),
    shipments: rows.shipments
      .filter((kept) => !kept.waiting)
      .map((kept) => ({
        ...shipment(kept),
        entry:
          kept.entryNo === null
            ? null
            : { entryNo: kept.entryNo, sourceId: `${rows.orderId}/${kept.fulfilmentId}` },
      })),
    waiting: rows.shipments
      .filter((kept) => kept.waiting)
      .map((kept) => ({ ...shipment(kept), lines: kept.lines.map((line) => ({ ...line })) })),
  };
}

export type OnlineOrderStanding = ReturnType<typeof onlineOrderStanding>;

/** An order whose shipments wait for its placement, as the list reads it. */
export interface AwaitingOrder {
  orderId: string;
  /** When its oldest waiting shipment left (UTC): since then its revenue waits. */
  oldestShippedAt: string;
  shipments: number;
}

/** An order whose deposit still holds something. */
export interface HeldDeposit {
  orderId: string;
  channel: string;
  currency: string;
  goodsLeft: number;
  deliveryLeft: number;
}

/** The keyset of the awaiting list: the oldest waiting shipment's time, then the order. */
export interface AwaitingCursor {
  shippedAt: string;
  orderId: string;
}

/** Seconds from `since` to `now`, whole, never negative (a shipment dated ahead of this clock waited none). */
export const waitedSeconds = (since: string, now: Date): number =>
  Math.max(Math.floor((now.getTime() - Date.parse(since)) / 1000), 0);

/** The instant before which a shipment has waited more than `minutes`, as the shipments store time. */
export const waitingCutoff = (now: Date, minutes: number): string =>
  new Date(now.getTime() - minutes * 60_000).toISOString();

const notACursor = (cursor: string) =>
  invalid('invalid_cursor', `${cursor.slice(0, 100)} is not a cursor of this list of online orders`);

export function decodeAwaitingCursor(cursor: string): AwaitingCursor {
  const parts = unpackCursor(cursor);
  const [shippedAt, orderId] = parts ?? [];
  if (parts?.length !== 2 || !isCursorInstant(shippedAt) || typeof orderId !== 'string' || !orderId)
    throw notACursor(cursor);
  return { shippedAt, orderId };
}

export function decodeDepositCursor(cursor: string): string {
  const parts = unpackCursor(cursor);
  if (!parts || parts.length !== 1 || typeof parts[0] !== 'string' || parts[0].length === 0)
    throw notACursor(cursor);
  return parts[0];
}

/**
 * A page of `limit` from rows read one beyond it (a full last page has no empty one after it), each awaiting
 * order with how long its oldest shipment has waited at `now`.
 */
export function awaitingPage(rows: readonly AwaitingOrder[], limit: number, now: Date) {
  const orders = rows.slice(0, limit);
  const last = orders.at(-1);
  return {
    status: 'awaiting_order' as const,
    asOf: now.toISOString(),
    orders: orders.map((order) => ({
      ...order,
      waitingSeconds: waitedSeconds(order.oldestShippedAt, now),
    })),
    next: rows.length > limit && last ? packCursor([last.oldestShippedAt, last.orderId]) : null,
  };
}

/** A page of `limit` orders still holding a deposit, from rows read one beyond it. */
export function depositPage(rows: readonly HeldDeposit[], limit: number, now: Date) {
  const orders = rows.slice(0, limit);
  const last = orders.at(-1);
  return {
    status: 'deposit' as const,
    asOf: now.toISOString(),
    orders: orders.map((order) => ({ ...order, left: order.goodsLeft + order.deliveryLeft })),
    next: rows.length > limit && last ? packCursor([last.orderId]) : null,
  };
}
