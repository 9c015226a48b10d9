import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';

type Keyed = { readonly [key: string]: unknown };
type Collection = 'products' | 'priceLists' | 'promotions' | 'taxRates' | 'shippingMethods';

/**
 * Products are keyed by SKU, every other collection by id. An optional collection (added after snapshots
 * existed) is present in a snapshot only when it has entries, and in a delta only when either side has some:
 * a delta without it leaves the base's as they were.
 */
const COLLECTIONS: ReadonlyArray<{ name: Collection; key: string; optional?: true }> = [
  { name: 'products', key: 'sku' },
  { name: 'priceLists', key: 'id' },
  { name: 'promotions', key: 'id' },
  { name: 'taxRates', key: 'id' },
  { name: 'shippingMethods', key: 'id', optional: true },
];

const entriesOf = (holder: object, name: Collection) =>
  ((holder as Partial<Record<Collection, Keyed[]>>)[name] ?? []) as Keyed[];

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
    const entries = entriesOf(content, name);
    if (name in content || entries.length > 0)
      (sorted as Record<Collection, Keyed[]>)[name] = [...entries].sort(byKey(key));
  }
  return sorted;
}

/** Deep equality of parsed JSON values (key order aside), without serialising every entry of a large catalog. */
function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every(
    (name) => Object.hasOwn(right, name) && sameJson((left as Keyed)[name], (right as Keyed)[name]),
  );
}

/** What changed from `base` to `target`: every entry new or different (whole), and the keys of those gone. */
export function diffSnapshots(base: PricingSnapshot, target: PricingSnapshot): PricingSnapshotDelta {
  const delta: Record<string, unknown> = {
    baseVersion: base.version,
    version: target.version,
    createdAt: target.createdAt,
  };
  for (const { name, key, optional } of COLLECTIONS) {
    if (optional && entriesOf(base, name).length === 0 && entriesOf(target, name).length === 0) continue;
    const before = new Map<string, Keyed>(
      entriesOf(base, name).map((entry) => [entry[key] as string, entry]),
    );
    const upserted: Keyed[] = [];
    for (const entry of entriesOf(target, name)) {
      const id = entry[key] as string;
      const was = before.get(id);
      if (was === undefined || !sameJson(was, entry)) upserted.push(entry);
      before.delete(id);
    }
    delta[name] = { upserted, removed: [...before.keys()] };
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
  for (const { name, key, optional } of COLLECTIONS) {
    const changed = delta[name];
    if (!changed) {
      if (name in base) next[name] = base[name];
      continue;
    }
    const replacing = new Map<string, Keyed>(
      (changed.upserted as Keyed[]).map((entry) => [entry[key] as string, entry]),
    );
    const removed = new Set<string>(changed.removed);
    // One pass over the held entries, which are in key order already (ERP mints them so): only a new key, or a
    // base that came out of order, needs a sort.
    const entries: Keyed[] = [];
    let ordered = true;
    let previous: string | null = null;
    for (const entry of entriesOf(base, name)) {
      const id = entry[key] as string;
      if (removed.has(id)) continue;
      entries.push(replacing.get(id) ?? entry);
      replacing.delete(id);
      if (previous !== null && previous > id) ordered = false;
      previous = id;
    }
    entries.push(...replacing.values());
    if (optional && entries.length === 0) continue;
    next[name] = ordered && replacing.size === 0 ? entries : entries.sort(byKey(key));
  }
  if (delta.exhaustedPromotionIds !== undefined) next.exhaustedPromotionIds = delta.exhaustedPromotionIds;
  return next as unknown as PricingSnapshot;
}
