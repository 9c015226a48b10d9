import { describe, expect, it } from 'vitest';
import { isCursorInstant, packCursor, unpackCursor } from './cursor.js';

describe('page cursors', () => {
  it('give back the key they pack, strings and numbers alike', () => {
    const key = ['2026-12-04T10:00:00.000Z', 'SKU-1', 1250, 'ünï/cødé'];
    expect(unpackCursor(packCursor(key))).toEqual(key);
  });

  it.each([
    ['not base64url JSON', '!!!'],
    ['JSON that is no array', Buffer.from('{"a":1}').toString('base64url')],
    ['an array holding more than strings and numbers', Buffer.from('[null,true]').toString('base64url')],
    ['a number alone, as the old entry-number cursors were', '42'],
    ['another spelling of a packed key (padding)', `${packCursor(['a'])}==`],
    ['the empty string', ''],
    // PostgreSQL cannot take either in a query's text (a 500 where a list compared with it).
    ['a part holding U+0000', packCursor(['2026-01-01T00:00:00.000Z', 'a\u0000'])],
    ['a part holding a lone surrogate', packCursor(['\ud800'])],
  ])('refuse %s', (_what, cursor) => {
    expect(unpackCursor(cursor)).toBeNull();
  });

  it('tell an instant as lists hand it out from anything else in its place', () => {
    expect(isCursorInstant('2026-12-04T10:00:00.000Z')).toBe(true);
    for (const forged of ['hello', '2026-02-30T00:00:00.000Z', '2026-12-04T10:00:00Z', 42, ''])
      expect(isCursorInstant(forged)).toBe(false);
  });
});
