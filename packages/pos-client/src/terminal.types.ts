import type { BackoffOptions } from './backoff.js';
import type { PricedCart } from './cart.js';
import type { HttpPort } from './http.port.js';
import type { TerminalStorage } from './storage.port.js';
import type { CrossTabLock } from './terminal.lock.js';
import type { SaleTransaction } from './wire.js';

export interface TerminalOptions {
  terminalId: string;
  storeId: string;
  currency: string;
  storage: TerminalStorage;
  http: HttpPort;
  /** Uploads per request (default 50). */
  batchSize?: number;
  /** Retry delays after a failed upload (default 500 ms doubling to 30 s, with jitter). */
  backoff?: BackoffOptions;
  /** While idle, how often to look for work and refresh catalog and prices (default 15 s). */
  refreshIntervalMs?: number;
  /** Clock, id and randomness ports; defaults are the system's. */
  now?: () => Date;
  newId?: () => string;
  random?: () => number;
  /**
   * Card payments taken while the server cannot be reached, minor units: at most `perSale` in one sale, and at
   * most `total` outstanding on this terminal (offline card payments in sales not yet synced): the floor limit
   * the store accepts the risk of. Default 10_000 per sale and 50_000 in total.
   */
  offlineCardLimits?: OfflineCardLimits;
  /**
   * Cross-tab lock (e.g. `navigator.locks`), for every tab or process that opens this terminal on one storage:
   * one uploads at a time, and receipt numbers and shifts are handed out one at a time from the stored
   * counters. Default: in this process only.
   */
  withLock?: CrossTabLock;
}

export interface OfflineCardLimits {
  perSale: number;
  total: number;
  /**
   * Hours from the oldest offline card payment the server has not acknowledged during which more may be taken
   * (default 24): acquirers decline offline payments uploaded later, so past it the till stops adding to them.
   */
  windowHours?: number;
}

/** The shift the terminal has open. */
export interface OpenShift {
  id: string;
  seq: number;
  openedAt: string;
  openingFloat: number;
  /** Receipts printed in it so far. */
  receipts: number;
}

/** What the till prints: the sale as queued, with the change to hand back. */
export interface Receipt {
  sale: SaleTransaction;
  priced: PricedCart;
  change: number;
}

export interface TerminalStatus {
  /** Last contact: true after an answer, false after a failed request, null before any. */
  online: boolean | null;
  pending: number;
  synced: number;
  quarantined: number;
  lastSyncAt: string | null;
  lastError: string | null;
  /**
   * The last upload's answer refused this terminal's key (401, 403; e.g. after a rotation): the queue is kept,
   * and nothing syncs until the terminal is given its current key.
   */
  keyRefused: boolean;
  snapshotVersion: number | null;
  catalogSize: number;
  /** The store's cash rounding, minor units, as last downloaded; null: it does not round. */
  cashRoundingIncrement: number | null;
  shift: OpenShift | null;
}
