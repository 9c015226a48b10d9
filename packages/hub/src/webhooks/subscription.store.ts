import { rowLock, type Db, type Tx } from '@tillstream/kernel';
import type { DisabledReason, Subscription, WebhookStatus } from './subscription.decide.js';

interface SubscriptionRow {
  id: string;
  url: string;
  events: string;
  description: string | null;
  status: WebhookStatus;
  disabled_reason: DisabledReason | null;
  disabled_at: string | null;
  failing_since: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  version: number | string;
  created_at: string;
  updated_at: string;
}

const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  description: row.description,
  status: row.status,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at,
  failingSince: row.failing_since,
  secret: row.secret,
  previousSecret: row.previous_secret,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  version: Number(row.version),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const values = (s: Subscription) => [
  s.id,
  s.url,
  JSON.stringify(s.events),
  s.description,
  s.status,
  s.disabledReason,
  s.disabledAt,
  s.failingSince,
  s.secret,
  s.previousSecret,
  s.previousSecretExpiresAt,
  s.version,
  s.createdAt,
  s.updatedAt,
];

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** The subscriptions table; secrets are kept as given (HMAC signing needs them), never listed by the API. */
export const subscriptionStore = {
  async find(reader: Reader, id: string): Promise<Subscription | null> {
    const rows = await reader.query<SubscriptionRow>('SELECT * FROM webhook_subscriptions WHERE id = $1', [
      id,
    ]);
    return rows[0] ? toSubscription(rows[0]) : null;
  },

  /** Reads and locks the row for a read-modify-write (PostgreSQL; SQLite has one writer anyway). */
  async findForUpdate(tx: Tx, id: string): Promise<Subscription | null> {
    const lock = rowLock(tx);
    const rows = await tx.query<SubscriptionRow>(`SELECT * FROM webhook_subscriptions WHERE id = $1${lock}`, [
      id,
    ]);
    return rows[0] ? toSubscription(rows[0]) : null;
  },

  async list(reader: Reader): Promise<Subscription[]> {
    const rows = await reader.query<SubscriptionRow>(
      'SELECT * FROM webhook_subscriptions ORDER BY created_at, id',
    );
    return rows.map(toSubscription);
  },

  /** What the event index needs to fan an event out: the active subscriptions and their patterns. */
  async listActive(tx: Tx): Promise<Array<{ id: string; events: string[] }>> {
    const rows = await tx.query<{ id: string; events: string }>(
      "SELECT id, events FROM webhook_subscriptions WHERE status = 'active' ORDER BY id",
    );
    return rows.map((row) => ({ id: row.id, events: JSON.parse(row.events) as string[] }));
  },

  async insert(tx: Tx, s: Subscription): Promise<void> {
    await tx.execute(
      `INSERT INTO webhook_subscriptions (id, url, events, description, status, disabled_reason, disabled_at,
         failing_since, secret, previous_secret, previous_secret_expires_at, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      values(s),
    );
  },

  async save(tx: Tx, s: Subscription): Promise<void> {
    await tx.execute(
      `UPDATE webhook_subscriptions SET url = $2, events = $3, description = $4, status = $5,
         disabled_reason = $6, disabled_at = $7, failing_since = $8, secret = $9, previous_secret = $10,
         previous_secret_expires_at = $11, version = $12, created_at = $13, updated_at = $14
       WHERE id = $1`,
      values(s),
    );
  },

  async delete(tx: Tx, id: string): Promise<boolean> {
    return (await tx.execute('DELETE FROM webhook_subscriptions WHERE id = $1', [id])) > 0;
  },

  /** After a success the endpoint is healthy again. */
  async markHealthy(tx: Tx, id: string): Promise<void> {
    await tx.execute(
      'UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL',
      [id],
    );
  },

  async markFailing(tx: Tx, id: string, since: string): Promise<void> {
    await tx.execute(
      'UPDATE webhook_subscriptions SET failing_since = $2 WHERE id = $1 AND failing_since IS NULL',
      [id, since],
    );
  },
};

export type SubscriptionStore = typeof subscriptionStore;
