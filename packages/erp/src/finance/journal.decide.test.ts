import { describe, expect, it } from 'vitest';
import { taxInside } from './journal.decide.js';

describe('taxInside', () => {
  it('takes an included tax out half up, and nothing out of nothing', () => {
    expect(taxInside(2178, 210_000)).toBe(378);
    expect(taxInside(999, 190_000)).toBe(160);
    expect(taxInside(0, 210_000)).toBe(0);
    expect(taxInside(500, null)).toBe(0);
  });
});
