import { MAX_ORDER_VALUE, type Supplier } from './purchase-order.decide.js';
import { suggestReplenishment, type PositionFigures, type ReorderPolicy } from './replenishment.decide.js';

/**
 * The most units one line of a draft may order: what `POST /purchase-orders` takes, so a buyer can still edit
 * (PUT) every draft raised here with its lines as they are.
 */
export const MAX_DRAFT_LINE_QUANTITY = 1_000_000;
/** The most lines of one draft, as `POST /purchase-orders` takes them; a larger group is split. */
export const MAX_DRAFT_LINES = 500;

/** One policy due for ordering, with the units open drafts for its location already plan to order. */
export interface DueForOrdering {
  policy: Pick<ReorderPolicy, 'sku' | 'locationId' | 'reorderPoint' | 'orderUpTo' | 'packSize'>;
  figures: PositionFigures;
  /** Units on open drafts for (SKU, location): a buyer's plan, not on order yet. */
  drafted: number;
}

/** A SKU's line on the latest order placed (submitted, not cancelled) for one location. */
export interface LastOrderLine {
  sku: string;
  locationId: string;
  supplier: Supplier;
  currency: string;
  unitCost: number;
  purchaseOrderId: string;
  submittedAt: string;
}

export type UnassignedReason =
  /** No submitted, not cancelled order with an agreed cost names the SKU: no supplier or cost is known. */
  | 'no_previous_order'
  /** The last order's currency is not the one the product is priced (and its stock valued) in now. */
  | 'currency_mismatch'
  /** More units than one purchase order line takes. */
  | 'quantity_too_large'
  /** Quantity × cost alone is more than one purchase order may be worth. */
  | 'value_too_large';

export interface Unassigned {
  sku: string;
  locationId: string;
  suggested: number;
  reason: UnassignedReason;
}

export interface DraftLine {
  sku: string;
  quantity: number;
  unitCost: number;
}

/** One draft to create: what a `POST /purchase-orders` body says, without the id. */
export interface PlannedDraft {
  supplier: Supplier;
  locationId: string;
  currency: string;
  lines: DraftLine[];
}

export interface DraftPlan {
  drafts: PlannedDraft[];
  unassigned: Unassigned[];
}

const newer = (a: LastOrderLine, b: LastOrderLine) =>
  a.submittedAt > b.submittedAt || (a.submittedAt === b.submittedAt && a.purchaseOrderId > b.purchaseOrderId);

/** A SKU's line on the latest order placed for it at any location: the price it was last bought at. */
export function latestOrderLine(lines: readonly LastOrderLine[], sku: string): LastOrderLine | null {
  let latest: LastOrderLine | null = null;
  for (const line of lines) if (line.sku === sku && (!latest || newer(line, latest))) latest = line;
  return latest;
}

/**
 * Where a SKU is bought for a location: its last order for that same location, else its last order anywhere.
 * A location's own history is its supply route (a store may be served by a local distributor, a warehouse by
 * the maker), which weighs more than a fresher price paid elsewhere; the buyer edits the draft if it is wrong.
 */
export function sourceFor(
  lines: readonly LastOrderLine[],
  sku: string,
  locationId: string,
): LastOrderLine | null {
  return (
    lines.find((line) => line.sku === sku && line.locationId === locationId) ?? latestOrderLine(lines, sku)
  );
}

/**
 * What to order beyond open drafts: the suggestion as if the drafts were on order already. So a second raise
 * orders nothing the first one drafted, and a buyer's own partial draft is only topped up. Null when drafts
 * cover the suggestion.
 */
export function undraftedSuggestion(due: DueForOrdering): number | null {
  const withDrafts = { ...due.figures, onOrder: due.figures.onOrder + due.drafted };
  return suggestReplenishment(due.policy, withDrafts)?.suggested ?? null;
}

const groupKey = (draft: Pick<PlannedDraft, 'locationId' | 'supplier' | 'currency'>) =>
  JSON.stringify([draft.locationId, draft.supplier.id, draft.currency]);

const byGroup = (a: PlannedDraft, b: PlannedDraft): number => {
  for (const [x, y] of [
    [a.locationId, b.locationId],
    [a.supplier.id, b.supplier.id],
    [a.currency, b.currency],
  ] as const)
    if (x !== y) return x < y ? -1 : 1;
  return 0;
};

/**
 * Groups what is due into drafts, one per (location, supplier, currency), each line at the cost of its source
 * order, in `suggested` units. A group is split where a draft would pass `MAX_DRAFT_LINES` or
 * `MAX_ORDER_VALUE`, so each is an order `POST /purchase-orders` would take. The supplier's name is the one its
 * latest source order gave. Drafts come in (location, supplier, currency) order, their lines in SKU order.
 *
 * `productCurrencies` maps each due SKU to the currency its product is priced in.
 */
export function planReplenishmentDrafts(input: {
  due: readonly DueForOrdering[];
  lastOrders: readonly LastOrderLine[];
  productCurrencies: ReadonlyMap<string, string>;
}): DraftPlan {
  const unassigned: Unassigned[] = [];
  const groups = new Map<string, { draft: PlannedDraft; named: LastOrderLine }>();
  for (const due of input.due) {
    const suggested = undraftedSuggestion(due);
    if (suggested === null) continue;
    const { sku, locationId } = due.policy;
    const refuse = (reason: UnassignedReason) => unassigned.push({ sku, locationId, suggested, reason });
    const source = sourceFor(input.lastOrders, sku, locationId);
    if (!source) refuse('no_previous_order');
    else if (input.productCurrencies.get(sku) !== source.currency) refuse('currency_mismatch');
    else if (suggested > MAX_DRAFT_LINE_QUANTITY) refuse('quantity_too_large');
    else if (suggested * source.unitCost > MAX_ORDER_VALUE) refuse('value_too_large');
    else {
      const key = groupKey({ locationId, supplier: source.supplier, currency: source.currency });
      const group = groups.get(key) ?? {
        draft: { supplier: source.supplier, locationId, currency: source.currency, lines: [] },
        named: source,
      };
      if (newer(source, group.named)) group.named = source;
      group.draft.lines.push({ sku, quantity: suggested, unitCost: source.unitCost });
      groups.set(key, group);
    }
  }
  const drafts = [...groups.values()]
    .map(({ draft, named }) => ({ ...draft, supplier: named.supplier }))
    .sort(byGroup)
    .flatMap(splitDraft);
  return { drafts, unassigned };
}

/** The lines in SKU order, cut into drafts each within the line count and value one order may have. */
function splitDraft(draft: PlannedDraft): PlannedDraft[] {
  const lines = [...draft.lines].sort((a, b) => (a.sku < b.sku ? -1 : 1));
  const drafts: PlannedDraft[] = [];
  let current: DraftLine[] = [];
  let value = 0;
  for (const line of lines) {
    const lineValue = line.quantity * line.unitCost;
    if (current.length === MAX_DRAFT_LINES || value + lineValue > MAX_ORDER_VALUE) {
      drafts.push({ ...draft, lines: current });
      current = [];
      value = 0;
    }
    current.push(line);
    value += lineValue;
  }
  if (current.length > 0) drafts.push({ ...draft, lines: current });
  return drafts;
}
