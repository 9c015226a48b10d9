import type { QueueStatus, QueuedTransaction, Settlement, TerminalStorage } from './storage.port.js';

/**
 * Storage in memory: not durable, for tests and demos only. It is the reference for what the durable adapters
 * must do: structured copies in and out, so nothing a caller holds can change what is stored.
 */
export function memoryStorage(): TerminalStorage {
  const queue: QueuedTransaction[] = [];
  const state = new Map<string, unknown>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async commit(change) {
      for (const entry of change.append ?? []) {
        if (queue.some((existing) => existing.id === entry.id))
          throw new Error(`duplicate transaction ${entry.id}`);
      }
      for (const entry of change.append ?? []) queue.push(copy(entry));
      for (const [key, value] of Object.entries(change.state ?? {})) state.set(key, copy(value));
    },
    async pending(limit) {
      return copy(queue.filter((entry) => entry.status === 'pending').slice(0, limit));
    },
    async settle(settlements: readonly Settlement[]) {
      for (const settlement of settlements) {
        const entry = queue.find((candidate) => candidate.id === settlement.id);
        if (entry) Object.assign(entry, copy(settlement));
      }
    },
    async counts() {
      const counts: Record<QueueStatus, number> = { pending: 0, synced: 0, quarantined: 0 };
      for (const entry of queue) counts[entry.status] += 1;
      return counts;
    },
    async recent(limit, status) {
      return copy(
        queue
          .filter((entry) => status === undefined || entry.status === status)
          .slice(-limit)
          .reverse(),
      );
    },
    async find(id) {
      return copy(queue.find((entry) => entry.id === id) ?? null);
    },
    async get<T>(key: string) {
      return copy(state.get(key) as T | undefined);
    },
    async close() {},
  };
}
