import { placeholders, type Db, type Tx } from '@tillstream/kernel';
import { OPEN_STATUSES } from './purchase-order.decide.js';
import { toReorderPolicy, type ReorderPolicyRow } from './reorder-policy.store.js';
import type { LastOrderLine } from './replenishment-draft.decide.js';
import type { PositionFigures, ReorderPolicy } from './replenishment.decide.js';

interface FiguresRow extends ReorderPolicyRow {
  on_hand: number | string;
  in_transit: number | string;
  on_order: number | string;
  reserved: number | string;
  backordered: number | string;
  drafted: number | string;
}

export interface PolicyFigures {
  policy: ReorderPolicy;
  figures: PositionFigures;
  /** Units on open drafts for the location: not on order (no supplier owes them), so not in the position. */
  drafted: number;
}

/**
 * One statement for a page: each policy with its balance, what open purchase orders for its location still
 * owe (per line `max(0, quantity − received)`, as `GET /inventory/{sku}` shows `onOrder`), the units its
 * open backorders wait for, and the units its drafts plan to order. The subqueries are per policy row and served by the indexes on (sku, …) of
 * purchase order lines and backorders.
 *
 * The position test of `suggestReplenishment` is repeated in the WHERE clause: only then can a page be cut by
 * LIMIT in the database instead of reading every policy of the chain. Kits (a SKU made a kit after its policy
 * was set) have no stock to order, and archived products are no longer sold, so neither is suggested.
 */
const SUGGESTIONS_SQL = `
  SELECT * FROM (
    SELECT p.location_id, p.sku, p.reorder_point, p.order_up_to, p.pack_size, p.version,
      COALESCE(b.on_hand, 0) AS on_hand,
      COALESCE(b.in_transit, 0) AS in_transit,
      COALESCE(b.reserved, 0) AS reserved,
      COALESCE((
        SELECT SUM(CASE WHEN l.quantity > l.received THEN l.quantity - l.received ELSE 0 END)
        FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
        WHERE l.sku = p.sku AND o.location_id = p.location_id
          AND o.status IN (${placeholders(OPEN_STATUSES.length, 5)})
      ), 0) AS on_order,
      COALESCE((
        SELECT SUM(l.quantity)
        FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
        WHERE l.sku = p.sku AND o.location_id = p.location_id AND o.status = 'draft'
      ), 0) AS drafted,
      COALESCE((
        SELECT SUM(q.quantity - q.filled) FROM backorders q
        WHERE q.sku = p.sku AND q.location_id = p.location_id AND q.status = 'open'
      ), 0) AS backordered
    FROM reorder_policies p
    JOIN products pr ON pr.sku = p.sku
    LEFT JOIN stock_balances b ON b.sku = p.sku AND b.location_id = p.location_id
    WHERE pr.kind = 'standard' AND pr.status <> 'archived'
      AND ($1 = '' OR p.location_id = $1)
      AND (p.location_id > $2 OR (p.location_id = $2 AND p.sku > $3))
  ) figures
  WHERE on_hand + in_transit + on_order - reserved - backordered <= reorder_point
    AND on_hand + in_transit + on_order - reserved - backordered < order_up_to
  ORDER BY location_id, sku
  LIMIT $4`;

interface LastOrderRow {
  sku: string;
  location_id: string;
  supplier_id: string;
  supplier_name: string | null;
  currency: string;
  unit_cost: number | string;
  purchase_order_id: string;
  submitted_at: string;
}

type Reader = Pick<Tx, 'query' | 'dialect'> | Db;

export function createReplenishmentStore() {
  return {
    /** Up to `limit` policies due for ordering after the (location, SKU) `after`, in that order. */
    async due(
      db: Reader,
      query: { locationId: string; after: { locationId: string; sku: string }; limit: number },
    ): Promise<PolicyFigures[]> {
      const rows = await db.query<FiguresRow>(SUGGESTIONS_SQL, [
        query.locationId,
        query.after.locationId,
        query.after.sku,
        query.limit,
        ...OPEN_STATUSES,
      ]);
      return rows.map((row) => ({
        policy: toReorderPolicy(row),
        figures: {
          onHand: Number(row.on_hand),
          inTransit: Number(row.in_transit),
          onOrder: Number(row.on_order),
          reserved: Number(row.reserved),
          backordered: Number(row.backordered),
        },
        drafted: Number(row.drafted),
      }));
    },
    /**
     * Per SKU and location, the SKU's line on the latest order placed for that location (submitted, not
     * cancelled, with an agreed cost; ties by order id): where `sourceFor` chooses a raise's supplier and cost.
     */
    async lastOrderLines(reader: Reader, skus: readonly string[]): Promise<LastOrderLine[]> {
      if (skus.length === 0) return [];
      const rows = await reader.query<LastOrderRow>(
        `SELECT * FROM (
           SELECT l.sku, o.location_id, o.supplier_id, o.supplier_name, o.currency, l.unit_cost,
             o.id AS purchase_order_id, o.submitted_at,
             ROW_NUMBER() OVER (PARTITION BY l.sku, o.location_id ORDER BY o.submitted_at DESC, o.id DESC) AS recency
           FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
           WHERE l.sku IN (${placeholders(skus.length)}) AND l.unit_cost IS NOT NULL
             AND o.submitted_at IS NOT NULL AND o.status <> 'cancelled'
         ) ranked WHERE recency = 1`,
        skus,
      );
      return rows.map((row) => ({
        sku: row.sku,
        locationId: row.location_id,
        supplier: row.supplier_name
          ? { id: row.supplier_id, name: row.supplier_name }
          : { id: row.supplier_id },
        currency: row.currency,
        unitCost: Number(row.unit_cost),
        purchaseOrderId: row.purchase_order_id,
        submittedAt: row.submitted_at,
      }));
    },
    /**
     * Makes raises of drafts take turns until the transaction ends: each then reads the drafts the one before
     * it committed, so two at once cannot both order what neither saw drafted. One lock for the whole ERP
     * (keyed by schema, as the catalog's structure lock): raising is a buyer's occasional act, and a raise for
     * all locations meets one for a single location. SQLite's single writer serialises them already.
     */
    async lockRaise(tx: Pick<Tx, 'query' | 'dialect'>): Promise<void> {
      if (tx.dialect !== 'postgres') return;
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('tillstream_replenishment_raise_' || current_schema())) AS locked`,
      );
    },
  };
}

export type ReplenishmentStore = ReturnType<typeof createReplenishmentStore>;
