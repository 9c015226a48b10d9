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

describe.skipIf(!pgUrl || !natsUrl)('postgres outbox relay to NATS JetStream', () => {
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

  afterAll(async () => {
    await Promise.all(logs.map((log) => log.close()));
    await Promise.all(dbs.map((db) => db.close()));
    await dropSchemas(...schemas);
    await deleteStreams(prefix);
  });

  it('relays a lower position that commits after a higher one was relayed', async () => {
    const { context, db, log } = await startContext('gap');
    const stream = names.stream(context);
    const eventA = testEvent(context, 'test.gap.first', 'gap/a');
    const eventB = testEvent(context, 'test.gap.second', 'gap/b');
    const relayedIds = async () => (await readStream(stream)).map((message) => message.event.id);

    let positionA = 0;
    let commitA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commitA = resolve));
    let aInserted!: () => void;
    const aHasInserted = new Promise<void>((resolve) => (aInserted = resolve));
    const transactionA = db.transaction(async (tx) => {
      positionA = await appendToOutbox(tx, eventA);
      aInserted();
      await aMayCommit;
    });
    await aHasInserted;
    const positionB = await db.transaction((tx) => appendToOutbox(tx, eventB));

    await waitFor(async () => (await relayedIds()).includes(eventB.id));
    const relayedBeforeACommitted = await relayedIds();
    commitA();
    await transactionA;
    // A reader that remembered "last position relayed" would now look after B and never see A.
    const naiveRead = await db.query<{ id: string }>('SELECT id FROM outbox WHERE position > $1', [
      positionB,
    ]);
    await waitFor(async () => (await relayedIds()).includes(eventA.id));

    expect(positionA).toBeLessThan(positionB);
    expect(relayedBeforeACommitted).toEqual([eventB.id]);
    expect(naiveRead).toEqual([]);
    expect(await relayedIds()).toEqual([eventB.id, eventA.id]);
    expect(await log.outboxStatus()).toEqual([{ context, backlog: 0, head: positionB }]);
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
