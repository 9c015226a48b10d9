import { unprocessable } from '@tillstream/kernel';
import { ORDER_STATUSES, type OrderStatus } from './order.decide.js';

/** Orders a page holds unless asked otherwise, and at most. */
export const ORDER_PAGE_DEFAULT = 50;
export const ORDER_PAGE_MAX = 200;

/** `status=placed,allocated`: one status or several, comma-separated (the schema checks each is a status). */
export const STATUS_LIST = `^(${ORDER_STATUSES.join('|')})(,(${ORDER_STATUSES.join('|')}))*$`;

/** The list's query as the route received it: instants already canonical (`toISOString`). */
export interface OrderListRequest {
  status?: string;
  email?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

/** What the store is asked: every filter optional; `after` is the id of the last order of the previous page. */
export interface OrderListFilter {
  statuses: OrderStatus[];
  emailKey: string | null;
  from: string | null;
  to: string | null;
  after: string | null;
  limit: number;
}

/**
 * Case-folds A–Z only. SQLite's `lower()` folds ASCII letters and nothing else, PostgreSQL's does the same under
 * the C collation, so both engines match the same orders; a folding of other scripts would make them differ.
 */
export const foldEmail = (email: string): string =>
  email.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** Sorts after every instant with a four-digit year, as placed-at text compares. */
const AFTER_YEAR_9999 = '9999-99';

/**
 * An instant as the store compares it, as text. `toISOString` writes a year past 9999 as `+010000-…`, which
 * sorts before every four-digit year: `to=9999-12-31T23:30:00-01:00` would list nothing, `from` at it
 * everything. Such a bound is moved to just after year 9999 instead (an RFC 3339 year has four digits, so only
 * an offset reaches past it); before year 0 (`-000001-…`) already sorts first, as it should.
 */
const textBound = (at: string | undefined): string | null =>
  at === undefined ? null : at.startsWith('+') ? AFTER_YEAR_9999 : at;

/**
 * The filter of one page. Statuses are deduplicated; `from` after `to` is 422 `order_period_reversed` (a
 * client's mistake, not an empty answer); `from` equal to `to` is an empty period and lists nothing.
 */
export function decideOrderListFilter(request: OrderListRequest): OrderListFilter {
  const { from, to } = request;
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to))
    throw unprocessable('order_period_reversed', `from (${from}) is after to (${to})`, { from, to });
  const statuses = request.status ? [...new Set(request.status.split(','))] : [];
  return {
    // The route's schema (STATUS_LIST) lets through statuses only.
    statuses: statuses as OrderStatus[],
    emailKey: request.email === undefined ? null : foldEmail(request.email),
    from: textBound(from),
    to: textBound(to),
    after: request.after ?? null,
    limit: request.limit,
  };
}

/** An order as the list shows it: enough to find it; `GET /orders/{id}` shows the rest. */
export interface OrderSummary {
  id: string;
  status: OrderStatus;
  email: string;
  channel: string;
  currency: string;
  total: number;
  refunded: number;
  /** The delivery charged, in short; null for an order without. */
  shipping: { methodId: string; name: string; amount: number } | null;
  lineCount: number;
  unitCount: number;
  placedAt: string;
  updatedAt: string;
}

/**
 * One page from the rows the store read: it asks for one more than the limit, so a further row means a next
 * page, and `next` is the last shown order's id (null on the last page, never an empty page after it).
 */
export function pageOf<Row extends { id: string }>(
  rows: readonly Row[],
  limit: number,
): { items: Row[]; next: string | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items.at(-1)!.id : null };
}
