import { periodicJob, type Logger } from '@tillstream/kernel';

const BATCH = 100;

/**
 * Gives back gift card and store credit holds that expired unclaimed, every `intervalMs`: the till that placed
 * one crashed (or lost its record) before its sale was stored. Safe on any number of POS instances: each hold
 * moves out of `held` by a conditional update under its row lock, so exactly one of them credits it back.
 */
export function createStoredValueSweeper(deps: {
  expireDue: (limit: number) => Promise<{ found: number; expired: number }>;
  intervalMs: number;
  logger: Logger;
}) {
  /** Runs until no expired hold is left; returns how many went back to their cards. */
  const sweep = async (): Promise<number> => {
    let total = 0;
    // A full batch that made progress means more may be due: keep going rather than wait a whole interval.
    for (;;) {
      const { found, expired } = await deps.expireDue(BATCH);
      total += expired;
      if (found < BATCH || expired === 0) return total;
    }
  };

  const job = periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'gift card hold sweep failed; retrying next interval',
  });
  return { sweep, start: job.start, stop: job.stop };
}
