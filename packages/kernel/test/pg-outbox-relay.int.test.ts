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

describe.skipIf(!pgUrl)('postgres outbox relay, polling', { timeout: 30_000 }, () => {
  const context = `t_relaypoll_${runId()}`;
  const dbs: Db[] = [];
  let relay: PgOutboxRelay | undefined;

  afterAll(async () => {
    await relay?.close();
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(context);
  });

  it('finds at its poll what another instance committed, and opens no transaction while nothing is there', async () => {
    const [relayDb, otherInstanceDb] = [await openContextDb(context), await openContextDb(context)];
    dbs.push(relayDb, otherInstanceDb);
    let transactions = 0;
    const counted: Db = {
      ...relayDb,
      transaction: (work) => {
        transactions += 1;
        return relayDb.transaction(work);
      },
    };
    const published: string[] = [];
    relay = await startPgOutboxRelay({
      context,
      db: counted,
      logger: silentLogger,
      batchSize: 10,
      pollIntervalMs: 20,
      publish: async (rows: readonly RelayedRow[]) => {
        published.push(...rows.map((row) => row.id));
      },
    });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(100);
    const beforeIdle = transactions;
    await pause(400);
    // Some twenty polls, each one statement: the locked round runs only when something is past the checkpoint.
    expect(transactions - beforeIdle).toBe(0);

    // Committed through another instance's connection: no local commit wakes this relay, its poll finds it.
    const event = testEvent(context, 'test.poll.written', 'poll/1');
    await otherInstanceDb.transaction((tx) => appendToOutbox(tx, event));
    await waitFor(() => published.includes(event.id), 5_000);
    expect(transactions - beforeIdle).toBeGreaterThan(0);
    await waitFor(async () => (await relay!.status()).backlog === 0, 5_000);
  });
});

describe.skipIf(!pgUrl)('postgres outbox relay, per-subject order', { timeout: 30_000 }, () => {
  const suffix = runId();
  const contexts: string[] = [];
  const dbs: Db[] = [];
  const relays: PgOutboxRelay[] = [];

  afterAll(async () => {
    await Promise.allSettled(relays.map((relay) => relay.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...contexts);
  });

  type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

  function gate(): { wait: Promise<void>; open: () => void } {
    let open!: () => void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    return { wait, open };
  }

  /** What a store does: lock the subject's row, take its next version, append the event with it. */
  async function change(tx: Tx, context: string, subject: string): Promise<number> {
    const [row] = await tx.query<{ version: number }>(
      `INSERT INTO versions (subject, version) VALUES ($1, 1)
       ON CONFLICT (subject) DO UPDATE SET version = versions.version + 1 RETURNING version`,
      [subject],
    );
    await appendToOutbox(tx, testEvent(context, 'test.order.changed', subject, row!.version));
    return row!.version;
  }

  /** A relay of its own context: relays of one context share its checkpoint and take turns. */
  async function startRelay(batchSize: number): Promise<{ db: Db; published: RelayedRow[] }> {
    const context = `t_relayorder${contexts.length}_${suffix}`;
    contexts.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    await db.transaction((tx) =>
      tx.exec('CREATE TABLE IF NOT EXISTS versions (subject TEXT PRIMARY KEY, version INTEGER NOT NULL)'),
    );
    const published: RelayedRow[] = [];
    relays.push(
      await startPgOutboxRelay({
        context,
        db,
        logger: silentLogger,
        batchSize,
        pollIntervalMs: 10,
        publish: async (rows) => void published.push(...rows),
      }),
    );
    return { db, published };
  }

  const sequencesOf = (published: readonly RelayedRow[], subject: string) =>
    published
      .map((row) => JSON.parse(row.envelope) as { subject: string; sequence: number })
      .filter((event) => event.subject === subject)
      .map((event) => event.sequence);

  /**
   * T1 takes its transaction id first (it writes elsewhere), T2 then changes the subject and commits, and T1
   * changes it after: T1 has the lower id and the higher sequence. `meanwhile` runs while T1 waits.
   */
  async function invertedPair(db: Db, subject: string, meanwhile: () => Promise<void> = async () => {}) {
    const t1HasId = gate();
    const t1MayChange = gate();
    const t1 = db.transaction(async (tx) => {
      await appendToOutbox(tx, testEvent(db.context, 'test.order.other', `${subject}/elsewhere`));
      t1HasId.open();
      await t1MayChange.wait;
      return change(tx, db.context, subject);
    });
    try {
      await t1HasId.wait;
      const t2 = await db.transaction((tx) => change(tx, db.context, subject));
      await meanwhile();
      t1MayChange.open();
      const t1Sequence = await t1;
      expect([t2, t1Sequence]).toEqual([1, 2]);
    } finally {
      t1MayChange.open();
      await Promise.allSettled([t1]);
    }
  }

  it('publishes a subject in sequence order when transaction ids run against the lock order', async () => {
    const { db, published } = await startRelay(50);
    await invertedPair(db, 'order/a');
    await waitFor(() => sequencesOf(published, 'order/a').length === 2);
    expect(sequencesOf(published, 'order/a')).toEqual([1, 2]);
  });

  it('lets no batch boundary split an inverted pair', async () => {
    const { db, published } = await startRelay(1);
    await invertedPair(db, 'order/b');
    await waitFor(() => sequencesOf(published, 'order/b').length === 2);
    expect(sequencesOf(published, 'order/b')).toEqual([1, 2]);
    // The checkpoint moves after publishing, in the relay's transaction.
    await waitFor(async () => (await relays.at(-1)!.status()).backlog === 0);
  });

  it('takes a chain of inversions through in sequence order, one row per batch', async () => {
    const { db, published } = await startRelay(1);
    // Three transactions take their ids in order and change the subject in the reverse order.
    const changers = [0, 1, 2].map(() => ({ hasId: gate(), mayChange: gate() }));
    const transactions = changers.map(({ hasId, mayChange }, index) =>
      (async () => {
        if (index > 0) await changers[index - 1]!.hasId.wait;
        return db.transaction(async (tx) => {
          await appendToOutbox(tx, testEvent(db.context, 'test.order.other', `order/e/${index}`));
          hasId.open();
          await mayChange.wait;
          return change(tx, db.context, 'order/e');
        });
      })(),
    );
    try {
      await changers[2]!.hasId.wait;
      changers[2]!.mayChange.open();
      await transactions[2];
      changers[1]!.mayChange.open();
      await transactions[1];
      changers[0]!.mayChange.open();
      expect(await Promise.all(transactions)).toEqual([3, 2, 1]);
      await waitFor(() => sequencesOf(published, 'order/e').length === 3);
      expect(sequencesOf(published, 'order/e')).toEqual([1, 2, 3]);
    } finally {
      for (const { mayChange } of changers) mayChange.open();
      await Promise.allSettled(transactions);
    }
  });

  it('holds the higher sequence while its predecessor waits behind an older open transaction', async () => {
    const { db, published } = await startRelay(50);
    const holderHasId = gate();
    const holderMayCommit = gate();
    let holder: Promise<void> | undefined;
    try {
      const t1HasId = gate();
      const t1MayChange = gate();
      const t1 = db.transaction(async (tx) => {
        await appendToOutbox(tx, testEvent(db.context, 'test.order.other', 'order/d/elsewhere'));
        t1HasId.open();
        await t1MayChange.wait;
        return change(tx, db.context, 'order/d');
      });
      await t1HasId.wait;
      // Takes its id after T1 and before T2: it keeps T2, not T1, above the snapshot xmin.
      holder = db.transaction(async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        holderHasId.open();
        await holderMayCommit.wait;
      });
      await holderHasId.wait;
      await db.transaction((tx) => change(tx, db.context, 'order/d'));
      t1MayChange.open();
      expect(await t1).toBe(2);
      // T1 has finished and sits below the xmin; its predecessor does not. Several relay rounds pass.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const whileHeld = sequencesOf(published, 'order/d');
      holderMayCommit.open();
      await holder;
      await waitFor(() => sequencesOf(published, 'order/d').length === 2);

      expect(whileHeld).toEqual([]);
      expect(sequencesOf(published, 'order/d')).toEqual([1, 2]);
    } finally {
      holderMayCommit.open();
      await Promise.allSettled([holder]);
    }
  });
});
