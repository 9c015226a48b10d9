/**
 * Conditional requests (RFC 9110 §13.1.2): every context answers `If-None-Match` the same way, so one reading
 * of the header lives here.
 */

/**
 * The entity tags an `If-None-Match` header lists, `*` included. Tags are matched whole rather than split on
 * commas, because a comma is a legal character inside a quoted tag; anything that is not a tag (an unquoted
 * value, say) is ignored, so it never matches.
 */
export function listedEntityTags(header: string | undefined): string[] {
  return header?.match(/\*|(?:W\/)?"[^"]*"/g) ?? [];
}

/** A tag without its weak marker: If-None-Match compares weakly, so a `W/` a proxy added still matches. */
export const opaqueTag = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** Whether `If-None-Match` matches `etag`: `*`, or any listed tag by the weak comparison. */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  return listedEntityTags(header).some((tag) => tag === '*' || opaqueTag(tag) === opaqueTag(etag));
}
