import type { Tx } from '@tillstream/kernel';
import { lockHubWrites } from '../hub-write-lock.js';
import { readHorizon } from '../events/event-log.retention.js';
import type { AttemptDecision, AttemptOutcome } from './delivery.decide.js';

export type DeliveryOrigin = 'event' | 'resend' | 'replay';

export interface NewDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventPosition: number;
  eventType: string;
  partitionKey: string;
  origin: DeliveryOrigin;
}

/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  seq: number;
  id: string;
  subscriptionId: string;
  eventId: string;
  attempts: number;
  failures: number;
  firstAttemptAt: string | null;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  body: string;
  /** Its endpoint's last attempt failed: such attempts get only a share of the worker's room. */
  endpointFailing: boolean;
}

export interface AttemptRecord {
  attemptedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

/**
 * An endpoint's answer or an error message made storable in any TEXT column: PostgreSQL refuses U+0000 in
 * text (and the whole attempt record with it), and a lone surrogate (an answer cut mid-pair) is not valid
 * UTF-8; both become U+FFFD. Invalid UTF-8 bytes are already U+FFFD, since the sender decodes answers as UTF-8.
 */
export function storableText(value: string | null): string | null {
  return value === null
    ? null
    : value.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/*
 * Order per (subscription, partition key): only the oldest open delivery of a key is `pending` (claimable);
 * the ones behind it are `queued` and the completion of the head promotes the next. On PostgreSQL the check
 * locks the open rows it reads (FOR SHARE), so it waits for a completion in flight and then sees whether that
 * completion promoted a successor: a key never ends with queued rows and no head, nor with two heads.
 */
const OPEN_FOR_KEY = `SELECT seq FROM webhook_deliveries
  WHERE subscription_id = $1 AND partition_key = $2 AND status IN ('pending', 'queued') LIMIT 1`;

/**
 * Enqueues deliveries in the caller's transaction; an event enqueued twice for a subscription is ignored, and
 * so is a resend or replay of an event pruned from the log meanwhile (nothing could send it). Events indexed
 * in this transaction need no look: pruning waits for the same lock and takes only events indexed before its
 * cutoff, hours ago.
 */
export async function enqueueDeliveries(
  tx: Tx,
  deliveries: readonly NewDelivery[],
  now: string,
): Promise<number> {
  await lockHubWrites(tx);
  const prunedThrough = deliveries.every((d) => d.origin === 'event')
    ? 0
    : (await readHorizon(tx)).prunedThrough;
  const lock = tx.dialect === 'postgres' ? ' FOR SHARE' : '';
  let inserted = 0;
  for (const d of deliveries) {
    if (d.eventPosition <= prunedThrough) continue;
    const open = await tx.query(OPEN_FOR_KEY + lock, [d.subscriptionId, d.partitionKey]);
    inserted += await tx.execute(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_position, event_type, partition_key,
         origin, status, attempts, failures, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9, $9) ON CONFLICT DO NOTHING`,
      [
        d.id,
        d.subscriptionId,
        d.eventId,
        d.eventPosition,
        d.eventType,
        d.partitionKey,
        d.origin,
        open.length > 0 ? 'queued' : 'pending',
        now,
      ],
    );
  }
  return inserted;
}

/**
 * Leases up to `limit` due heads of active subscriptions to the caller, those of healthy endpoints first and at
 * most `failingLimit` of endpoints whose last attempt failed: an endpoint that never answers holds its slot for
 * a whole attempt timeout, and enough of them must not keep every other webhook waiting. Several hub instances
 * claim side by side: PostgreSQL skips rows another claim holds (SKIP LOCKED), and a lease hides a row until it
 * expires, which is how an instance that died mid-attempt hands its work back.
 */
export async function claimDeliveries(
  tx: Tx,
  claim: { token: string; limit: number; failingLimit: number; now: string; leaseUntil: string },
): Promise<ClaimedDelivery[]> {
  const skipLocked = tx.dialect === 'postgres' ? 'FOR UPDATE OF d SKIP LOCKED' : '';
  const lease = (endpoints: 'healthy' | 'failing', limit: number) =>
    tx.execute(
      `UPDATE webhook_deliveries SET lease_token = $1, lease_until = $2 WHERE seq IN (
         SELECT d.seq FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= $3 AND (d.lease_until IS NULL OR d.lease_until <= $3)
           AND s.status = 'active' AND s.failing_since IS ${endpoints === 'healthy' ? 'NULL' : 'NOT NULL'}
         ORDER BY d.next_attempt_at, d.seq LIMIT $4 ${skipLocked})`,
      [claim.token, claim.leaseUntil, claim.now, limit],
    );
  const healthy = claim.limit > 0 ? await lease('healthy', claim.limit) : 0;
  const failingRoom = Math.min(claim.limit - healthy, claim.failingLimit);
  if (failingRoom > 0) await lease('failing', failingRoom);
  const rows = await tx.query<Record<string, string | number | null>>(
    `SELECT d.seq, d.id, d.subscription_id, d.event_id, d.attempts, d.failures, d.first_attempt_at, s.url,
       s.secret, s.previous_secret, s.previous_secret_expires_at, s.failing_since, e.envelope
     FROM webhook_deliveries d
     JOIN webhook_subscriptions s ON s.id = d.subscription_id
     JOIN events e ON e.position = d.event_position
     WHERE d.lease_token = $1 ORDER BY d.seq`,
    [claim.token],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: String(row.id),
    subscriptionId: String(row.subscription_id),
    eventId: String(row.event_id),
    attempts: Number(row.attempts),
    failures: Number(row.failures),
    firstAttemptAt: row.first_attempt_at === null ? null : String(row.first_attempt_at),
    url: String(row.url),
    secret: String(row.secret),
    previousSecret: row.previous_secret === null ? null : String(row.previous_secret),
    previousSecretExpiresAt:
      row.previous_secret_expires_at === null ? null : String(row.previous_secret_expires_at),
    body: String(row.envelope),
    endpointFailing: row.failing_since !== null,
  }));
}

/**
 * Records one attempt and moves the delivery on; a finished delivery (delivered or given up) promotes the
 * next queued one of its key. Returns false when the lease was lost (another instance took the delivery
 * over after it expired): the attempt is still logged, the state is left to the new holder.
 */
export async function recordAttempt(
  tx: Tx,
  delivery: Pick<ClaimedDelivery, 'seq' | 'subscriptionId'> & { token: string },
  decision: AttemptDecision,
  attempt: AttemptRecord,
): Promise<boolean> {
  const error = storableText(attempt.error);
  await tx.execute(
    // The delivery is gone when its webhook was deleted during the attempt: then there is nothing to log.
    `INSERT INTO webhook_attempts (delivery_seq, attempt, attempted_at, duration_ms, outcome, status_code, error,
       response_body)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE seq = $1)`,
    [
      delivery.seq,
      decision.attempts,
      attempt.attemptedAt,
      attempt.durationMs,
      attempt.outcome,
      attempt.statusCode,
      error,
      storableText(attempt.responseBody),
    ],
  );
  const finished = decision.status !== 'pending';
  const [moved] = await tx.query<{ partition_key: string }>(
    `UPDATE webhook_deliveries SET status = $3, attempts = $4, failures = $5,
       next_attempt_at = COALESCE($6, next_attempt_at), lease_token = NULL, lease_until = NULL,
       first_attempt_at = COALESCE(first_attempt_at, $7), last_attempt_at = $7, last_status = $8,
       last_error = $9, completed_at = $10
     WHERE seq = $1 AND lease_token = $2 RETURNING partition_key`,
    [
      delivery.seq,
      delivery.token,
      decision.status,
      decision.attempts,
      decision.failures,
      decision.nextAttemptAt,
      attempt.attemptedAt,
      attempt.statusCode,
      error,
      finished ? attempt.attemptedAt : null,
    ],
  );
  if (!moved) return false;
  if (finished) {
    await tx.execute(
      `UPDATE webhook_deliveries SET status = 'pending' WHERE seq = (
         SELECT MIN(seq) FROM webhook_deliveries
         WHERE subscription_id = $1 AND partition_key = $2 AND status = 'queued')`,
      [delivery.subscriptionId, moved.partition_key],
    );
  }
  return true;
}

/** Gives a claimed delivery back untried (the worker is stopping), so another instance can take it now. */
export async function releaseDelivery(tx: Tx, seq: number, token: string): Promise<void> {
  await tx.execute(
    'UPDATE webhook_deliveries SET lease_token = NULL, lease_until = NULL WHERE seq = $1 AND lease_token = $2',
    [seq, token],
  );
}

/**
 * A subscription enabled again: what waited for it is due now rather than at its backed-off time, and the
 * time it waited does not count against the throttled retries of its heads (their clock starts again).
 */
export async function resumeDeliveries(tx: Tx, subscriptionId: string, now: string): Promise<void> {
  await tx.execute(
    `UPDATE webhook_deliveries SET next_attempt_at = $2, first_attempt_at = NULL
     WHERE subscription_id = $1 AND status = 'pending'`,
    [subscriptionId, now],
  );
}
