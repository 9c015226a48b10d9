import type { Placement } from './allocation.decide.js';

/** A shipped parcel: the stock units (kits expanded into components) leaving one location. */
export interface Parcel {
  locationId: string;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
}

export interface ParcelCommit {
  /** The placements whose units leave stock with the parcel, per reservation line. */
  commit: Placement[];
  /** What the reservation still holds afterwards: the parcels not shipped yet. */
  stillHeld: Placement[];
}

/**
 * Which held units a shipped parcel takes out of stock. A parcel names SKUs summed over the order's lines,
 * while the reservation holds them per line, so each SKU is taken from the lines holding it at the parcel's
 * location in line order: whichever line gives them, the key's `reserved` and `onHand` fall alike. A parcel
 * asking for more than the reservation holds there means the order's fulfilments and its hold disagree,
 * which no request can cause: it throws rather than take units someone else holds.
 */
export function decideParcelCommit(held: readonly Placement[], parcel: Parcel): ParcelCommit {
  const remaining = held.map((placement) => ({ ...placement }));
  const commit: Placement[] = [];
  for (const line of parcel.lines) {
    let wanted = line.quantity;
    const sources = remaining
      .filter((placement) => placement.sku === line.sku && placement.locationId === parcel.locationId)
      .sort((a, b) => a.line - b.line);
    for (const source of sources) {
      const take = Math.min(wanted, source.quantity);
      if (take <= 0) continue;
      source.quantity -= take;
      wanted -= take;
      commit.push({ line: source.line, sku: line.sku, locationId: parcel.locationId, quantity: take });
    }
    if (wanted > 0)
      throw new Error(
        `the parcel takes ${line.quantity} of ${line.sku} at ${parcel.locationId}; the hold has ${line.quantity - wanted}`,
      );
  }
  return { commit, stillHeld: remaining.filter((placement) => placement.quantity > 0) };
}
