import { periodicJob, type Logger } from '@tillstream/kernel';

const BATCH = 100;

/**
 * Releases holds past their expiry every `intervalMs`. Safe on any number of ERP instances: each expiry is a
 * conditional update from `held` under the reservation's locks, so only one instance expires a given hold and
 * the others find nothing left to do.
 */
export function createHoldSweeper(deps: {
  expireDue: (limit: number) => Promise<{ found: number; expired: number; failures: unknown[] }>;
  intervalMs: number;
  logger: Logger;
}) {
  const sweep = async () => {
    // A full batch that made progress means more may be due: keep going rather than wait a whole interval.
    for (;;) {
      const { found, expired, failures } = await deps.expireDue(BATCH);
      for (const error of failures)
        deps.logger.warn({ err: error }, 'a hold could not be expired; retrying later');
      if (found < BATCH || expired === 0) return;
    }
  };

  return periodicJob(sweep, {
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failure: 'hold sweep failed; retrying next interval',
  });
}
