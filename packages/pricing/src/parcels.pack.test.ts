/** Packing heavy goods into parcels a rate takes: which parcels, and when they cannot go as parcels at all. */
import { describe, expect, it } from 'vitest';
import { MAX_PARCELS, packParcels, parcelsFor, type UnitWeights } from './parcels.pack.js';

const MAX = 23_000;
const units = (...pairs: Array<[weightGrams: number, quantity: number]>): UnitWeights[] =>
  pairs.map(([weightGrams, quantity]) => ({ weightGrams, quantity }));

describe('packParcels', () => {
  it.each([
    ['goods that fit one parcel', units([8000, 2]), [16_000]],
    [
      'units of one weight over several lines, packed as one group',
      units([8000, 2], [500, 12], [8000, 1]),
      [22_000, 8000],
    ],
    [
      'lighter units filling the room heavier ones left',
      units([7000, 3], [5000, 2], [1000, 4]),
      [23_000, 12_000],
    ],
    ['full parcels of one weight, then the rest', units([10_000, 5]), [20_000, 20_000, 10_000]],
    ['units that weigh nothing, riding along', units([0, 500], [12_000, 2]), [12_000, 12_000]],
    ['goods that weigh nothing at all, as one parcel', units([0, 5]), [0]],
  ])('packs %s', (_what, given, parcelGrams) => {
    expect(packParcels(given, MAX)).toEqual({ kind: 'packed', parcelGrams });
  });

  it('refuses a unit heavier than a parcel may be, naming its weight', () => {
    expect(packParcels(units([500, 10], [24_000, 1]), MAX)).toEqual({
      kind: 'unit_too_heavy',
      weightGrams: 24_000,
    });
  });

  it(`packs up to ${MAX_PARCELS} parcels and refuses goods that need more`, () => {
    const packed = packParcels(units([1000, 23 * MAX_PARCELS]), MAX);
    expect(packed).toMatchObject({ kind: 'packed' });
    expect(packed.kind === 'packed' && packed.parcelGrams).toHaveLength(MAX_PARCELS);
    expect(packParcels(units([1000, 23 * MAX_PARCELS + 1]), MAX)).toEqual({ kind: 'too_many_parcels' });
    // The bound holds when the extra parcel is opened by a later, lighter group too.
    expect(packParcels(units([12_000, MAX_PARCELS], [11_001, 1]), MAX)).toEqual({
      kind: 'too_many_parcels',
    });
  });

  it('packs the same parcels whatever order the lines come in', () => {
    const lines = units([7000, 3], [500, 7], [5000, 2], [0, 4], [1000, 4], [500, 5]);
    const packed = packParcels(lines, MAX);
    expect(packParcels([...lines].reverse(), MAX)).toEqual(packed);
    expect(packParcels([lines[2]!, lines[5]!, lines[0]!, lines[4]!, lines[1]!, lines[3]!], MAX)).toEqual(
      packed,
    );
  });

  it('packs a hundred lines of ten thousand units by weight groups, not unit by unit', () => {
    // A unit-by-unit packer would place a million units here; by group it places a hundred.
    const lines = Array.from({ length: 100 }, (_, index) => ({ weightGrams: index + 1, quantity: 10_000 }));
    const maxGrams = 1_000_000;
    const packed = packParcels(lines, maxGrams);
    if (packed.kind !== 'packed') throw new Error(`not packed: ${packed.kind}`);
    expect(packed.parcelGrams.reduce((sum, grams) => sum + grams, 0)).toBe(50_500_000);
    expect(packed.parcelGrams.every((grams) => grams <= maxGrams)).toBe(true);
    expect(packed.parcelGrams.length).toBeLessThanOrEqual(MAX_PARCELS);
    const twiceAsHeavy = lines.map((line) => ({ ...line, weightGrams: line.weightGrams * 2 }));
    expect(packParcels(twiceAsHeavy, maxGrams)).toEqual({ kind: 'too_many_parcels' });
  });
});

describe('parcelsFor', () => {
  const rate = { currency: 'EUR', amount: 495, maxGrams: MAX };
  const goods = { weightGrams: 30_000, units: units([10_000, 3]) };

  it('carries goods within maxGrams as one parcel, split or not', () => {
    expect(parcelsFor(rate, { weightGrams: MAX, units: units([11_500, 2]) })).toEqual({ parcelGrams: [MAX] });
    expect(parcelsFor({ ...rate, splitParcels: true }, { weightGrams: 100 })).toEqual({ parcelGrams: [100] });
  });

  it('splits heavier goods only on a rate with splitParcels', () => {
    expect(parcelsFor({ ...rate, splitParcels: true }, goods)).toEqual({ parcelGrams: [20_000, 10_000] });
    expect(parcelsFor(rate, goods)).toMatchObject({ details: { weightGrams: 30_000, maxGrams: MAX } });
  });

  it('cannot split goods whose units it does not know: they are one unit that heavy', () => {
    expect(parcelsFor({ ...rate, splitParcels: true }, { weightGrams: 30_000 })).toMatchObject({
      details: { weightGrams: 30_000, maxGrams: MAX },
    });
  });

  it('says how many parcels it takes at most when the goods need more', () => {
    const tons = { weightGrams: 3_000_000, units: units([10_000, 300]) };
    expect(parcelsFor({ ...rate, splitParcels: true }, tons)).toMatchObject({
      details: { weightGrams: 3_000_000, maxGrams: MAX, maxParcels: MAX_PARCELS },
    });
  });
});
