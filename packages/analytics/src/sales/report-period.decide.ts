import { invalid } from '@tillstream/kernel';
import { bucketStarts, DAY_MS, quarterHourKeyAt, type Granularity } from './buckets.decide.js';
import { instantText, type TimeZone } from './time-zone.decide.js';

/**
 * What a report covers. A report reads its period in one time zone (UTC unless it names another): its buckets
 * are that zone's hours or days, and the buckets whose start lies in `[from, to)` are reported, each whole.
 */

/** Longest period one report may cover, in days of its zone: 31 by the hour (744 buckets), 400 by the day. */
export const MAX_PERIOD_DAYS: Record<Granularity, number> = { hour: 31, day: 400 };

/** One bucket of a report: the quarter hours `[starts, ends)` it adds up, and its start as the answer shows it. */
export interface ReportBucket {
  starts: string;
  ends: string;
  /** The instant the bucket begins, in the offset the zone's clocks showed: `2026-03-08T00:00:00-05:00`. */
  period: string;
}

/** The quarter hours `[fromQuarterHour, toQuarterHour)` a report adds up as one. */
export interface Window {
  fromQuarterHour: string;
  toQuarterHour: string;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `from` or `to` as an instant. An RFC 3339 date-time is its instant, whatever its offset; a calendar date
 * (`2026-03-08`) is the start of that day in the zone, the first instant whose local date is that day (or,
 * for a day the zone skipped, a later one).
 */
export function periodInstant(value: string, zone: TimeZone): number {
  if (!CALENDAR_DATE.test(value)) return Date.parse(value);
  const utcMidnightMs = Date.parse(`${value}T00:00:00Z`);
  // Every zone's midnight lies within a day of UTC's.
  const starts = bucketStarts(zone, 'day', utcMidnightMs - DAY_MS, utcMidnightMs + DAY_MS);
  const start = starts.find(
    ({ startMs, offsetMs }) => Math.floor((startMs + offsetMs) / DAY_MS) >= utcMidnightMs / DAY_MS,
  );
  return start!.startMs;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The period as instants. Refuses an empty or backwards period (`invalid_period`) and one longer than
 * `maxDays` days on the zone's calendar (`period_too_long`): 31 local days may hold a 25-hour day.
 */
function periodOf(from: string, to: string, zone: TimeZone, maxDays: number) {
  const fromMs = periodInstant(from, zone);
  const toMs = periodInstant(to, zone);
  // Dates apart that start at one instant hold only days the zone skipped (Samoa left out 30 December 2011):
  // no time at all, so an empty report rather than a period said to run backwards.
  const skippedDaysOnly = fromMs === toMs && DATE_ONLY.test(from) && DATE_ONLY.test(to) && from < to;
  if (!(fromMs < toMs) && !skippedDaysOnly)
    throw invalid('invalid_period', `from (${from}) must be before to (${to})`);
  const wallClockMs = (instantMs: number) => instantMs + zone.offsetAt(instantMs);
  if (wallClockMs(toMs) - wallClockMs(fromMs) > maxDays * DAY_MS)
    throw invalid('period_too_long', `This report covers at most ${maxDays} days`, { maxDays });
  return { fromMs, toMs };
}

/** The zone's hours or days that start in `[from, to)`, in time order: none if the period holds no start. */
export function reportBuckets(
  from: string,
  to: string,
  granularity: Granularity,
  zone: TimeZone,
): ReportBucket[] {
  const { fromMs, toMs } = periodOf(from, to, zone, MAX_PERIOD_DAYS[granularity]);
  const starts = bucketStarts(zone, granularity, fromMs, toMs);
  return starts.slice(0, -1).map((start, index) => ({
    starts: quarterHourKeyAt(start.startMs),
    ends: quarterHourKeyAt(starts[index + 1]!.startMs),
    period: instantText(start.startMs, start.offsetMs),
  }));
}

/**
 * The zone's hours that start in `[from, to)`, as one window: for the reports that add a period up as a
 * whole (per SKU, per promotion), so they may cover as long a period as a daily report.
 */
export function reportWindow(
  from: string,
  to: string,
  zone: TimeZone,
  maxDays = MAX_PERIOD_DAYS.day,
): Window {
  const { fromMs, toMs } = periodOf(from, to, zone, maxDays);
  const firstHourFrom = (instantMs: number) =>
    quarterHourKeyAt(bucketStarts(zone, 'hour', instantMs, instantMs).at(-1)!.startMs);
  return { fromQuarterHour: firstHourFrom(fromMs), toQuarterHour: firstHourFrom(toMs) };
}
