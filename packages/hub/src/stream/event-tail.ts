import type { Wakeup } from '@tillstream/kernel';
import { type Db, type Logger } from '@tillstream/kernel';
import { logHead } from '../events/event-log.reader.js';

export interface EventTail {
  /** Wakes `listener` whenever the log grows; returns how to stop. */
  follow(listener: Wakeup): () => void;
  close(): void;
}

/**
 * One poll of the log head per process, shared by every live stream, and only while one is open: a thousand
 * tails cost one cheap query per interval, not a thousand. The poll also sees events indexed by other hub
 * instances, which no in-process signal could.
 */
export function createEventTail(db: Db, options: { pollIntervalMs: number; logger: Logger }): EventTail {
  const listeners = new Set<Wakeup>();
  let head = -1;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const current = await logHead(db);
      if (current !== head) {
        head = current;
        for (const listener of listeners) listener.wake();
      }
    } catch (error) {
      options.logger.warn({ err: error }, 'event tail poll failed');
    } finally {
      polling = false;
    }
  }

  function stopPolling(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    follow(listener) {
      listeners.add(listener);
      if (!timer) {
        timer = setInterval(() => void poll(), options.pollIntervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopPolling();
      };
    },
    close() {
      listeners.clear();
      stopPolling();
    },
  };
}
