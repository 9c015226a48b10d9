/** Time is passed into domain code through this port; nothing below the composition root calls Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move by hand. */
export function manualClock(
  start: Date | string,
): Clock & { advance(ms: number): void; set(at: Date | string): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = new Date(at).getTime();
    },
  };
}

/**
 * An instant as the API takes it (any offset), as stores keep it: in UTC, so instants compare as text in either
 * database, and one instant written two ways is one request to an idempotency fingerprint.
 */
export const utcInstant = (at: string): string => new Date(at).toISOString();
