import { describe, expect, it } from 'vitest';
import { reportBuckets, reportWindow } from './report-period.decide.js';
import { timeZoneNamed, UTC } from './time-zone.decide.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return null;
};

const hoursOf = (bucket: { starts: string; ends: string }) =>
  (Date.parse(`${bucket.ends}Z`) - Date.parse(`${bucket.starts}Z`)) / 3_600_000;

/** The buckets as `period [starts, ends)`, easy to read in a failure. */
const shown = (buckets: ReturnType<typeof reportBuckets>) =>
  buckets.map(({ period, starts, ends }) => `${period} [${starts}, ${ends})`);

describe('days of a time zone', () => {
  it.each([
    // zone, local day, its start and end as UTC quarter hours, its length, its start as the answer shows it
    [
      'America/New_York',
      '2026-03-08',
      '2026-03-08T05:00',
      '2026-03-09T04:00',
      23,
      '2026-03-08T00:00:00-05:00',
    ],
    [
      'America/New_York',
      '2026-11-01',
      '2026-11-01T04:00',
      '2026-11-02T05:00',
      25,
      '2026-11-01T00:00:00-04:00',
    ],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00', '2026-03-29T22:00', 23, '2026-03-29T00:00:00+01:00'],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00', '2026-10-25T23:00', 25, '2026-10-25T00:00:00+02:00'],
    ['Asia/Kolkata', '2026-03-10', '2026-03-09T18:30', '2026-03-10T18:30', 24, '2026-03-10T00:00:00+05:30'],
    ['Asia/Kathmandu', '2026-03-10', '2026-03-09T18:15', '2026-03-10T18:15', 24, '2026-03-10T00:00:00+05:45'],
    // Ahead of UTC by 13 hours: the local day starts on the UTC day before; clocks go back an hour.
    [
      'Pacific/Auckland',
      '2026-04-05',
      '2026-04-04T11:00',
      '2026-04-05T12:00',
      25,
      '2026-04-05T00:00:00+13:00',
    ],
    [
      'Pacific/Auckland',
      '2026-09-27',
      '2026-09-26T12:00',
      '2026-09-27T11:00',
      23,
      '2026-09-27T00:00:00+12:00',
    ],
    [
      'Australia/Adelaide',
      '2026-04-05',
      '2026-04-04T13:30',
      '2026-04-05T14:30',
      25,
      '2026-04-05T00:00:00+10:30',
    ],
    [
      'Pacific/Chatham',
      '2026-09-27',
      '2026-09-26T11:15',
      '2026-09-27T10:15',
      23,
      '2026-09-27T00:00:00+12:45',
    ],
    // Clocks spring forward at midnight: the day starts at 01:00.
    [
      'America/Santiago',
      '2026-09-06',
      '2026-09-06T04:00',
      '2026-09-07T03:00',
      23,
      '2026-09-06T01:00:00-03:00',
    ],
    ['UTC', '2026-03-08', '2026-03-08T00:00', '2026-03-09T00:00', 24, '2026-03-08T00:00:00Z'],
    // Zero offset in winter: `Z`, like UTC.
    ['Europe/London', '2026-01-05', '2026-01-05T00:00', '2026-01-06T00:00', 24, '2026-01-05T00:00:00Z'],
  ] as const)('%s on %s', (zone, day, starts, ends, hours, period) => {
    const nextDay = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const buckets = reportBuckets(day, nextDay, 'day', timeZoneNamed(zone));
    expect(buckets).toEqual([{ starts, ends, period }]);
    expect(hoursOf(buckets[0]!)).toBe(hours);
  });

  it('a day the zone skipped is not a bucket: Samoa went from 29 to 31 December 2011', () => {
    const apia = timeZoneNamed('Pacific/Apia');
    expect(shown(reportBuckets('2011-12-29', '2012-01-01', 'day', apia))).toEqual([
      '2011-12-29T00:00:00-10:00 [2011-12-29T10:00, 2011-12-30T10:00)',
      '2011-12-31T00:00:00+14:00 [2011-12-30T10:00, 2011-12-31T10:00)',
    ]);
    // The skipped date, asked for, is the start of the next day there is.
    expect(reportBuckets('2011-12-30', '2011-12-31T12:00:00+14:00', 'day', apia)).toHaveLength(1);
    // Only the skipped day asked for: no time at all there, so an empty report, not a backwards period.
    expect(reportBuckets('2011-12-30', '2011-12-31', 'day', apia)).toEqual([]);
    expect(reportWindow('2011-12-30', '2011-12-31', apia)).toMatchObject({
      fromQuarterHour: expect.any(String),
    });
    expect(() => reportBuckets('2011-12-31', '2011-12-30', 'day', apia)).toThrow(/must be before/);
  });

  it('a period of instants selects the local days starting in it, whatever the offset it is written in', () => {
    const newYork = timeZoneNamed('America/New_York');
    const days = reportBuckets('2026-03-07T12:00:00Z', '2026-03-09T04:00:00Z', 'day', newYork);
    // 7 March starts before `from`; 9 March starts at `to` itself: only 8 March's start lies inside.
    expect(days.map((day) => day.period)).toEqual(['2026-03-08T00:00:00-05:00']);
    expect(reportBuckets('2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 'day', newYork)).toEqual(
      reportBuckets('2026-03-08', '2026-03-09', 'day', newYork),
    );
  });
});

describe('hours of a time zone', () => {
  it('New York springs forward: 01:00 is followed by 03:00, 23 hours in the day', () => {
    const hours = reportBuckets('2026-03-08', '2026-03-09', 'hour', timeZoneNamed('America/New_York'));
    expect(hours).toHaveLength(23);
    expect(shown(hours.slice(1, 3))).toEqual([
      '2026-03-08T01:00:00-05:00 [2026-03-08T06:00, 2026-03-08T07:00)',
      '2026-03-08T03:00:00-04:00 [2026-03-08T07:00, 2026-03-08T08:00)',
    ]);
  });

  it('New York falls back: 01:00 comes twice, each with its own offset, 25 hours in the day', () => {
    const hours = reportBuckets('2026-11-01', '2026-11-02', 'hour', timeZoneNamed('America/New_York'));
    expect(hours).toHaveLength(25);
    expect(shown(hours.slice(1, 4))).toEqual([
      '2026-11-01T01:00:00-04:00 [2026-11-01T05:00, 2026-11-01T06:00)',
      '2026-11-01T01:00:00-05:00 [2026-11-01T06:00, 2026-11-01T07:00)',
      '2026-11-01T02:00:00-05:00 [2026-11-01T07:00, 2026-11-01T08:00)',
    ]);
  });

  it('Berlin’s hours on the night clocks go back, and Kathmandu’s start at a quarter past the UTC hour', () => {
    const berlin = reportBuckets(
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T03:00:00+01:00',
      'hour',
      timeZoneNamed('Europe/Berlin'),
    );
    expect(berlin.map((hour) => hour.period)).toEqual([
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:00:00+01:00',
    ]);
    const kathmandu = reportBuckets('2026-03-10', '2026-03-11', 'hour', timeZoneNamed('Asia/Kathmandu'));
    expect(kathmandu).toHaveLength(24);
    expect(kathmandu[0]).toEqual({
      starts: '2026-03-09T18:15',
      ends: '2026-03-09T19:15',
      period: '2026-03-10T00:00:00+05:45',
    });
  });

  it('where clocks move half an hour, an hour lasts as long as the clock takes to show the next', () => {
    // Lord Howe Island goes back from +11:00 to +10:30 at 02:00: its 01:00 lasts 90 minutes.
    const lordHowe = reportBuckets('2026-04-05', '2026-04-06', 'hour', timeZoneNamed('Australia/Lord_Howe'));
    expect(lordHowe).toHaveLength(24);
    expect(shown(lordHowe.slice(1, 3))).toEqual([
      '2026-04-05T01:00:00+11:00 [2026-04-04T14:00, 2026-04-04T15:30)',
      '2026-04-05T02:00:00+10:30 [2026-04-04T15:30, 2026-04-04T16:30)',
    ]);
  });

  it('UTC hours are as before: a bucket is reported whole or left out, an offset is read as its instant', () => {
    expect(reportBuckets('2026-03-02T09:30:00Z', '2026-03-02T11:30:00Z', 'hour', UTC)).toEqual([
      { starts: '2026-03-02T10:00', ends: '2026-03-02T11:00', period: '2026-03-02T10:00:00Z' },
      { starts: '2026-03-02T11:00', ends: '2026-03-02T12:00', period: '2026-03-02T11:00:00Z' },
    ]);
    const offset = reportBuckets('2026-03-02T00:00:00+01:00', '2026-03-02T02:00:00+01:00', 'hour', UTC);
    expect(offset.map((hour) => hour.period)).toEqual(['2026-03-01T23:00:00Z', '2026-03-02T00:00:00Z']);
    expect(reportBuckets('2026-03-02T09:30:00Z', '2026-03-02T09:45:00Z', 'hour', UTC)).toEqual([]);
  });
});

describe('the window of the reports that add a period up whole', () => {
  it.each([
    ['UTC', '2026-03-02T09:30:00Z', '2026-03-03T09:30:00Z', '2026-03-02T10:00', '2026-03-03T10:00'],
    ['Asia/Kolkata', '2026-03-10', '2026-03-11', '2026-03-09T18:30', '2026-03-10T18:30'],
    [
      'Asia/Kolkata',
      '2026-03-10T00:10:00+05:30',
      '2026-03-10T12:00:00Z',
      '2026-03-09T19:30',
      '2026-03-10T12:30',
    ],
    ['Pacific/Auckland', '2026-04-05', '2026-04-06', '2026-04-04T11:00', '2026-04-05T12:00'],
  ] as const)('%s from %s to %s', (zone, from, to, fromQuarterHour, toQuarterHour) => {
    expect(reportWindow(from, to, timeZoneNamed(zone))).toEqual({ fromQuarterHour, toQuarterHour });
  });
});

describe('periods refused', () => {
  const newYork = timeZoneNamed('America/New_York');

  it.each([
    ['from after to', '2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z', 'day', 'invalid_period'],
    ['an empty period', '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z', 'hour', 'invalid_period'],
    ['32 days by the hour', '2026-01-01T00:00:00Z', '2026-02-02T00:00:01Z', 'hour', 'period_too_long'],
    ['401 days by the day', '2026-01-01T00:00:00Z', '2027-02-06T00:00:00Z', 'day', 'period_too_long'],
  ] as const)('refuses %s', (_name, from, to, granularity, code) => {
    expect(codeOf(() => reportBuckets(from, to, granularity, UTC))).toBe(code);
  });

  it('counts a period’s length in days of its zone: 31 days may hold a 25-hour day', () => {
    expect(reportBuckets('2026-10-15', '2026-11-15', 'hour', newYork)).toHaveLength(31 * 24 + 1);
    expect(codeOf(() => reportBuckets('2026-10-15', '2026-11-16', 'hour', newYork))).toBe('period_too_long');
    expect(codeOf(() => reportWindow('2026-01-01', '2027-02-06', newYork))).toBe('period_too_long');
  });

  it('refuses a zone the platform does not know, and one whose offset was not whole quarter hours then', () => {
    expect(codeOf(() => timeZoneNamed('Mars/Olympus_Mons'))).toBe('unknown_time_zone');
    expect(codeOf(() => timeZoneNamed('+05:30'))).toBe('unknown_time_zone');
    expect(timeZoneNamed('america/new_york').offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(
      -4 * 3_600_000,
    );
    // Liberia kept its local mean time, 44 minutes 30 seconds behind UTC, until 1972.
    const monrovia = timeZoneNamed('Africa/Monrovia');
    expect(codeOf(() => reportBuckets('1960-01-01', '1960-01-02', 'day', monrovia))).toBe(
      'unsupported_time_zone',
    );
    expect(reportBuckets('2026-01-01', '2026-01-02', 'day', monrovia)[0]!.period).toBe(
      '2026-01-01T00:00:00Z',
    );
  });
});
