/**
 * Opaque page cursors: the last row's key as base64url of a JSON array. Opaque so that a list can change what
 * its key holds without breaking callers; every keyset-paged list spells its `next` the same way.
 */

import { isUnstorableText } from './validation.js';

export type CursorKey = ReadonlyArray<string | number>;

export function packCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key a cursor packs, or null when it is not a cursor `packCursor` wrote. Only that exact spelling counts:
 * base64url decodes leniently (padding, stray characters), and a cursor is compared as it was given. What each
 * part of the key must be is the list's own business, but no part may hold text the request validator would
 * have refused in a body (U+0000, a lone surrogate): base64 would smuggle it past that check into a query,
 * where PostgreSQL fails the statement.
 */
export function unpackCursor(cursor: string): unknown[] | null {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || !key.every(isCursorPart)) return null;
  return packCursor(key) === cursor ? key : null;
}

const isCursorPart = (part: unknown) =>
  (typeof part === 'string' && !isUnstorableText(part)) || typeof part === 'number';

/**
 * Whether a cursor part is an instant exactly as a list hands it out (`toISOString`): a forged `2026-02-30…` or
 * `hello` would otherwise compare as text and silently skip rows, where the caller should hear 400.
 */
export function isCursorInstant(part: unknown): part is string {
  if (typeof part !== 'string') return false;
  const at = new Date(part);
  return !Number.isNaN(at.getTime()) && at.toISOString() === part;
}
