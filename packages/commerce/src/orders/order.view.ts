import type { Order } from './order.store.js';

/**
 * An order as the API shows it: each line with the units still waiting for stock (backordered in ERP) and the
 * units that came back. Returns count per SKU; they are shown on the SKU's first line.
 */
export function orderView(order: Order, returned: ReadonlyMap<string, number>) {
  const shown = new Set<string>();
  return {
    ...order,
    lines: order.lines.map((line) => {
      const first = !shown.has(line.sku);
      shown.add(line.sku);
      return {
        ...line,
        backordered: order.backordered.find((entry) => entry.lineNo === line.lineNo)?.quantity ?? 0,
        returned: first ? (returned.get(line.sku) ?? 0) : 0,
      };
    }),
  };
}
