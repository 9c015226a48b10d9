import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Db } from '../src/db/port.js';
import { manualClock } from '../src/clock.js';
import { createNatsEventLog } from '../src/events/nats-log.js';
import { natsNames } from '../src/events/nats-names.js';
import { startPgOutboxRelay, type PgOutboxRelay } from '../src/events/pg-outbox-relay.js';
import { startRetention, type Retention, type RetentionSettings } from '../src/events/pg-retention.js';
import {
  appendToOutbox,
  deleteStreams,
  dropSchemas,
  logOptions,
  natsUrl,
  openContextDb,
  pgUrl,
  runId,
  silentLogger,
  testEvent,
  waitFor,
} from './scale-out.support.js';

const HOURS_NS = 3_600_000_000_000;

describe.skipIf(!pgUrl)('pruning past retention on postgres', { timeout: 30_000 }, () => {
  const context = `t_prune_${runId()}`;
  let db: Db;
  let relay: PgOutboxRelay | undefined;
  const retentions: Retention[] = [];

  afterAll(async () => {
    await relay?.close();
    await Promise.allSettled(retentions.map((retention) => retention.stop()));
    await db?.close();
    await dropSchemas(context);
  });

  const retaining = (settings: RetentionSettings) => {
    const retention = startRetention({ logger: silentLogger, clock: manualClock(new Date()), settings });
    retentions.push(retention);
    retention.watchOutbox(context, db);
    retention.watchInbox(db);
    return retention;
  };
  const write = async (count: number, prefix: string) => {
    for (let index = 0; index < count; index += 1) {
      const event = testEvent(context, 'test.prune.written', `${prefix}/${index}`);
      await db.transaction((tx) => appendToOutbox(tx, event));
    }
  };
  const writtenHoursAgo = (hours: number, subjectPrefix: string) =>
    db.query(`UPDATE outbox SET written_at = now() - make_interval(hours => $1) WHERE subject LIKE $2`, [
      hours,
      `${subjectPrefix}/%`,
    ]);
  const relayedThroughNewest = () =>
    db.query(
      `UPDATE outbox_relay SET (last_tx_id, last_position) =
         (SELECT tx_id, position FROM outbox ORDER BY tx_id DESC, position DESC LIMIT 1)`,
    );
  const subjects = async () =>
    (await db.query<{ subject: string }>('SELECT subject FROM outbox ORDER BY position')).map(
      (row) => row.subject,
    );

  it('deletes only outbox rows both relayed and older than the retention, and always keeps the newest row', async () => {
    db = await openContextDb(context);
    const published: string[] = [];
    relay = await startPgOutboxRelay({
      context,
      db,
      logger: silentLogger,
      batchSize: 100,
      pollIntervalMs: 10,
      publish: async (rows) => {
        for (const row of rows) published.push(row.id);
      },
    });
    await write(3, 'old');
    await write(2, 'recent');
    await waitFor(async () => (await relay!.status()).backlog === 0);
    await relay.close();
    relay = undefined;
    // Written while the relay is stopped: old, but never published, so kept whatever its age.
    await write(2, 'unrelayed');
    await writtenHoursAgo(200, 'old');
    await writtenHoursAgo(200, 'unrelayed');
    await writtenHoursAgo(1, 'recent');

    const retention = retaining({ outboxHours: 168, eventHours: 0 });
    expect(await retention.prune()).toEqual({ outbox: 3, inbox: 0 });
    expect(await subjects()).toEqual(['recent/0', 'recent/1', 'unrelayed/0', 'unrelayed/1']);
    expect(published).toHaveLength(5);

    // A relayed newest row is kept even once it is due: the outbox head is its position.
    await db.query('DELETE FROM outbox WHERE subject LIKE $1', ['unrelayed/%']);
    await writtenHoursAgo(200, 'recent');
    await relayedThroughNewest();
    expect(await retention.prune()).toEqual({ outbox: 1, inbox: 0 });
    expect(await subjects()).toEqual(['recent/1']);
  });

  it('deletes inbox rows only past the streams’ retention and an hour’s margin', async () => {
    const processedHoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    await db.query(
      `INSERT INTO inbox (consumer, event_id, processed_at) VALUES
         ('c', 'aged-out', $1), ('c', 'within-margin', $2), ('c', 'recent', $3)`,
      [processedHoursAgo(26), processedHoursAgo(24.5), processedHoursAgo(1)],
    );
    const retention = retaining({ outboxHours: 168, eventHours: 24 });
    expect(await retention.prune()).toEqual({ outbox: 0, inbox: 1 });
    const left = await db.query<{ event_id: string }>('SELECT event_id FROM inbox ORDER BY event_id');
    expect(left.map((row) => row.event_id)).toEqual(['recent', 'within-margin']);
  });

  it('keeps every row with retentions of 0', async () => {
    await write(2, 'kept');
    await writtenHoursAgo(10_000, 'kept');
    await relayedThroughNewest();
    await db.query(`UPDATE inbox SET processed_at = '2000-01-01T00:00:00.000Z'`);
    const keeping = retaining({ outboxHours: 0, eventHours: 0 });
    expect(await keeping.prune()).toEqual({ outbox: 0, inbox: 0 });
    expect(await subjects()).toEqual(['recent/1', 'kept/0', 'kept/1']);
    expect(await db.query('SELECT event_id FROM inbox')).toHaveLength(2);
  });
});

describe.skipIf(!pgUrl || !natsUrl)('event retention on the streams', { timeout: 30_000 }, () => {
  const prefix = `TRET${runId().toUpperCase()}`;
  const context = `t_ret_${runId()}`;
  const closers: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await dropSchemas(context);
    await deleteStreams(prefix);
  });

  const maxAgeOfStream = async () => {
    const connection = await connect({ servers: natsUrl! });
    try {
      const manager = await jetstreamManager(connection);
      return (await manager.streams.info(natsNames(prefix).stream(context))).config.max_age;
    } finally {
      await connection.close();
    }
  };

  it('sets each stream’s max age from the setting at every start, and clears it again with 0', async () => {
    const db = await openContextDb(context);
    closers.push(() => db.close());
    for (const [hours, maxAge] of [
      [24, 24 * HOURS_NS],
      [0, 0],
    ] as const) {
      const log = await createNatsEventLog(logOptions(prefix, { eventRetentionHours: hours }));
      await log.attachOutbox(context, db);
      expect(await maxAgeOfStream()).toBe(maxAge);
      await log.close();
    }
  });
});
