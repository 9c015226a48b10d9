import { invalid } from '@tillstream/kernel';
import { offsetSpans, type TimeZone } from './time-zone.decide.js';

/**
 * Time buckets. Figures are kept per UTC quarter hour: every zone's offset is a whole number of quarter hours
 * (+05:30 in India, +05:45 in Nepal, +09:30 and +10:30 in Adelaide), so the hours and days of any zone are made
 * of whole quarter hours, and a report adds up the quarter hours of each of its buckets. Keys are
 * `YYYY-MM-DDTHH:MM` in UTC (minutes 00, 15, 30 or 45), which sort as text in time order on both databases.
 */
export type Granularity = 'hour' | 'day';

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS: Record<Granularity, number> = { hour: HOUR_MS, day: DAY_MS };

/** The key of the quarter hour starting at an instant (a whole quarter hour since the epoch). */
export const quarterHourKeyAt = (instantMs: number): string => new Date(instantMs).toISOString().slice(0, 16);

/** The quarter hour an instant falls in, by business time (the event's own time, not its arrival). */
export function quarterHourKey(instant: string): string {
  return quarterHourKeyAt(Math.floor(Date.parse(instant) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}

/** An instant at which one of a zone's hours or days begins, and the offset its clocks show then. */
export interface BucketStart {
  startMs: number;
  offsetMs: number;
}

/** Which local hour or day an instant is in, counted from the epoch, at a given offset. */
const localBucket = (instantMs: number, offsetMs: number, sizeMs: number) =>
  Math.floor((instantMs + offsetMs) / sizeMs);

/**
 * The instants from `fromMs` on at which the zone's hours or days begin, up to and including the first at or
 * after `untilMs`. A bucket begins where the local clock shows a whole hour (midnight), and where a change of
 * offset moves the clock into another hour (day) without showing its start: where clocks spring forward at
 * midnight the day begins at 01:00. So the day of a DST change lasts 23 or 25 hours, and the hour that clocks
 * go back over comes twice, each time with its own offset.
 *
 * Refuses (`unsupported_time_zone`) a bucket that does not start on a quarter hour: a zone's local mean time
 * of before it took up standard time (Liberia's was 44 minutes 30 seconds behind UTC until 1972).
 */
export function bucketStarts(
  zone: TimeZone,
  granularity: Granularity,
  fromMs: number,
  untilMs: number,
): BucketStart[] {
  const sizeMs = BUCKET_MS[granularity];
  // From an hour before, to see a change of offset at `fromMs` itself; to past the longest bucket after
  // `untilMs` (a day whose clocks go back two hours, in Antarctica/Troll, lasts 26 hours).
  const spans = offsetSpans(zone, fromMs - HOUR_MS, untilMs + sizeMs + 3 * HOUR_MS);
  const starts: BucketStart[] = [];
  const add = (startMs: number, offsetMs: number) => {
    if (startMs < fromMs || startMs === starts.at(-1)?.startMs) return;
    if (startMs % QUARTER_HOUR_MS !== 0 || offsetMs % 60_000 !== 0)
      throw invalid(
        'unsupported_time_zone',
        `${zone.name} had an offset from UTC that is not a whole quarter hour then`,
        { timeZone: zone.name, at: new Date(startMs).toISOString() },
      );
    starts.push({ startMs, offsetMs });
  };
  for (const [index, span] of spans.entries()) {
    const endMs = spans[index + 1]?.startMs ?? Infinity;
    const before = spans[index - 1];
    if (
      before &&
      localBucket(span.startMs - 1, before.offsetMs, sizeMs) !==
        localBucket(span.startMs, span.offsetMs, sizeMs)
    )
      add(span.startMs, span.offsetMs);
    let startMs = (localBucket(span.startMs - 1, span.offsetMs, sizeMs) + 1) * sizeMs - span.offsetMs;
    for (; startMs < endMs && (starts.at(-1)?.startMs ?? -Infinity) < untilMs; startMs += sizeMs)
      add(startMs, span.offsetMs);
    if ((starts.at(-1)?.startMs ?? -Infinity) >= untilMs) return starts;
  }
  throw new Error(`no ${granularity} of ${zone.name} begins after ${new Date(untilMs).toISOString()}`);
}
