import type { Tx } from '@tillstream/kernel';

/**
 * Taken by every transaction that adds to the hub log, prunes it or enqueues deliveries (PostgreSQL; SQLite
 * has one writer). It makes log positions commit in order, keeps two enqueues for one key from both finding
 * it idle, and keeps a delivery from being enqueued for an event that pruning is removing.
 */
export const HUB_WRITE_LOCK = 'tillstream_hub_events';

export async function lockHubWrites(tx: Tx): Promise<void> {
  if (tx.dialect === 'postgres')
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [HUB_WRITE_LOCK]);
}
