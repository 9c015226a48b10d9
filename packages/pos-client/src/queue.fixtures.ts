import type { QueuedTransaction } from './storage.port.js';

/** A pending queue entry for tests: a shift opening, the smallest valid transaction a till sends. */
export const queued = (id: string): QueuedTransaction => ({
  id,
  transaction: {
    type: 'shift_open',
    id,
    terminalId: 'T1',
    storeId: 'S1',
    seq: 1,
    currency: 'EUR',
    openedAt: '2026-11-01T08:00:00Z',
    openingFloat: 0,
  },
  status: 'pending',
  attempts: 0,
  createdAt: '2026-11-01T08:00:00Z',
});
