/**
 * Opaque page cursors: the last row's key as base64url of a JSON array. Opaque so that a list can change what
 * its key holds without breaking callers; every keyset-paged list spells its `next` the same way.
 */

export type CursorKey = ReadonlyArray<string | number>;

export function packCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key a cursor packs, or null when it is not a cursor `packCursor` wrote. Only that exact spelling counts:
 * base64url decodes leniently (padding, stray characters), and a cursor is compared as it was given. What each
 * part of the key must be is the list's own business.
 */
export function unpackCursor(cursor: string): unknown[] | null {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || !key.every((part) => typeof part === 'string' || typeof part === 'number'))
    return null;
  return packCursor(key) === cursor ? key : null;
}
