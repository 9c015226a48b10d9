import { describe, expect, it } from 'vitest';
import { packCursor, unpackCursor } from './cursor.js';

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
  ])('refuse %s', (_what, cursor) => {
    expect(unpackCursor(cursor)).toBeNull();
  });
});
