import { invalid } from '@tillstream/kernel';

/**
 * Time buckets. Figures are kept per UTC hour (ERP's locations carry no time zone yet, so a store's local day
 * cannot be told); a day is its 24 UTC hours. Keys are `YYYY-MM-DDTHH` (an hour) and `YYYY-MM-DD` (a day),
 * which sort as text in time order on both databases.
 */
export type Granularity = 'hour' | 'day';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Longest period one report may cover: 31 days by the hour (744 buckets), 400 days by the day. */
export const MAX_PERIOD_DAYS: Record<Granularity, number> = { hour: 31, day: 400 };

/** The hour an instant falls in, by business time (the event's own time, not its arrival). */
export function hourKey(instant: string): string {
  return new Date(instant).toISOString().slice(0, 13);
}

/** The start of the first bucket at or after `instant`: a bucket is reported whole or not at all. */
function ceilTo(instant: Date, sizeMs: number): number {
  return Math.ceil(instant.getTime() / sizeMs) * sizeMs;
}

/** The hour keys a period selects: `[fromHour, toHour)`, each bucket whose start lies in `[from, to)`. */
export interface Window {
  fromHour: string;
  toHour: string;
}

/**
 * The buckets of `[from, to)` at a granularity: those whose start lies inside. Refuses an empty or backwards
 * period (`invalid_period`) and one longer than `maxDays` (`period_too_long`), by default the granularity's.
 */
export function reportWindow(
  from: string,
  to: string,
  granularity: Granularity,
  maxDays = MAX_PERIOD_DAYS[granularity],
): Window {
  const start = new Date(from);
  const end = new Date(to);
  if (!(start.getTime() < end.getTime()))
    throw invalid('invalid_period', `from (${from}) must be before to (${to})`);
  if (end.getTime() - start.getTime() > maxDays * DAY_MS)
    throw invalid('period_too_long', `This report covers at most ${maxDays} days`, {
      maxDays,
    });
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const key = (ms: number) => new Date(ms).toISOString().slice(0, 13);
  return { fromHour: key(ceilTo(start, size)), toHour: key(ceilTo(end, size)) };
}

/** A bucket's key as the report shows it: the instant its bucket starts. */
export function periodStart(key: string): string {
  return key.length === 10 ? `${key}T00:00:00Z` : `${key}:00:00Z`;
}
