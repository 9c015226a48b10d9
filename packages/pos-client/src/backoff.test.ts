import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5000 };
  it.each([
    { failures: 1, low: 50, high: 100 },
    { failures: 2, low: 100, high: 200 },
    { failures: 4, low: 400, high: 800 },
    { failures: 10, low: 2500, high: 5000 },
    { failures: 1000, low: 2500, high: 5000 },
  ])('after $failures failure(s) waits between $low and $high ms', ({ failures, low, high }) => {
    expect(backoffDelay(failures, options, () => 0)).toBe(low);
    expect(backoffDelay(failures, options, () => 1)).toBe(high);
  });
});
