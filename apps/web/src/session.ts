import {
  fetchHttp,
  indexedDbStorage,
  openTerminal,
  type HttpPort,
  type Terminal,
  type TerminalStorage,
} from '@tillstream/pos-client/browser';
import { serverApi, type ServerApi } from './api.js';
import type { TillConfig } from './config.js';

/**
 * What the screens work with: the SDK's terminal (sales, returns, shifts, all queued durably), its storage and
 * HTTP port (so the returns screen reads a receipt exactly as the SDK will check it), and the server's reports.
 */
export interface Session {
  terminal: Terminal;
  /** The store this till belongs to (a manager's store-wide views are of it). */
  storeId: string;
  storage: TerminalStorage;
  http: HttpPort;
  api: ServerApi;
}

/**
 * Opens the SDK for this browser's terminal: its queue in IndexedDB (asked to be persistent, so the browser
 * does not evict it under disk pressure), Web Locks so two tabs never sync at once nor hand out one receipt
 * number twice, and a look at the queue whenever the browser says the network is back.
 */
export async function openSession(config: TillConfig): Promise<Session> {
  void navigator.storage?.persist?.();
  const locks = navigator.locks;
  const storage = await indexedDbStorage(indexedDB, `tillstream-pos-${config.terminalId}`);
  const http = fetchHttp({ baseUrl: location.origin, apiKey: config.apiKey, timeoutMs: 8000 });
  const terminal = await openTerminal({
    terminalId: config.terminalId,
    storeId: config.storeId,
    currency: config.currency,
    storage,
    http,
    backoff: { baseMs: 500, maxMs: 15_000 },
    refreshIntervalMs: 15_000,
    ...(locks
      ? { withLock: <T>(name: string, fn: () => Promise<T>) => locks.request(name, fn) as Promise<T> }
      : {}),
  });
  window.addEventListener('online', () => terminal.wake());
  await terminal.refresh().catch(() => undefined);
  terminal.start();
  return { terminal, storeId: config.storeId, storage, http, api: serverApi(http, config.terminalId) };
}
