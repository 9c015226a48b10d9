import type { Transaction } from './wire.js';

export type QueueStatus = 'pending' | 'synced' | 'quarantined';

/** A transaction in the terminal's durable queue. */
export interface QueuedTransaction {
  id: string;
  transaction: Transaction;
  status: QueueStatus;
  /** Uploads tried so far. */
  attempts: number;
  createdAt: string;
  syncedAt?: string;
  /** Why the server refused it for good (quarantined) or, while pending, why the last try failed. */
  error?: { code: string; detail: string };
}

export interface Settlement {
  id: string;
  status: QueueStatus;
  attempts: number;
  syncedAt?: string;
  error?: { code: string; detail: string };
}

/**
 * The terminal's local store: an append-only queue of transactions plus a little state (shift, counters,
 * catalog, pricing snapshot). Every method that writes commits durably before it resolves, so a sale the
 * SDK confirmed survives a crash, a power cut or a reload. Adapters: SQLite (Node), IndexedDB (browser).
 */
export interface TerminalStorage {
  /** Appends transactions and sets state keys in one atomic, durable commit. */
  commit(change: {
    append?: readonly QueuedTransaction[];
    state?: Readonly<Record<string, unknown>>;
  }): Promise<void>;
  /** The oldest pending transactions, in the order they were appended. */
  pending(limit: number): Promise<QueuedTransaction[]>;
  /** Records what the server said about sent transactions, in one commit. */
  settle(settlements: readonly Settlement[]): Promise<void>;
  counts(): Promise<Record<QueueStatus, number>>;
  /** Most recent first. */
  recent(limit: number, status?: QueueStatus): Promise<QueuedTransaction[]>;
  find(id: string): Promise<QueuedTransaction | null>;
  get<T>(key: string): Promise<T | undefined>;
  close(): Promise<void>;
}
