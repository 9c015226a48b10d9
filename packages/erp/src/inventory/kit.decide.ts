import { unprocessable } from '@tillstream/kernel';
import type { KitComponent, Product } from '../catalog/catalog.decide.js';

/** A line as a channel asks for it: a standard SKU or a kit, optionally at one location. */
export interface RequestedLine {
  sku: string;
  quantity: number;
  locationId?: string;
}

/** What a line needs of one stock SKU (a kit line has one demand per component). */
export interface Demand {
  /** Index of the requested line. */
  line: number;
  sku: string;
  quantity: number;
  locationId?: string;
  /** Whatever stock cannot cover may be queued: set when the line's product (kit or SKU) is backorderable. */
  backorderable: boolean;
}

/**
 * Expands lines into stock demand. A kit has no stock of its own: each kit unit needs its components. Kits are
 * not nested (the catalog refuses it), so one level is the whole expansion.
 */
export function expandLines(
  lines: readonly RequestedLine[],
  products: ReadonlyMap<string, Product>,
): Demand[] {
  return lines.flatMap((line, index) => {
    const product = products.get(line.sku);
    const backorderable = product?.backorderable ?? false;
    const at = line.locationId === undefined ? {} : { locationId: line.locationId };
    if (product?.kind !== 'kit')
      return [{ line: index, sku: line.sku, quantity: line.quantity, ...at, backorderable }];
    return product.components.map((component) => ({
      line: index,
      sku: component.sku,
      quantity: component.quantity * line.quantity,
      ...at,
      backorderable,
    }));
  });
}

/** Stock quantities per stock SKU for sold or returned lines: kits expanded, lines of one SKU summed. */
export function stockQuantities(
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
  products: ReadonlyMap<string, Product>,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const demand of expandLines(lines, products))
    totals.set(demand.sku, (totals.get(demand.sku) ?? 0) + demand.quantity);
  return totals;
}

/** Kit units that component units make: the minimum over components of floor(units / per kit), at least 0. */
export function kitUnits(components: readonly KitComponent[], unitsOf: (sku: string) => number): number {
  if (components.length === 0) return 0;
  return Math.max(
    0,
    Math.min(...components.map((component) => Math.floor(unitsOf(component.sku) / component.quantity))),
  );
}

/**
 * Nested kits are refused outright, which also makes cycles impossible: a kit's components must be standard
 * products, and a product that is some kit's component cannot become a kit.
 */
export function assertKitStructure(
  sku: string,
  kind: Product['kind'],
  components: readonly Product[],
  kitsUsingIt: readonly string[],
): void {
  const nested = components.filter((component) => component.kind === 'kit').map((component) => component.sku);
  if (nested.length > 0)
    throw unprocessable('nested_kit', `Kit components must be standard products: ${nested.join(', ')}`, {
      skus: nested,
    });
  if (kind === 'kit' && kitsUsingIt.length > 0)
    throw unprocessable(
      'nested_kit',
      `${sku} is a component of ${kitsUsingIt.join(', ')} and cannot be a kit`,
      {
        skus: kitsUsingIt,
      },
    );
}
