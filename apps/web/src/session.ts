import { fetchHttp, indexedDbStorage, openTerminal, type Terminal } from '@tillstream/pos-client/browser';
import type { TillConfig } from './config.js';

/**
 * Opens the SDK for this browser's terminal: its queue in IndexedDB (asked to be persistent, so the browser
 * does not evict it under disk pressure), uploads guarded by a Web Lock so two tabs never sync at once, and a
 * look at the queue whenever the browser says the network is back.
 */
export async function openSession(config: TillConfig): Promise<Terminal> {
  void navigator.storage?.persist?.();
  const locks = navigator.locks;
  const terminal = await openTerminal({
    terminalId: config.terminalId,
    storeId: config.storeId,
    currency: config.currency,
    storage: await indexedDbStorage(indexedDB, `tillstream-pos-${config.terminalId}`),
    http: fetchHttp({ baseUrl: location.origin, apiKey: config.apiKey, timeoutMs: 8000 }),
    backoff: { baseMs: 500, maxMs: 15_000 },
    refreshIntervalMs: 15_000,
    ...(locks
      ? { withLock: <T>(name: string, fn: () => Promise<T>) => locks.request(name, fn) as Promise<T> }
      : {}),
  });
  window.addEventListener('online', () => terminal.wake());
  await terminal.refresh().catch(() => undefined);
  terminal.start();
  return terminal;
}
