import { describe, expect, it } from 'vitest';
import { adjustmentTime } from './adjustment.decide.js';

describe('the business time of an adjustment', () => {
  const now = new Date('2026-11-01T11:00:00.000Z');

  it.each([
    ['late paperwork from long ago', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['an hour ago', '2026-11-01T10:00:00+00:00', '2026-11-01T10:00:00.000Z'],
    ['a device clock a minute ahead', '2026-11-01T11:01:00Z', '2026-11-01T11:01:00.000Z'],
  ])('keeps %s', (_name, occurredAt, expected) => {
    expect(adjustmentTime(occurredAt, now)).toBe(expected);
  });

  it.each([
    ['just over a minute ahead', '2026-11-01T11:01:00.001Z'],
    ['in the year 9999', '9999-12-31T00:00:00Z'],
  ])('refuses a date %s', (_name, occurredAt) => {
    expect(() => adjustmentTime(occurredAt, now)).toThrow(
      expect.objectContaining({ code: 'adjustment_in_future' }),
    );
  });
});
