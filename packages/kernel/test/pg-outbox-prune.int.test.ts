import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/port.js';
import { manualClock } from '../src/clock.js';
import { startPgOutboxRelay, type PgOutboxRelay } from '../src/events/pg-outbox-relay.js';
import { startRelayedRowPruning, type RelayedRowPruning } from '../src/events/pg-outbox-prune.js';
import {
  appendToOutbox,
  dropSchemas,
  openContextDb,
  pgUrl,
  runId,
  silentLogger,
  testEvent,
  waitFor,
} from './scale-out.support.js';

describe.skipIf(!pgUrl)('pruning relayed postgres outbox rows', { timeout: 30_000 }, () => {
  const context = `t_prune_${runId()}`;
  let db: Db;
  let relay: PgOutboxRelay | undefined;
  const prunings: RelayedRowPruning[] = [];

  afterAll(async () => {
    await relay?.close();
    await Promise.allSettled(prunings.map((pruning) => pruning.stop()));
    await db?.close();
    await dropSchemas(context);
  });

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
  const subjects = async () =>
    (await db.query<{ subject: string }>('SELECT subject FROM outbox ORDER BY position')).map(
      (row) => row.subject,
    );

  it('deletes only rows both relayed and older than the retention, and always keeps the newest row', async () => {
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

    const pruning = startRelayedRowPruning({
      context,
      db,
      logger: silentLogger,
      clock: manualClock(new Date()),
      retainHours: 168,
    });
    prunings.push(pruning);
    expect(await pruning.prune()).toBe(3);
    expect(await subjects()).toEqual(['recent/0', 'recent/1', 'unrelayed/0', 'unrelayed/1']);
    expect(published).toHaveLength(5);

    // A relayed newest row is kept even once it is due: the outbox head is its position.
    await db.query('DELETE FROM outbox WHERE subject LIKE $1', ['unrelayed/%']);
    await writtenHoursAgo(200, 'recent');
    await db.query(
      `UPDATE outbox_relay SET (last_tx_id, last_position) =
         (SELECT tx_id, position FROM outbox ORDER BY tx_id DESC, position DESC LIMIT 1)`,
    );
    expect(await pruning.prune()).toBe(1);
    expect(await subjects()).toEqual(['recent/1']);
  });

  it('keeps every row with a retention of 0', async () => {
    await write(2, 'kept');
    await writtenHoursAgo(10_000, 'kept');
    await db.query(
      `UPDATE outbox_relay SET (last_tx_id, last_position) =
         (SELECT tx_id, position FROM outbox ORDER BY tx_id DESC, position DESC LIMIT 1)`,
    );
    const keeping = startRelayedRowPruning({
      context,
      db,
      logger: silentLogger,
      clock: manualClock(new Date()),
      retainHours: 0,
    });
    prunings.push(keeping);
    expect(await keeping.prune()).toBe(0);
    expect(await subjects()).toEqual(['recent/1', 'kept/0', 'kept/1']);
  });
});
