import type { ReportStore } from './report.store.js';
import { timeZoneNamed, type TimeZone } from './time-zone.decide.js';

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
