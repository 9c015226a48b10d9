import type { Demand } from './kit.decide.js';

/** Units of one stock SKU placed at one location for one requested line. */
export interface Placement {
  line: number;
  sku: string;
  locationId: string;
  quantity: number;
}

export interface Shortage {
  line: number;
  sku: string;
  requested: number;
  /** What the line's locations had left when its turn came. */
  available: number;
}

export interface AllocationPlan {
  allocations: Placement[];
  backorders: Placement[];
  shortages: Shortage[];
}

const key = (sku: string, locationId: string) => `${sku}@${locationId}`;

/**
 * The allocation strategy, line by line against one running snapshot (so two lines, or two kits, sharing a
 * SKU can never both count the same units):
 * 1. an explicit `locationId` is the only place the line may come from;
 * 2. otherwise the first of the channel's locations, in the channel's order, that covers the whole demand;
 * 3. otherwise split it over those locations in order, taking what each has;
 * 4. what is still missing is backordered at the line's first location if the product is backorderable,
 *    else it is a shortage (and the caller refuses the whole reservation).
 *
 * @param available units each (sku@location) can still promise this channel: on-hand − reserved − safety stock.
 */
export function allocate(
  demands: readonly Demand[],
  channelLocations: readonly string[],
  available: ReadonlyMap<string, number>,
): AllocationPlan {
  const left = new Map(available);
  const units = (sku: string, locationId: string) => Math.max(0, left.get(key(sku, locationId)) ?? 0);
  const plan: AllocationPlan = { allocations: [], backorders: [], shortages: [] };
  for (const demand of demands) {
    const locations = demand.locationId !== undefined ? [demand.locationId] : channelLocations;
    const take = (locationId: string, quantity: number) => {
      left.set(key(demand.sku, locationId), units(demand.sku, locationId) - quantity);
      plan.allocations.push({ line: demand.line, sku: demand.sku, locationId, quantity });
    };
    const whole = locations.find((locationId) => units(demand.sku, locationId) >= demand.quantity);
    if (whole !== undefined) {
      take(whole, demand.quantity);
      continue;
    }
    const total = locations.reduce((sum, locationId) => sum + units(demand.sku, locationId), 0);
    if (total < demand.quantity && !(demand.backorderable && locations.length > 0)) {
      plan.shortages.push({
        line: demand.line,
        sku: demand.sku,
        requested: demand.quantity,
        available: total,
      });
      continue;
    }
    let missing = demand.quantity;
    for (const locationId of locations) {
      const quantity = Math.min(missing, units(demand.sku, locationId));
      if (quantity > 0) take(locationId, quantity);
      missing -= quantity;
    }
    if (missing > 0)
      plan.backorders.push({
        line: demand.line,
        sku: demand.sku,
        locationId: locations[0]!,
        quantity: missing,
      });
  }
  return plan;
}

/** Placements summed per (sku, location): one ledger movement per key and document. */
export function totalsByKey(
  placements: readonly Placement[],
): Array<{ sku: string; locationId: string; quantity: number }> {
  const totals = new Map<string, { sku: string; locationId: string; quantity: number }>();
  for (const placement of placements) {
    const id = key(placement.sku, placement.locationId);
    const total = totals.get(id) ?? { sku: placement.sku, locationId: placement.locationId, quantity: 0 };
    total.quantity += placement.quantity;
    totals.set(id, total);
  }
  return [...totals.values()].sort((a, b) =>
    a.sku === b.sku ? cmp(a.locationId, b.locationId) : cmp(a.sku, b.sku),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ShortLine {
  line: number;
  sku: string;
  requested: number;
  /** Units of the line's product the channel could have had: kit units for a kit. */
  available: number;
  components?: Array<{ sku: string; requested: number; available: number }>;
}

/**
 * What the 409 names: each short line with what was asked and what was there. A kit line reports kit units
 * (the minimum over its components) and, per short component, its own figures.
 */
export function describeShortages(
  lines: ReadonlyArray<{ sku: string; quantity: number; kit: boolean }>,
  shortages: readonly Shortage[],
): ShortLine[] {
  return [...new Set(shortages.map((shortage) => shortage.line))].map((line) => {
    const requested = lines[line]!;
    const short = shortages.filter((shortage) => shortage.line === line);
    if (!requested.kit)
      return { line, sku: requested.sku, requested: requested.quantity, available: short[0]!.available };
    const perKit = (shortage: Shortage) => shortage.requested / requested.quantity;
    return {
      line,
      sku: requested.sku,
      requested: requested.quantity,
      available: Math.min(...short.map((shortage) => Math.floor(shortage.available / perKit(shortage)))),
      components: short.map(({ sku, requested: units, available }) => ({ sku, requested: units, available })),
    };
  });
}
