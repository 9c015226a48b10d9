import { backoffDelay, type BackoffOptions } from './backoff.js';
import {
  drainQueue,
  isTransient,
  SyncUnavailableError,
  type SyncDeps,
  type SyncOutcome,
} from './sync.engine.js';

export interface SyncLoopOptions {
  batchSize: number;
  backoff: BackoffOptions;
  /** While idle, how often to look again (and refresh the catalog), in milliseconds. */
  idleMs: number;
  random: () => number;
  /** Runs the upload holding a lock, so two tabs or processes of one terminal never upload at once. */
  withLock: <T>(fn: () => Promise<T>) => Promise<T>;
  onPass: (pass: {
    outcome: SyncOutcome | null;
    error: unknown;
    online: boolean | null;
    /** The server answered, and refused this terminal's key (401, 403): nothing syncs until it has its own. */
    keyRefused: boolean;
  }) => void;
  onIdle: () => Promise<void>;
}

/**
 * The background uploader: drains the queue while it makes progress; after a failure (offline, timeout, server
 * down) waits with exponential backoff and jitter; while idle wakes on `wake()` (a new sale) or every `idleMs`.
 */
export function createSyncLoop(deps: SyncDeps, options: SyncLoopOptions) {
  let running = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeUp: (() => void) | undefined;
  let finished: Promise<void> = Promise.resolve();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wakeUp = undefined;
    });

  async function pass(): Promise<SyncOutcome | null> {
    try {
      const outcome = await options.withLock(() => drainQueue(deps, options.batchSize));
      const progressed = outcome.accepted + outcome.duplicate + outcome.quarantined > 0;
      failures = outcome.retryable > 0 && !progressed ? failures + 1 : 0;
      options.onPass({ outcome, error: null, online: true, keyRefused: false });
      if (outcome.sent === 0) await options.onIdle();
      return outcome;
    } catch (error) {
      failures += 1;
      const keyRefused =
        error instanceof SyncUnavailableError && (error.status === 401 || error.status === 403);
      // A refused key is an answer: the till is online, and says so rather than "Offline".
      const online = keyRefused ? true : isTransient(error) ? false : null;
      options.onPass({ outcome: null, error, online, keyRefused });
      return null;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      await pass();
      if (!running) return;
      const pending = (await deps.storage.counts()).pending;
      await sleep(
        failures > 0
          ? backoffDelay(failures, options.backoff, options.random)
          : pending > 0
            ? 0
            : options.idleMs,
      );
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      finished = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await finished;
    },
    /** Something was queued, or the network came back: look now, unless a backoff is running after failures. */
    wake(force = false) {
      if (force) failures = 0;
      if (failures === 0 || force) wakeUp?.();
    },
    /** One pass now, whatever the loop is doing (it shares the lock). */
    once: pass,
  };
}
