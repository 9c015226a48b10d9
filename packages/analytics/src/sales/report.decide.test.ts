import { describe, expect, it } from 'vitest';
import { reportWindow } from './buckets.decide.js';
import { averageBasket, decodeCursor, encodeCursor } from './report.decide.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return null;
};

describe('report periods', () => {
  it.each([
    ['whole hours', '2026-03-02T09:00:00Z', '2026-03-02T12:00:00Z', 'hour', '2026-03-02T09', '2026-03-02T12'],
    [
      'a bucket is whole or left out',
      '2026-03-02T09:30:00Z',
      '2026-03-02T11:30:00Z',
      'hour',
      '2026-03-02T10',
      '2026-03-02T12',
    ],
    ['days in UTC', '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', 'day', '2026-03-01T00', '2026-03-03T00'],
    [
      'an offset is read as its UTC instant',
      '2026-03-02T00:00:00+01:00',
      '2026-03-02T02:00:00+01:00',
      'hour',
      '2026-03-01T23',
      '2026-03-02T01',
    ],
  ] as const)('%s', (_name, from, to, granularity, fromHour, toHour) => {
    expect(reportWindow(from, to, granularity)).toEqual({ fromHour, toHour });
  });

  it.each([
    ['from after to', '2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z', 'day', 'invalid_period'],
    ['an empty period', '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z', 'hour', 'invalid_period'],
    ['32 days by the hour', '2026-01-01T00:00:00Z', '2026-02-02T00:00:01Z', 'hour', 'period_too_long'],
    ['401 days by the day', '2026-01-01T00:00:00Z', '2027-02-06T00:00:00Z', 'day', 'period_too_long'],
  ] as const)('refuses %s', (_name, from, to, granularity, code) => {
    expect(codeOf(() => reportWindow(from, to, granularity))).toBe(code);
  });
});

describe('report figures and cursors', () => {
  it('average basket rounds half up and is null without sales', () => {
    expect(averageBasket(1001, 2)).toBe(501);
    expect(averageBasket(1000, 3)).toBe(333);
    expect(averageBasket(0, 0)).toBeNull();
  });

  it('a cursor gives back the key it was made from, and a foreign one is refused', () => {
    const key = ['2026-03-02', 'pos', 'store-a', 'EUR'];
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(codeOf(() => decodeCursor('bm9wZQ'))).toBe('invalid_cursor');
    expect(codeOf(() => decodeCursor(encodeCursor(['a', 'b', 'c\u0000', 'd'])))).toBe('invalid_cursor');
  });
});
