import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { CloudEvent } from '@tillstream/contracts';
import type { Db } from '../src/db/port.js';
import { openPostgres } from '../src/db/postgres.js';
import { runMigrations } from '../src/db/migrate.js';
import { kernelMigrations } from '../src/events/kernel.migrations.js';
import { createLogger } from '../src/logger.js';
import { uuidV7Ids } from '../src/ids.js';
import { systemClock } from '../src/clock.js';
import { deleteStreamsWithPrefix } from '../src/testing/scale-out-cleanup.js';
import type { NatsLogOptions } from '../src/events/nats-log.js';

/** Both must be set for the scale-out suites to run; they only ever point at loopback services. */
export const pgUrl = process.env['TILLSTREAM_TEST_PG_URL'];
export const natsUrl = process.env['TILLSTREAM_TEST_NATS_URL'];

/** Set TILLSTREAM_TEST_LOG_LEVEL=debug to see what the relays and consumers do. */
export const silentLogger = createLogger({
  level: process.env['TILLSTREAM_TEST_LOG_LEVEL'] ?? 'silent',
  name: 'test',
});

/** A suffix that keeps schemas and streams of concurrent or leftover runs apart. */
export const runId = () => Math.random().toString(36).slice(2, 8);

export async function openContextDb(context: string): Promise<Db> {
  const db = await openPostgres({ url: pgUrl!, context, poolSize: 6 });
  await runMigrations(db, kernelMigrations);
  return db;
}

export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function deleteStreams(prefix: string): Promise<void> {
  await deleteStreamsWithPrefix(natsUrl!, prefix);
}

export function logOptions(streamPrefix: string, overrides: Partial<NatsLogOptions> = {}): NatsLogOptions {
  return {
    servers: natsUrl!,
    clock: systemClock,
    logger: silentLogger,
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    batchSize: 10,
    pollIntervalMs: 50,
    streamPrefix,
    ackWaitMs: 10_000,
    ...overrides,
  };
}

export function testEvent(context: string, type: string, subject: string, sequence = 1): CloudEvent {
  return {
    specversion: '1.0',
    id: uuidV7Ids.next(),
    source: `/tillstream/${context}`,
    type,
    time: new Date().toISOString(),
    subject,
    datacontenttype: 'application/json',
    dataschema: `urn:tillstream:event:${type}:v1`,
    sequence,
    partitionkey: subject,
    data: { subject },
  };
}

/** Appends in the caller's transaction exactly as the outbox does, and returns the row's position. */
export async function appendToOutbox(tx: Parameters<Parameters<Db['transaction']>[0]>[0], event: CloudEvent) {
  const [row] = await tx.query<{ position: number }>(
    'INSERT INTO outbox (id, type, subject, sequence, envelope) VALUES ($1, $2, $3, $4, $5) RETURNING position',
    [event.id, event.type, event.subject, event.sequence, JSON.stringify(event)],
  );
  tx.outboxWritten();
  return row!.position;
}

export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every message of a stream, in stream order, read by direct get (no consumer needed). */
export async function readStream(streamName: string): Promise<Array<{ seq: number; event: CloudEvent }>> {
  const connection = await connect({ servers: natsUrl! });
  try {
    const manager = await jetstreamManager(connection);
    const { state } = await manager.streams.info(streamName);
    const messages: Array<{ seq: number; event: CloudEvent }> = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
      const stored = await manager.streams.getMessage(streamName, { seq });
      if (stored) messages.push({ seq, event: stored.json<CloudEvent>() });
    }
    return messages;
  } finally {
    await connection.close();
  }
}
