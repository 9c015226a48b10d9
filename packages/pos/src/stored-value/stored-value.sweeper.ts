import { periodicJob, type Clock, type Logger } from '@tillstream/kernel';

const BATCH = 100;

type Expire = (limit: number, now: Date) => Promise<{ found: number; expired: number }>;

/**
 * Every `intervalMs`, gives back gift card and store credit holds that expired unclaimed (the till that placed
 * one crashed, or lost its record, before its sale was stored), then lapses the value of cards past their
 * expiry. Safe on any number of POS instances: each hold moves out of `held` by a conditional update under its
 * row lock, and each card is checked again under its row lock, so exactly one of them changes it.
 */
export function createStoredValueSweeper(deps: {
  expireHolds: Expire;
  lapseCards: Expire;
  clock: Clock;
  intervalMs: number;
  logger: Logger;
}) {
  /** Runs `expire` until nothing due at `now` is left; returns how many it changed. */
  const drain = async (expire: Expire, now: Date): Promise<number> => {
    let total = 0;
    // A full batch that made progress means more may be due: keep going rather than wait a whole interval.
    for (;;) {
      const { found, expired } = await expire(BATCH, now);
      total += expired;
      if (found < BATCH || expired === 0) return total;
    }
  };
  /**
   * Holds first: one given back to a card past its expiry then lapses in the same sweep. Both at one instant,
   * so that a hold due by then is always back before its card lapses, however long the first part takes.
   */
  const sweep = async (): Promise<number> => {
    const now = deps.clock.now();
    return (await drain(deps.expireHolds, now)) + (await drain(deps.lapseCards, now));
  };

  const job = periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'gift card hold sweep failed; retrying next interval',
  });
  return { sweep, start: job.start, stop: job.stop };
}
