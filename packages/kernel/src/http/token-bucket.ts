/**
 * A token bucket per client: it holds up to `perMinute` tokens, refills at `perMinute` a minute, and each
 * request takes one. A client may burst up to the whole minute's allowance and then goes at the refill rate;
 * unlike a fixed window, no client gets twice the allowance across a window's edge.
 */
export interface Bucket {
  tokens: number;
  /** When `tokens` was counted. */
  atMs: number;
}

export interface Take {
  allowed: boolean;
  bucket: Bucket;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When the next token arrives, for a refused request (0 when allowed). */
  retryAfterMs: number;
  /** When the bucket is full again: until then the client's history still counts. */
  fullInMs: number;
}

const MINUTE_MS = 60_000;

/** The bucket's tokens at `nowMs`: a bucket never seen, or untouched long enough, is full. */
export function tokensAt(bucket: Bucket | undefined, nowMs: number, perMinute: number): number {
  if (!bucket) return perMinute;
  const refilled = bucket.tokens + (Math.max(0, nowMs - bucket.atMs) * perMinute) / MINUTE_MS;
  return Math.min(perMinute, refilled);
}

/** Takes one token for a request at `nowMs`, or refuses it when less than one is left. */
export function takeToken(bucket: Bucket | undefined, nowMs: number, perMinute: number): Take {
  const available = tokensAt(bucket, nowMs, perMinute);
  const allowed = available >= 1;
  const tokens = allowed ? available - 1 : available;
  const msPerToken = MINUTE_MS / perMinute;
  return {
    allowed,
    bucket: { tokens, atMs: nowMs },
    remaining: Math.floor(tokens),
    retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) * msPerToken),
    fullInMs: Math.ceil((perMinute - tokens) * msPerToken),
  };
}
