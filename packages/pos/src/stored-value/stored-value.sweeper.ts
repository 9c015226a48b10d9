import { periodicJob, type Logger } from '@tillstream/kernel';

const BATCH = 100;

type Expire = (limit: number) => Promise<{ found: number; expired: number }>;

/**
 * Every `intervalMs`, gives back gift card and store credit holds that expired unclaimed (the till that placed
 * one crashed, or lost its record, before its sale was stored), then lapses the value of cards past their
 * expiry. Safe on any number of POS instances: each hold moves out of `held` by a conditional update under its
 * row lock, and each card is checked again under its row lock, so exactly one of them changes it.
 */
export function createStoredValueSweeper(deps: {
  expireHolds: Expire;
  lapseCards: Expire;
  intervalMs: number;
  logger: Logger;
}) {
  /** Runs `expire` until nothing due is left; returns how many it changed. */
  const drain = async (expire: Expire): Promise<number> => {
    let total = 0;
    // A full batch that made progress means more may be due: keep going rather than wait a whole interval.
    for (;;) {
      const { found, expired } = await expire(BATCH);
      total += expired;
      if (found < BATCH || expired === 0) return total;
    }
  };
  /** Holds first: one given back to a card past its expiry then lapses in the same sweep. */
  const sweep = async (): Promise<number> => (await drain(deps.expireHolds)) + (await drain(deps.lapseCards));

  const job = periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'gift card hold sweep failed; retrying next interval',
  });
  return { sweep, start: job.start, stop: job.stop };
}
