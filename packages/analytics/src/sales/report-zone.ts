import { reportWindow } from './report-period.decide.js';
import type { ReportStore } from './report.store.js';
import { timeZoneNamed, UTC, type TimeZone } from './time-zone.decide.js';

/** `timeZone=store`: every store counts in its own zone, as ERP's location of it names. */
export const EACH_STORE = 'store';

/**
 * The zone a report counts in: the one it names; else, for a report of one store, the zone ERP's location of
 * that store keeps (so a store's day is its own, wherever head office sits); else UTC.
 */
export async function reportTimeZone(
  store: Pick<ReportStore, 'storeTimeZone'>,
  query: { timeZone?: string | undefined; locationId?: string | undefined },
): Promise<TimeZone> {
  const storeZone =
    query.timeZone === undefined && query.locationId !== undefined
      ? await store.storeTimeZone(query.locationId)
      : null;
  return timeZoneNamed(query.timeZone ?? storeZone ?? 'UTC');
}

/**
 * The zones of a report that counts each store in its own: `zones[0]` is UTC, for online sales (they have no
 * store) and for stores whose location names no zone; `groupOf` gives every other store its zone's index.
 * Stores of one zone share an index, so a chain in three zones reads its buckets three times, not once a store.
 */
export interface StoreZones {
  zones: TimeZone[];
  groupOf: ReadonlyMap<string, number>;
}

export async function storeZones(store: Pick<ReportStore, 'storeTimeZones'>): Promise<StoreZones> {
  const zones: TimeZone[] = [UTC];
  const indexOf = new Map<string, number>([[UTC.name, 0]]);
  const groupOf = new Map<string, number>();
  for (const { locationId, timeZone } of await store.storeTimeZones()) {
    // Keyed by the name ERP keeps: two spellings of one zone read their buckets twice, and count the same.
    let index = indexOf.get(timeZone);
    if (index === undefined) {
      index = zones.push(timeZoneNamed(timeZone)) - 1;
      indexOf.set(timeZone, index);
    }
    if (index !== 0) groupOf.set(locationId, index);
  }
  return { zones, groupOf };
}

/**
 * The window of a report that adds its period up as a whole (per SKU, per promotion), in the zone it counts in,
 * or with `timeZone=store` in every store's own: `zones` then has each zone's window, `windows[0]` UTC's.
 */
export async function zonedReportWindow(
  store: Pick<ReportStore, 'storeTimeZone' | 'storeTimeZones'>,
  query: { from: string; to: string; timeZone?: string | undefined; locationId?: string | undefined },
) {
  if (query.timeZone !== EACH_STORE) {
    const zone = await reportTimeZone(store, query);
    return { timeZone: zone.name, window: reportWindow(query.from, query.to, zone) };
  }
  const { zones, groupOf } = await storeZones(store);
  const windows = zones.map((zone) => reportWindow(query.from, query.to, zone));
  return { timeZone: EACH_STORE, window: { ...windows[0]!, zones: { windows, groupOf } } };
}
