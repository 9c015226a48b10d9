import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/port.js';
import { startPgOutboxRelay, type PgOutboxRelay, type RelayedRow } from '../src/events/pg-outbox-relay.js';
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

describe.skipIf(!pgUrl)('postgres outbox relay, several instances', { timeout: 30_000 }, () => {
  const context = `t_relaylock_${runId()}`;
  const dbs: Db[] = [];
  const relays: PgOutboxRelay[] = [];

  afterAll(async () => {
    await Promise.allSettled(relays.map((relay) => relay.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(context);
  });

  it('never hands the same row to two instances relaying at once', async () => {
    const published: Array<{ instance: number; id: string }> = [];
    for (const instance of [0, 1, 2]) {
      const db = await openContextDb(context);
      dbs.push(db);
      relays.push(
        await startPgOutboxRelay({
          context,
          db,
          logger: silentLogger,
          batchSize: 5,
          pollIntervalMs: 10,
          // A slow bus widens the window in which an unlocked twin would read the same checkpoint.
          publish: async (rows: readonly RelayedRow[]) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            for (const row of rows) published.push({ instance, id: row.id });
          },
        }),
      );
    }
    const written: string[] = [];

    await Promise.all(
      Array.from({ length: 60 }, async (_, index) => {
        const db = dbs[index % dbs.length]!;
        const event = testEvent(context, 'test.lock.written', `lock/${index}`);
        await db.transaction((tx) => appendToOutbox(tx, event));
        written.push(event.id);
      }),
    );
    await waitFor(() => published.length >= written.length);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(published.map((entry) => entry.id).sort()).toEqual([...written].sort());
    expect((await relays[0]!.status()).backlog).toBe(0);
  });
});
