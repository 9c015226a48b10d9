import { describe, expect, it } from 'vitest';
import { listedEntityTags, noneMatchHits } from './conditional.js';

describe('whether If-None-Match matches an ETag ("c2-7")', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['"c2-7"', true],
    ['W/"c2-7"', true],
    ['"c1-3", "c2-7"', true],
    ['"c1-3","c2-7"', true],
    ['"c1-3"', false],
    ['"c2-77"', false],
    ['*', true],
    ['c2-7', false],
  ] as const)('If-None-Match %s: %s', (header, expected) => {
    expect(noneMatchHits(header, '"c2-7"')).toBe(expected);
  });

  it('matches a weak ETag of its own by the weak comparison', () => {
    expect(noneMatchHits('"c2-7"', 'W/"c2-7"')).toBe(true);
  });

  it('reads a tag with a comma inside whole', () => {
    expect(listedEntityTags('"a,b", W/"c"')).toEqual(['"a,b"', 'W/"c"']);
    expect(noneMatchHits('"a,b"', '"a,b"')).toBe(true);
    expect(noneMatchHits('"a,b"', '"b"')).toBe(false);
  });
});
