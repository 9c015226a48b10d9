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
    expect(decodeCursor(packCursor(key))).toEqual(key);
    expect(codeOf(() => decodeCursor('bm9wZQ'))).toBe('invalid_cursor');
    expect(codeOf(() => decodeCursor(packCursor(['a', 'b', 'c\u0000', 'd'])))).toBe('invalid_cursor');
  });
});
