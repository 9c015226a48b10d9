import { describe, expect, it } from 'vitest';
import { tillHasSnapshot } from './if-none-match.js';

describe('whether a till already has the pricing snapshot POS holds (v5)', () => {
  it.each([
    ['no header', undefined, false],
    ['an empty header', '', false],
    ['the same version', '"5"', true],
    ['a newer version another POS instance served', '"6"', true],
    ['an older version', '"4"', false],
    ['the same version, weakened by a proxy', 'W/"5"', true],
    ['an older version, weakened by a proxy', 'W/"4"', false],
    ['a list naming a newer version', '"3", W/"7"', true],
    ['a list of older versions only', '"3","4"', false],
    ['any representation', '*', true],
    ['an unquoted version (not an entity tag)', '5', false],
    ['a tag that is not a version', '"c1-5"', false],
    ['a version with a sign', '"+6"', false],
    ['a very large version', '"99999999999999999999"', true],
  ] as const)('given %s: %s', (_label, header, expected) => {
    expect(tillHasSnapshot(header, 5)).toBe(expected);
  });
});
