import type { ShippingMethod } from '@tillstream/contracts';

/**
 * The parcels a rate carries goods in: one, or, for goods heavier than a rate with `splitParcels` takes, as many
 * as they pack into. Packing is first-fit decreasing, worked over groups of units that weigh the same rather than
 * unit by unit, so a cart of a million units packs as fast as one of a few.
 */

/** The most parcels one delivery is split into: goods that need more are freight, which no rate here prices. */
export const MAX_PARCELS = 100;

/** Units that weigh the same: `quantity` of them at `weightGrams` each (packaging included); a cart's line. */
export interface UnitWeights {
  weightGrams: number;
  quantity: number;
}

/** What the goods weigh for delivery: in all (for `byWeight` and `maxGrams`) and unit by unit. */
export interface WeighedGoods {
  weightGrams: number;
  /**
   * What the units of each line weigh, for a rate that splits heavy goods into parcels (`splitParcels`).
   * Absent, the goods are one parcel that cannot be split: a caller that knows only the total, such as a
   * storefront listing rates for an empty cart, is never offered a split it could not make.
   */
  units?: readonly UnitWeights[];
}

/**
 * What packing came to: the parcels' weights in grams, in the order they were opened (the first the heaviest
 * units went in); or why the goods cannot go as parcels of the size.
 */
export type Packing =
  | { kind: 'packed'; parcelGrams: number[] }
  | { kind: 'unit_too_heavy'; weightGrams: number }
  | { kind: 'too_many_parcels' };

/** The units by weight, heaviest first, those of one weight counted together; weightless units left out. */
function groupsByWeight(units: readonly UnitWeights[]): Array<[weightGrams: number, quantity: number]> {
  const byWeight = new Map<number, number>();
  for (const { weightGrams, quantity } of units)
    if (weightGrams > 0 && quantity > 0)
      byWeight.set(weightGrams, (byWeight.get(weightGrams) ?? 0) + quantity);
  return [...byWeight].sort(([left], [right]) => right - left);
}

/**
 * Packs units into parcels of at most `maxGrams` each: heaviest first, each unit into the first parcel with room
 * for it, a new parcel when none has. Units of one weight are placed together, which places them exactly as one
 * by one would: each parcel in turn takes as many as fit. Units that weigh nothing ride in the first parcel, so
 * goods without weight are one parcel of 0 g. Grouping by weight makes the result independent of the order of
 * the lines. Refuses a unit heavier than `maxGrams`, and goods that need more than `MAX_PARCELS`, the latter
 * checked before parcels are opened so a cart that would need millions costs no more than one that fits.
 */
export function packParcels(units: readonly UnitWeights[], maxGrams: number): Packing {
  const groups = groupsByWeight(units);
  const heaviest = groups[0]?.[0];
  if (heaviest !== undefined && heaviest > maxGrams) return { kind: 'unit_too_heavy', weightGrams: heaviest };
  const parcelGrams: number[] = [];
  for (const [weightGrams, quantity] of groups) {
    let left = quantity;
    for (let index = 0; index < parcelGrams.length && left > 0; index++) {
      const fits = Math.min(left, Math.floor((maxGrams - parcelGrams[index]!) / weightGrams));
      parcelGrams[index]! += fits * weightGrams;
      left -= fits;
    }
    if (left === 0) continue;
    const perParcel = Math.floor(maxGrams / weightGrams);
    const opened = Math.ceil(left / perParcel);
    if (parcelGrams.length + opened > MAX_PARCELS) return { kind: 'too_many_parcels' };
    for (let full = 1; full < opened; full++) parcelGrams.push(perParcel * weightGrams);
    parcelGrams.push((left - (opened - 1) * perParcel) * weightGrams);
  }
  return { kind: 'packed', parcelGrams: parcelGrams.length > 0 ? parcelGrams : [0] };
}

/** Why a rate cannot carry the goods: what `shipping_not_available` says. */
interface Refusal {
  detail: string;
  details: { weightGrams: number; maxGrams: number; maxParcels?: number };
}

/**
 * The parcels a rate carries the goods in: one of their weight when it takes that much (every rate does but one
 * with a `maxGrams` they pass), else, on a rate with `splitParcels`, those they pack into (`packParcels`). A
 * refusal when it cannot: goods too heavy for a rate that does not split, a unit too heavy for any parcel, or
 * more parcels than `MAX_PARCELS`.
 */
export function parcelsFor(
  rate: ShippingMethod['rates'][number],
  goods: WeighedGoods,
): { parcelGrams: readonly number[] } | Refusal {
  const { weightGrams } = goods;
  const maxGrams = rate.maxGrams;
  if (maxGrams === undefined || weightGrams <= maxGrams) return { parcelGrams: [weightGrams] };
  if (!rate.splitParcels)
    return {
      detail: `takes goods up to ${maxGrams} g; these weigh ${weightGrams} g`,
      details: { weightGrams, maxGrams },
    };
  const packing = packParcels(goods.units ?? [{ weightGrams, quantity: 1 }], maxGrams);
  switch (packing.kind) {
    case 'packed':
      return { parcelGrams: packing.parcelGrams };
    case 'unit_too_heavy':
      return {
        detail: `takes parcels up to ${maxGrams} g; a unit of these goods weighs ${packing.weightGrams} g`,
        details: { weightGrams: packing.weightGrams, maxGrams },
      };
    case 'too_many_parcels':
      return {
        detail:
          `splits goods into at most ${MAX_PARCELS} parcels of up to ${maxGrams} g; ` +
          `these weigh ${weightGrams} g`,
        details: { weightGrams, maxGrams, maxParcels: MAX_PARCELS },
      };
  }
}
