import { conflict, unprocessable } from '@tillstream/kernel';
import type { OrderStatus } from './order.decide.js';

export type Disposition = 'restock' | 'damaged';

export interface ReturnLine {
  sku: string;
  quantity: number;
  disposition: Disposition;
}

/** A returned line priced: what the shopper paid for its units, and of that the tax added on top of the price. */
export interface PricedReturnLine extends ReturnLine {
  value: number;
  addedTax: number;
}

interface OrderForReturn {
  id: string;
  status: OrderStatus;
  lines: ReadonlyArray<{
    sku: string;
    quantity: number;
    lineTotal: number;
    tax?: { inclusive: boolean; amount: number } | undefined;
  }>;
  /** The fulfilments that left so far, in stock units (a kit as its components). */
  shipped?: ReadonlyArray<{ lines: ReadonlyArray<{ sku: string; quantity: number }> }>;
}

/** Statuses in which every unit of the order has left the warehouse, so any of it may come back. */
const SHIPPED: readonly OrderStatus[] = ['shipped', 'delivered', 'refunded'];

/**
 * What may come back of each SKU: all it bought once the order shipped in full; while it is partly shipped,
 * the units of the SKU its shipped fulfilments carried. A kit ships as its components, so a kit line of a
 * partly shipped order has nothing to return until the order shipped in full.
 */
const returnableOf = (order: OrderForReturn, bought: ReadonlyMap<string, number>) => {
  if (order.status !== 'partially_shipped') return bought;
  const left = sumBySku((order.shipped ?? []).flatMap((shipment) => shipment.lines));
  return new Map([...bought].map(([sku, units]) => [sku, Math.min(units, left.get(sku) ?? 0)]));
};

const sumBySku = (lines: ReadonlyArray<{ sku: string; quantity: number }>) => {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return totals;
};

/**
 * Checks a return against what the order shipped (all of it, or while `partially_shipped` what its shipped
 * fulfilments carried) and what came back already, and prices it: each SKU refunds
 * its share of what the shopper paid for it (line totals, promotions included). The share is cumulative —
 * floor(paid × returned-after / bought) − floor(paid × returned-before / bought) — so returning every unit,
 * in any number of returns, refunds exactly what was paid, never a cent more. Each line is priced the same way,
 * one after another (`value`, and of it `addedTax`, the tax its SKU's lines added on top), so a report can say
 * what came back of each product; the lines' values add up to the refund.
 */
export function decideReturn(
  order: OrderForReturn,
  returnedBefore: ReadonlyArray<{ sku: string; quantity: number }>,
  lines: readonly ReturnLine[],
): { refundAmount: number; lines: PricedReturnLine[] } {
  if (!SHIPPED.includes(order.status) && order.status !== 'partially_shipped')
    throw conflict(
      'order_transition_invalid',
      `Order ${order.id} is ${order.status}; nothing shipped to return`,
      {
        status: order.status,
      },
    );
  const bought = sumBySku(order.lines);
  const unknown = [...new Set(lines.map((line) => line.sku))].filter((sku) => !bought.has(sku));
  if (unknown.length > 0)
    throw unprocessable('return_line_not_in_order', `Order ${order.id} has no ${unknown.join(', ')}`, {
      skus: unknown,
    });
  const returnable = returnableOf(order, bought);
  const returned = sumBySku(returnedBefore);
  const requested = sumBySku(lines);
  const over = [...requested]
    .filter(([sku, quantity]) => (returned.get(sku) ?? 0) + quantity > returnable.get(sku)!)
    .map(([sku, quantity]) => ({
      sku,
      shipped: returnable.get(sku)!,
      returned: returned.get(sku) ?? 0,
      requested: quantity,
    }));
  if (over.length > 0)
    throw unprocessable('return_exceeds_shipped', 'A line returns more than the order shipped and kept', {
      lines: over,
    });
  const done = new Map(returned);
  const priced = lines.map((line): PricedReturnLine => {
    const ofSku = order.lines.filter((each) => each.sku === line.sku);
    const paid = ofSku.reduce((sum, each) => sum + each.lineTotal, 0);
    const added = ofSku.reduce(
      (sum, each) => sum + (each.tax && !each.tax.inclusive ? each.tax.amount : 0),
      0,
    );
    const before = done.get(line.sku) ?? 0;
    done.set(line.sku, before + line.quantity);
    const units = bought.get(line.sku)!;
    const shareOf = (whole: number) =>
      Math.floor((whole * (before + line.quantity)) / units) - Math.floor((whole * before) / units);
    return { ...line, value: shareOf(paid), addedTax: shareOf(added) };
  });
  return { refundAmount: priced.reduce((sum, line) => sum + line.value, 0), lines: priced };
}
