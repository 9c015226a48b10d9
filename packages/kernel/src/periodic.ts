import type { Logger } from './logger.js';

/**
 * Runs `run` every `intervalMs` once started, one run at a time: a tick that finds the last run still going
 * skips. A failed run is logged with `failure` and tried again at the next interval; stop() waits for the run
 * in flight. The timer never keeps the process alive.
 */
export function periodicJob(
  run: () => Promise<unknown>,
  options: { intervalMs: number; logger: Logger; failure: string },
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const tick = () => {
    if (running) return;
    running = run()
      .then(() => undefined)
      .catch((error: unknown) => options.logger.warn({ err: error }, options.failure))
      .finally(() => (running = null));
  };

  return {
    start() {
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
