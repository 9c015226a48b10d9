import { invalid } from '@tillstream/kernel';

/**
 * IANA time zones from the platform's own time zone database (`Intl.DateTimeFormat`), reduced to the one
 * thing the reports need: a zone's UTC offset at an instant, and the spans of time in which it stays put.
 */
export interface TimeZone {
  /** The name as the client gave it (IANA names are case-insensitive). */
  name: string;
  /** The zone's UTC offset at an instant, in ms: local wall-clock time is `instantMs + offsetMs`. */
  offsetAt(instantMs: number): number;
}

/** From `startMs` on (until the next span's start) the zone's clocks are `offsetMs` ahead of UTC. */
export interface OffsetSpan {
  startMs: number;
  offsetMs: number;
}

export const UTC: TimeZone = { name: 'UTC', offsetAt: () => 0 };

const SECOND_MS = 1000;
/**
 * How far apart the offset is probed for changes: a change and its reversal between two probes would go
 * unseen, and in Node's time zone database no two changes of a zone's offset are less than three days apart
 * (every zone, 1970–2040, probed every three hours). A 400-day report probes 400 times, a few milliseconds.
 */
const PROBE_MS = 86_400_000;

/** The zone of an IANA name (`Europe/Berlin`, `utc`, a link such as `Asia/Calcutta`); `unknown_time_zone` if none. */
export function timeZoneNamed(name: string): TimeZone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw invalid('unknown_time_zone', `${name} is not a time zone of the IANA database`, { timeZone: name });
  }
  if (format.resolvedOptions().timeZone === 'UTC') return { ...UTC, name };
  return {
    name,
    offsetAt(instantMs) {
      const parts: Record<string, string> = {};
      for (const { type, value } of format.formatToParts(instantMs)) parts[type] = value;
      const year = Number(parts.year);
      const wallClock = utcMs(
        parts.era === 'BC' ? 1 - year : year,
        Number(parts.month),
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
        Number(parts.second),
      );
      // The wall clock shows whole seconds: compare it with the instant's whole second.
      return wallClock - Math.floor(instantMs / SECOND_MS) * SECOND_MS;
    },
  };
}

/** Like `Date.UTC`, but years 0–99 are those years, not 1900–1999. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** The spans of one offset that cover `[fromMs, toMs]`, the first starting at `fromMs`, in time order. */
export function offsetSpans(zone: TimeZone, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ startMs: fromMs, offsetMs: zone.offsetAt(fromMs) }];
  if (zone.offsetAt === UTC.offsetAt) return spans;
  let probedMs = fromMs;
  while (probedMs < toMs) {
    const nextMs = Math.min(probedMs + PROBE_MS, toMs);
    // Between two probes the offset changes at most once, but look again in case it changed twice.
    while (zone.offsetAt(nextMs) !== spans[spans.length - 1]!.offsetMs) {
      const changeMs = firstChange(zone, spans[spans.length - 1]!.offsetMs, probedMs, nextMs);
      spans.push({ startMs: changeMs, offsetMs: zone.offsetAt(changeMs) });
      probedMs = changeMs;
    }
    probedMs = nextMs;
  }
  return spans;
}

/** The first instant in `(afterMs, atMs]` at which the offset is no longer `offsetMs`, by halving. */
function firstChange(zone: TimeZone, offsetMs: number, afterMs: number, atMs: number): number {
  let low = afterMs;
  let high = atMs;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (zone.offsetAt(middle) === offsetMs) low = middle;
    else high = middle;
  }
  return high;
}

/** An instant as RFC 3339 text in the offset its zone had then: `2026-03-08T03:00:00-04:00` (`Z` at zero). */
export function instantText(instantMs: number, offsetMs: number): string {
  const wallClock = new Date(instantMs + offsetMs).toISOString().slice(0, 19);
  if (offsetMs === 0) return `${wallClock}Z`;
  const minutes = Math.abs(offsetMs) / 60_000;
  const hours = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${wallClock}${offsetMs < 0 ? '-' : '+'}${hours}:${String(minutes % 60).padStart(2, '0')}`;
}
