export interface BackoffOptions {
  /** First retry delay, in milliseconds. */
  baseMs: number;
  /** Longest delay, in milliseconds. */
  maxMs: number;
}

/**
 * The delay before retry number `failures` (1, 2, …): exponential up to `maxMs`, with "equal jitter" (half
 * fixed, half random), so terminals coming back online together do not hit the server in lockstep.
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(cap / 2 + random() * (cap / 2));
}
