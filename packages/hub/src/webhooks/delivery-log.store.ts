import type { Db, Tx } from '@tillstream/kernel';
import type { AttemptOutcome } from './delivery.decide.js';
import type { DeliveryOrigin } from './delivery.store.js';

export type DeliveryStatus = 'queued' | 'pending' | 'delivered' | 'failed';

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  partitionKey: string;
  origin: DeliveryOrigin;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface AttemptView {
  attempt: number;
  attemptedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

type Row = Record<string, string | number | null>;
type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

const text = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : String(value);
const int = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

const toView = (row: Row): DeliveryView & { seq: number; eventPosition: number } => {
  const status = String(row.status) as DeliveryStatus;
  return {
    seq: Number(row.seq),
    eventPosition: Number(row.event_position),
    id: String(row.id),
    webhookId: String(row.subscription_id),
    eventId: String(row.event_id),
    eventType: String(row.event_type),
    partitionKey: String(row.partition_key),
    origin: String(row.origin) as DeliveryOrigin,
    status,
    attempts: Number(row.attempts),
    nextAttemptAt: status === 'pending' || status === 'queued' ? text(row.next_attempt_at) : null,
    lastAttemptAt: text(row.last_attempt_at),
    lastStatus: int(row.last_status),
    lastError: text(row.last_error),
    createdAt: String(row.created_at),
    completedAt: text(row.completed_at),
  };
};

/** The delivery log, newest first, paged by a cursor (the internal sequence of the last row returned). */
export async function listDeliveries(
  reader: Reader,
  subscriptionId: string,
  query: { status?: DeliveryStatus; before?: number; limit: number },
): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  const params: Array<string | number> = [
    subscriptionId,
    query.before ?? Number.MAX_SAFE_INTEGER,
    query.limit,
  ];
  const status = query.status ? `AND status = $${params.push(query.status)}` : '';
  const rows = await reader.query<Row>(
    `SELECT * FROM webhook_deliveries WHERE subscription_id = $1 AND seq < $2 ${status} ORDER BY seq DESC LIMIT $3`,
    params,
  );
  const views = rows.map(toView);
  const last = views[views.length - 1];
  return {
    deliveries: views.map(({ seq: _seq, eventPosition: _position, ...view }) => view),
    next: views.length === query.limit && last ? String(last.seq) : null,
  };
}

export async function findDelivery(reader: Reader, subscriptionId: string, deliveryId: string) {
  const rows = await reader.query<Row>(
    'SELECT * FROM webhook_deliveries WHERE subscription_id = $1 AND id = $2',
    [subscriptionId, deliveryId],
  );
  return rows[0] ? toView(rows[0]) : null;
}

export async function listAttempts(reader: Reader, deliverySeq: number): Promise<AttemptView[]> {
  const rows = await reader.query<Row>('SELECT * FROM webhook_attempts WHERE delivery_seq = $1 ORDER BY id', [
    deliverySeq,
  ]);
  return rows.map((row) => ({
    attempt: Number(row.attempt),
    attemptedAt: String(row.attempted_at),
    durationMs: Number(row.duration_ms),
    outcome: String(row.outcome) as AttemptOutcome,
    statusCode: int(row.status_code),
    error: text(row.error),
    responseBody: text(row.response_body),
  }));
}

/**
 * Deletes up to `limit` finished deliveries (delivered, or failed for good) that finished before `before`,
 * oldest first, with their attempts (the foreign key cascades). Open ones stay whatever their age; the event
 * index enqueues an event's deliveries only when it indexes the event, so a deleted one is never sent again.
 */
export async function deleteFinishedBefore(tx: Pick<Tx, 'execute'>, before: string, limit: number) {
  return tx.execute(
    `DELETE FROM webhook_deliveries WHERE seq IN (
       SELECT seq FROM webhook_deliveries WHERE completed_at IS NOT NULL AND completed_at < $1
       ORDER BY seq LIMIT $2)`,
    [before, limit],
  );
}
