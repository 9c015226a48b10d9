import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/port.js';
import type { EventLog } from '../src/events/port.js';
import { createNatsEventLog } from '../src/events/nats-log.js';
import { natsNames } from '../src/events/nats-names.js';
import {
  appendToOutbox,
  deleteStreams,
  dropSchemas,
  logOptions,
  natsUrl,
  openContextDb,
  pgUrl,
  readStream,
  runId,
  testEvent,
  waitFor,
} from './scale-out.support.js';

describe.skipIf(!pgUrl || !natsUrl)('postgres outbox relay to NATS JetStream', { timeout: 30_000 }, () => {
  const suffix = runId();
  const prefix = `TT${suffix.toUpperCase()}`;
  const names = natsNames(prefix);
  const schemas: string[] = [];
  const dbs: Db[] = [];
  const logs: EventLog[] = [];

  async function startContext(name: string): Promise<{ context: string; db: Db; log: EventLog }> {
    const context = `t_${name}_${suffix}`;
    schemas.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    const log = await createNatsEventLog(logOptions(prefix));
    logs.push(log);
    await log.attachOutbox(context, db);
    return { context, db, log };
  }

  function gate(): { wait: Promise<void>; open: () => void } {
    let open!: () => void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    return { wait, open };
  }

  afterAll(async () => {
    await Promise.allSettled(logs.map((log) => log.close()));
    await Promise.allSettled(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
    await deleteStreams(prefix);
  });

  it('relays a lower position that commits after a higher one was relayed', async () => {
    const { context, db, log } = await startContext('gap');
    const eventA = testEvent(context, 'test.gap.late', 'gap/a');
    const eventB = testEvent(context, 'test.gap.early', 'gap/b');
    const relayedIds = async () =>
      (await readStream(names.stream(context))).map((message) => message.event.id);
    const bHasWritten = gate();
    const bMayAppend = gate();
    const aHasAppended = gate();
    const aMayCommit = gate();

    // B writes its own rows first (which gives it its transaction id), A then appends to the outbox before
    // B does: A holds the lower position but commits last.
    const transactionB = db.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()');
      bHasWritten.open();
      await bMayAppend.wait;
      return appendToOutbox(tx, eventB);
    });
    await bHasWritten.wait;
    let positionA = 0;
    const transactionA = db.transaction(async (tx) => {
      positionA = await appendToOutbox(tx, eventA);
      aHasAppended.open();
      await aMayCommit.wait;
    });
    try {
      await aHasAppended.wait;
      bMayAppend.open();
      const positionB = await transactionB;
      await waitFor(async () => (await relayedIds()).includes(eventB.id));
      const relayedBeforeACommitted = await relayedIds();
      aMayCommit.open();
      await transactionA;
      // A reader that remembered "last position relayed" would now look after B and never see A.
      const naiveRead = await db.query('SELECT id FROM outbox WHERE position > $1', [positionB]);
      await waitFor(async () => (await relayedIds()).includes(eventA.id));

      expect(positionA).toBeLessThan(positionB);
      expect(relayedBeforeACommitted).toEqual([eventB.id]);
      expect(naiveRead).toEqual([]);
      expect(await relayedIds()).toEqual([eventB.id, eventA.id]);
      expect(await log.outboxStatus()).toEqual([{ context, backlog: 0, head: positionB }]);
    } finally {
      bMayAppend.open();
      aMayCommit.open();
      await Promise.allSettled([transactionA, transactionB]);
    }
  });

  it('holds back a commit that could overtake a still open, older transaction', async () => {
    const { context, db, log } = await startContext('holdback');
    const eventA = testEvent(context, 'test.gap.older', 'hold/a');
    const eventB = testEvent(context, 'test.gap.newer', 'hold/b');
    const relayedIds = async () =>
      (await readStream(names.stream(context))).map((message) => message.event.id);
    const aHasAppended = gate();
    const aMayCommit = gate();
    const transactionA = db.transaction(async (tx) => {
      await appendToOutbox(tx, eventA);
      aHasAppended.open();
      await aMayCommit.wait;
    });
    try {
      await aHasAppended.wait;
      await db.transaction((tx) => appendToOutbox(tx, eventB));
      // Several relay rounds (every 50 ms, and one on B's commit) pass while A is open.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const relayedWhileAOpen = await relayedIds();
      const statusWhileAOpen = await log.outboxStatus();
      aMayCommit.open();
      await transactionA;
      await waitFor(async () => (await relayedIds()).length === 2);

      expect(relayedWhileAOpen).toEqual([]);
      expect(statusWhileAOpen[0]).toMatchObject({ backlog: 1 });
      expect(await relayedIds()).toEqual([eventA.id, eventB.id]);
    } finally {
      aMayCommit.open();
      await transactionA.catch(() => undefined);
    }
  });

  it('publishes on the context subject under the event type, with the event id as message id', async () => {
    const { context, db } = await startContext('subject');
    const event = testEvent(context, 'test.sale.completed', 'sale/1');

    await db.transaction((tx) => appendToOutbox(tx, event));
    await waitFor(async () => (await readStream(names.stream(context))).length === 1);

    const [message] = await readStream(names.stream(context));
    expect(message!.event).toEqual(event);
    expect(names.subject(context, event.type)).toBe(`${prefix.toLowerCase()}.${context}.test.sale.completed`);
  });

  it('relays what is committed when the log closes', async () => {
    const context = `t_closing_${suffix}`;
    schemas.push(context);
    const db = await openContextDb(context);
    dbs.push(db);
    const log = await createNatsEventLog(logOptions(prefix, { pollIntervalMs: 60_000 }));
    logs.push(log);
    await log.attachOutbox(context, db);
    const events = [1, 2, 3].map((index) => testEvent(context, 'test.closing.written', `closing/${index}`));

    // Written behind the relay's back: no commit wake, and the next poll is a minute away.
    await db.transaction(async (tx) => {
      for (const event of events)
        await tx.execute('INSERT INTO outbox (id, type, subject, envelope) VALUES ($1, $2, $3, $4)', [
          event.id,
          event.type,
          event.subject,
          JSON.stringify(event),
        ]);
    });
    await log.close();

    expect((await readStream(names.stream(context))).map((message) => message.event.id)).toEqual(
      events.map((event) => event.id),
    );
  });

  it('loses and repeats nothing when two instances of a context relay at once', async () => {
    const first = await startContext('twins');
    const secondDb = await openContextDb(first.context);
    dbs.push(secondDb);
    const secondLog = await createNatsEventLog(logOptions(prefix));
    logs.push(secondLog);
    await secondLog.attachOutbox(first.context, secondDb);
    const written: string[] = [];

    await Promise.all(
      [first.db, secondDb].flatMap((db, instance) =>
        Array.from({ length: 40 }, async (_, index) => {
          const event = testEvent(first.context, 'test.twin.written', `twin/${instance}/${index}`);
          await db.transaction((tx) => appendToOutbox(tx, event));
          written.push(event.id);
        }),
      ),
    );
    await waitFor(async () => (await readStream(names.stream(first.context))).length >= written.length);

    const relayed = (await readStream(names.stream(first.context))).map((message) => message.event.id);
    expect(relayed).toHaveLength(written.length);
    expect(new Set(relayed)).toEqual(new Set(written));
    expect((await secondLog.outboxStatus())[0]).toMatchObject({ backlog: 0 });
  });
});
