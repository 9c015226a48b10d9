/**
 * The entity tags an `If-None-Match` header lists, `*` included (RFC 9110 §13.1.2). Tags are matched whole
 * rather than split on commas, because a comma is a legal character inside a quoted tag; anything that is not a
 * tag (an unquoted value, say) is ignored, so it never matches.
 */
function listedTags(header: string | undefined): string[] {
  return header?.match(/\*|(?:W\/)?"[^"]*"/g) ?? [];
}

/** A tag without its weak marker: If-None-Match compares weakly, so a `W/` a proxy added still matches. */
const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** Whether `If-None-Match` matches `etag`: `*`, or any listed tag by the weak comparison. */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  return listedTags(header).some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}

/**
 * Whether a till's `If-None-Match` says it already has pricing snapshot `heldVersion` or a newer one (ETags are
 * the version in quotes). Behind a load balancer a till may have been served a newer version by another POS
 * instance than the one it now asks: answering 304 lets it keep that copy instead of going back to older prices.
 * Tags that are not a version (another resource's ETag) never match; `*` matches since POS has a snapshot.
 */
export function tillHasSnapshot(header: string | undefined, heldVersion: number): boolean {
  return listedTags(header).some((tag) => {
    if (tag === '*') return true;
    const digits = /^"(\d+)"$/.exec(opaque(tag))?.[1];
    return digits !== undefined && Number(digits) >= heldVersion;
  });
}
