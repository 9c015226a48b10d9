import type { CloudEvent } from '@tillstream/contracts';
import type { Db } from '../db/port.js';
import type { ConsumerSpec } from './port.js';
import { applyEvents, failureReason } from './apply.js';

export interface DeadLetter {
  eventId: string;
  consumer: string;
  source: string;
  position: number;
  type: string;
  error: string;
  attempts: number;
  failedAt: string;
  redrivenAt: string | null;
}

interface DeadLetterRow {
  event_id: string;
  consumer: string;
  source: string;
  position: number | string;
  type: string;
  envelope: string;
  error: string;
  attempts: number;
  failed_at: string;
  redriven_at: string | null;
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  eventId: row.event_id,
  consumer: row.consumer,
  source: row.source,
  position: Number(row.position),
  type: row.type,
  error: row.error,
  attempts: Number(row.attempts),
  failedAt: row.failed_at,
  redrivenAt: row.redriven_at,
});

export async function listDeadLetters(
  db: Db,
  options: { includeRedriven?: boolean } = {},
): Promise<DeadLetter[]> {
  const rows = await db.query<DeadLetterRow>(
    `SELECT * FROM dead_letters ${options.includeRedriven ? '' : 'WHERE redriven_at IS NULL'} ORDER BY failed_at, event_id`,
  );
  return rows.map(toDeadLetter);
}

export interface RedriveResult {
  eventId: string;
  consumer: string;
  outcome: 'applied' | 'failed';
  error?: string;
}

/**
 * Re-applies parked events through their consumer's handler, exactly once (the inbox still guards it). A
 * success marks the letter redriven; a failure leaves it parked with the new reason.
 */
export async function redriveDeadLetters(
  consumers: readonly ConsumerSpec[],
  now: () => string,
  filter: { eventId?: string; consumer?: string } = {},
): Promise<RedriveResult[]> {
  const results: RedriveResult[] = [];
  const databases = [...new Set(consumers.map((consumer) => consumer.db))];
  for (const db of databases) {
    const rows = await db.query<DeadLetterRow>(
      'SELECT * FROM dead_letters WHERE redriven_at IS NULL ORDER BY failed_at',
    );
    for (const row of rows) {
      if (filter.eventId && row.event_id !== filter.eventId) continue;
      if (filter.consumer && row.consumer !== filter.consumer) continue;
      const spec = consumers.find((consumer) => consumer.name === row.consumer && consumer.db === db);
      if (!spec) continue;
      const event = JSON.parse(row.envelope) as CloudEvent;
      // Position 0 never moves a checkpoint backwards or forwards: the consumer is already past it.
      try {
        await applyEvents(spec, row.source, [{ event, position: 0 }], now());
        await db.transaction((tx) =>
          tx.execute('UPDATE dead_letters SET redriven_at = $1 WHERE consumer = $2 AND event_id = $3', [
            now(),
            row.consumer,
            row.event_id,
          ]),
        );
        results.push({ eventId: row.event_id, consumer: row.consumer, outcome: 'applied' });
      } catch (error) {
        const reason = failureReason(error);
        await db.transaction((tx) =>
          tx.execute(
            'UPDATE dead_letters SET error = $1, failed_at = $2 WHERE consumer = $3 AND event_id = $4',
            [reason, now(), row.consumer, row.event_id],
          ),
        );
        results.push({ eventId: row.event_id, consumer: row.consumer, outcome: 'failed', error: reason });
      }
    }
  }
  return results;
}
