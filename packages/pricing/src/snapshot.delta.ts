import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';

type Keyed = { readonly [key: string]: unknown };
type Collection = 'products' | 'priceLists' | 'promotions' | 'taxRates';

/** Products are keyed by SKU, every other collection by id. */
const COLLECTIONS: ReadonlyArray<{ name: Collection; key: string }> = [
  { name: 'products', key: 'sku' },
  { name: 'priceLists', key: 'id' },
  { name: 'promotions', key: 'id' },
  { name: 'taxRates', key: 'id' },
];

/** Code-unit order, the same in every runtime (a database's collation may differ between engines). */
const byKey = (key: string) => (left: Keyed, right: Keyed) => {
  const a = left[key] as string;
  const b = right[key] as string;
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * A snapshot's collections in key order. ERP mints snapshots in this order and a delta applied gives it, so a
 * version built from deltas is the very snapshot a whole download of that version gives.
 */
export function inSnapshotOrder<T extends Omit<PricingSnapshot, 'version' | 'createdAt'>>(content: T): T {
  const sorted = { ...content };
  for (const { name, key } of COLLECTIONS) {
    (sorted as Record<Collection, Keyed[]>)[name] = [...(content[name] as Keyed[])].sort(byKey(key));
  }
  return sorted;
}

/** What changed from `base` to `target`: every entry new or different (whole), and the keys of those gone. */
export function diffSnapshots(base: PricingSnapshot, target: PricingSnapshot): PricingSnapshotDelta {
  const delta: Record<string, unknown> = {
    baseVersion: base.version,
    version: target.version,
    createdAt: target.createdAt,
  };
  for (const { name, key } of COLLECTIONS) {
    // Compared as JSON: snapshots are parsed from ERP's own serialisation, so equal entries serialise alike
    // (and an entry that merely serialised differently would only be sent again, never lost).
    const before = new Map(
      (base[name] as Keyed[]).map((entry) => [entry[key] as string, JSON.stringify(entry)]),
    );
    const after = new Set<string>();
    const upserted: Keyed[] = [];
    for (const entry of target[name] as Keyed[]) {
      const id = entry[key] as string;
      after.add(id);
      if (before.get(id) !== JSON.stringify(entry)) upserted.push(entry);
    }
    const removed = [...before.keys()].filter((id) => !after.has(id));
    delta[name] = { upserted, removed };
  }
  if (target.exhaustedPromotionIds !== undefined) delta.exhaustedPromotionIds = target.exhaustedPromotionIds;
  return delta as unknown as PricingSnapshotDelta;
}

/**
 * The snapshot a delta leads to from the version it was made against. Refuses any other base: applied to the
 * wrong version it would give prices no version ever had.
 */
export function applySnapshotDelta(base: PricingSnapshot, delta: PricingSnapshotDelta): PricingSnapshot {
  if (base.version !== delta.baseVersion) {
    throw new Error(`a delta from version ${delta.baseVersion} cannot be applied to version ${base.version}`);
  }
  const next: Record<string, unknown> = { version: delta.version, createdAt: delta.createdAt };
  for (const { name, key } of COLLECTIONS) {
    const entries = new Map<string, Keyed>(
      (base[name] as Keyed[]).map((entry) => [entry[key] as string, entry]),
    );
    for (const id of delta[name].removed) entries.delete(id);
    for (const entry of delta[name].upserted as Keyed[]) entries.set(entry[key] as string, entry);
    next[name] = [...entries.values()].sort(byKey(key));
  }
  if (delta.exhaustedPromotionIds !== undefined) next.exhaustedPromotionIds = delta.exhaustedPromotionIds;
  return next as unknown as PricingSnapshot;
}
