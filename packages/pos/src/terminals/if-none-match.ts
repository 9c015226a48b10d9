import { listedEntityTags, opaqueTag } from '@tillstream/kernel';

/**
 * Whether a till's `If-None-Match` says it already has pricing snapshot `heldVersion` or a newer one (ETags are
 * the version in quotes). Behind a load balancer a till may have been served a newer version by another POS
 * instance than the one it now asks: answering 304 lets it keep that copy instead of going back to older prices.
 * Tags that are not a version (another resource's ETag) never match; `*` matches since POS has a snapshot.
 */
export function tillHasSnapshot(header: string | undefined, heldVersion: number): boolean {
  return listedEntityTags(header).some((tag) => {
    if (tag === '*') return true;
    const digits = /^"(\d+)"$/.exec(opaqueTag(tag))?.[1];
    return digits !== undefined && Number(digits) >= heldVersion;
  });
}
