import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createOutbox,
  kernelMigrations,
  openSqlite,
  runMigrations,
  systemClock,
  uuidV7Ids,
  type Db,
} from '../src/index.js';
import { SourceTail } from '../src/events/source-tail.js';
import type { LogItem } from '../src/events/apply.js';

const contract = { type: 'test.thing.happened', version: 1 };

describe('SourceTail: one outbox read once for all of its embedded consumers', () => {
  let dir: string;
  let db: Db;
  const outbox = createOutbox('test', { clock: systemClock, ids: uuidV7Ids });

  const append = (count: number, from: number) =>
    db.transaction((tx) =>
      outbox.append(
        tx,
        Array.from({ length: count }, (_, index) => ({
          contract,
          subject: `thing/${from + index}`,
          sequence: 1,
          data: { n: from + index },
        })),
      ),
    );

  /** What a consumer sees reading from `after` in batches of `limit` until nothing is left. */
  const readAll = async (tail: SourceTail, after: number, limit: number) => {
    const seen: number[] = [];
    let position = after;
    for (;;) {
      const items: LogItem[] = await tail.read(position, limit);
      if (items.length === 0) return seen;
      expect(items.length).toBeLessThanOrEqual(limit);
      seen.push(...items.map((item) => (item.event.data as { n: number }).n));
      position = items[items.length - 1]!.position;
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-tail-'));
    db = openSqlite({ file: join(dir, 'test.sqlite'), context: 'test' });
    await runMigrations(db, kernelMigrations);
    await append(30, 1);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const oneToThirty = Array.from({ length: 30 }, (_, index) => index + 1);

  it.each([
    { case: 'window larger than the log', keep: 100, limit: 7 },
    { case: 'window smaller than a batch', keep: 3, limit: 7 },
    { case: 'window of a few batches', keep: 12, limit: 4 },
  ])('gives every consumer every event once, in order ($case)', async ({ keep, limit }) => {
    const tail = new SourceTail(db, keep);
    const [fast, slow] = await Promise.all([readAll(tail, 0, limit), readAll(tail, 0, limit - 1)]);
    expect(fast).toEqual(oneToThirty);
    expect(slow).toEqual(oneToThirty);
  });

  it('serves a consumer behind the window, and one that starts mid-log, from the table', async () => {
    const tail = new SourceTail(db, 5);
    expect(await readAll(tail, 0, 10)).toEqual(oneToThirty);
    expect(await readAll(tail, 0, 10)).toEqual(oneToThirty);
    expect(await readAll(tail, 12, 10)).toEqual(oneToThirty.slice(12));
  });

  it('sees what was appended after its last read', async () => {
    const tail = new SourceTail(db, 100);
    expect(await readAll(tail, 0, 50)).toEqual(oneToThirty);
    await append(5, 31);
    const after30 = (
      await db.query<{ position: number }>('SELECT position FROM outbox ORDER BY position')
    )[29]!.position;
    expect(await readAll(tail, after30, 50)).toEqual([31, 32, 33, 34, 35]);
  });

  it('hands out frozen events: one consumer cannot change what another sees', async () => {
    const tail = new SourceTail(db, 100);
    const [item] = await tail.read(0, 1);
    expect(() => {
      (item!.event.data as { n: number }).n = 99;
    }).toThrow(TypeError);
    expect(((await tail.read(0, 1))[0]!.event.data as { n: number }).n).toBe(1);
  });

  describe('commits handed over by the writer', () => {
    /** The tail over a Db that counts its reads of the table. */
    const countingTail = (keep: number) => {
      const reads = { count: 0 };
      const counted: Db = {
        ...db,
        query: (sql, params) => {
          reads.count += 1;
          return db.query(sql, params);
        },
      };
      const tail = new SourceTail(counted, keep);
      return { tail, reads };
    };
    const positionOf = async (index: number) =>
      (await db.query<{ position: number }>('SELECT position FROM outbox ORDER BY position'))[index]!
        .position;

    it('serves them from memory once a read has reached the head of the log', async () => {
      const { tail, reads } = countingTail(100);
      expect(await readAll(tail, 0, 50)).toEqual(oneToThirty);
      const readsAtHead = reads.count;
      await append(5, 31);
      await append(2, 36);
      expect(await readAll(tail, await positionOf(29), 50)).toEqual([31, 32, 33, 34, 35, 36, 37]);
      expect(reads.count).toBe(readsAtHead);
    });

    it('reads the table again after a commit whose rows it was not given', async () => {
      const { tail } = countingTail(100);
      expect(await readAll(tail, 0, 50)).toEqual(oneToThirty);
      await db.transaction(async (tx) => {
        await tx.execute('INSERT INTO outbox (id, type, subject, envelope) VALUES ($1, $2, $3, $4)', [
          'raw-1',
          contract.type,
          'thing/raw',
          JSON.stringify({ id: 'raw-1', data: { n: 31 } }),
        ]);
        tx.outboxWritten();
      });
      expect(await readAll(tail, await positionOf(29), 50)).toEqual([31]);
    });

    it('keeps none of a rolled-back transaction', async () => {
      const { tail } = countingTail(100);
      expect(await readAll(tail, 0, 50)).toEqual(oneToThirty);
      await expect(
        db.transaction(async (tx) => {
          await outbox.append(tx, [{ contract, subject: 'thing/lost', sequence: 1, data: { n: -1 } }]);
          throw new Error('changed its mind');
        }),
      ).rejects.toThrow('changed its mind');
      await append(1, 31);
      expect(await readAll(tail, await positionOf(29), 50)).toEqual([31]);
    });
  });
});
