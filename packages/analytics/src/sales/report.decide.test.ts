import { describe, expect, it } from 'vitest';
import { packCursor } from '@tillstream/kernel';
import { averageBasket, decodeCursor } from './report.decide.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return null;
};

describe('report figures and cursors', () => {
  it('average basket rounds half up and is null without sales', () => {
    expect(averageBasket(1001, 2)).toBe(501);
    expect(averageBasket(1000, 3)).toBe(333);
    expect(averageBasket(0, 0)).toBeNull();
  });

  it('a cursor gives back the key it was made from, and a foreign one is refused', () => {
    const key = ['2026-03-02T05:00', 'pos', 'store-a', 'EUR'];
    const starts = ['2026-03-02T04:00', '2026-03-02T05:00'];
    expect(decodeCursor(packCursor(key), starts)).toEqual(key);
    expect(codeOf(() => decodeCursor('bm9wZQ', starts))).toBe('invalid_cursor');
    expect(codeOf(() => decodeCursor(packCursor(['a', 'b', 'c\u0000', 'd']), starts))).toBe('invalid_cursor');
    // Well formed but no period of this report: forged, or of a report of other dates or another zone.
    expect(codeOf(() => decodeCursor(packCursor(['a', 'b', 'c', 'd']), starts))).toBe('invalid_cursor');
    expect(codeOf(() => decodeCursor(packCursor(key), ['2026-03-03T05:00']))).toBe('invalid_cursor');
  });
});
