import { placeholders, type Db, type Dialect, type SqlValue } from '@tillstream/kernel';
import type { OrderListFilter, OrderSummary } from './order-list.decide.js';
import type { OrderShipping } from '../checkout/order-lines.decide.js';
import type { OrderStatus } from './order.decide.js';

interface SummaryRow {
  id: string;
  status: OrderStatus;
  email: string;
  channel: string;
  currency: string;
  total: number | string;
  refunded: number | string;
  lines: string;
  shipping: string | null;
  placed_at: string;
  updated_at: string;
}

const toSummary = (row: SummaryRow): OrderSummary => {
  const lines = JSON.parse(row.lines) as Array<{ quantity: number }>;
  const shipping = row.shipping === null ? null : (JSON.parse(row.shipping) as OrderShipping);
  return {
    id: row.id,
    status: row.status,
    email: row.email,
    channel: row.channel,
    currency: row.currency,
    total: Number(row.total),
    refunded: Number(row.refunded),
    shipping: shipping && { methodId: shipping.methodId, name: shipping.name, amount: shipping.amount },
    lineCount: lines.length,
    unitCount: lines.reduce((units, line) => units + line.quantity, 0),
    placedAt: row.placed_at,
    updatedAt: row.updated_at,
  };
};

/**
 * The expression migration 012 indexes: both fold A–Z only (SQLite's `lower()` always, PostgreSQL's under the C
 * collation), as `foldEmail` does, so the engines agree on which orders an email matches.
 */
const EMAIL_KEY: Record<Dialect, string> = { sqlite: 'lower(email)', postgres: 'lower(email COLLATE "C")' };

/**
 * The statement of one page, newest first (placed-at descending, id descending among equal instants), one order
 * more than the limit. Keyset, never OFFSET: the cursor order's (placed_at, id) bounds a range of the
 * `orders_placed`, `orders_status_placed` or `orders_email_placed` index, read backwards.
 */
export function orderPageQuery(
  dialect: Dialect,
  filter: OrderListFilter,
  cursor: { placedAt: string } | null,
): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const param = (value: SqlValue) => `$${params.push(value)}`;
  if (cursor !== null && filter.after !== null)
    conditions.push(`(placed_at, id) < (${param(cursor.placedAt)}, ${param(filter.after)})`);
  if (filter.statuses.length > 0) {
    conditions.push(`status IN (${placeholders(filter.statuses.length, params.length + 1)})`);
    params.push(...filter.statuses);
  }
  if (filter.emailKey !== null) conditions.push(`${EMAIL_KEY[dialect]} = ${param(filter.emailKey)}`);
  if (filter.from !== null) conditions.push(`placed_at >= ${param(filter.from)}`);
  if (filter.to !== null) conditions.push(`placed_at < ${param(filter.to)}`);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return {
    sql: `SELECT id, status, email, channel, currency, total, refunded, lines, shipping, placed_at, updated_at
       FROM orders ${where} ORDER BY placed_at DESC, id DESC LIMIT ${param(filter.limit + 1)}`,
    params,
  };
}

export const orderListStore = {
  /** One page and one order more when there is one (see `orderPageQuery`). Null when `after` names no order. */
  async page(db: Db, filter: OrderListFilter): Promise<OrderSummary[] | null> {
    let cursor: { placedAt: string } | null = null;
    if (filter.after !== null) {
      const [row] = await db.query<{ placed_at: string }>('SELECT placed_at FROM orders WHERE id = $1', [
        filter.after,
      ]);
      if (!row) return null;
      cursor = { placedAt: row.placed_at };
    }
    const { sql, params } = orderPageQuery(db.dialect, filter, cursor);
    return (await db.query<SummaryRow>(sql, params)).map(toSummary);
  },
};
