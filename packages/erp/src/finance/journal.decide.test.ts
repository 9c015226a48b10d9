import { describe, expect, it } from 'vitest';
import { shareOf, taxInside } from './journal.decide.js';

describe('tax arithmetic', () => {
  it('takes an included tax out half up, and nothing out of nothing', () => {
    expect(taxInside(2178, 210_000)).toBe(378);
    expect(taxInside(999, 190_000)).toBe(160);
    expect(taxInside(0, 210_000)).toBe(0);
    expect(taxInside(500, null)).toBe(0);
  });

  it('shares a whole out on the running total, so the parts add up to it', () => {
    // 3 units carrying 2 cents of tax, returned one at a time: 1 + 0 + 1, not 1 + 1 + 1.
    const parts = [0, 1, 2].map((done) => shareOf(2, 3, done, 1));
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(2);
    expect(shareOf(378, 2178, 0, 2178)).toBe(378);
    expect(shareOf(52, 300, 0, 100) + shareOf(52, 300, 100, 100) + shareOf(52, 300, 200, 100)).toBe(52);
  });
});
