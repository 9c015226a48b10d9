import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent } from '@tillstream/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyEvents,
  kernelMigrations,
  openSqlite,
  readCheckpoint,
  runMigrations,
  type ConsumerSpec,
  type Db,
  type Tx,
} from '../src/index.js';
import { foreignEvent } from '../src/testing/index.js';
import { dropSchemas, openContextDb, pgUrl, runId } from './scale-out.support.js';

const WANTED = 'test.thing.happened';

const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(dialects)('applyEvents on %s', (dialect) => {
  let dir: string;
  let schema: string;
  let db: Db;
  /** What happened, in order: `prepare:<n,n>`, `handle:<n>` or `finish`, with the transaction each ran in. */
  let calls: Array<{ call: string; tx: Tx }>;

  const event = (n: number, type = WANTED) => foreignEvent('source', type, `thing/${n}`, 1, { n });
  const numbers = (events: readonly CloudEvent[]) => events.map((e) => (e.data as { n: number }).n).join(',');
  const consumer = (fails?: 'prepare' | 'finish'): ConsumerSpec => ({
    name: 'test.prepared',
    db,
    sources: ['source'],
    types: [WANTED],
    async prepare(events, tx) {
      calls.push({ call: `prepare:${numbers(events)}`, tx });
      if (fails === 'prepare') throw new Error('prepare failed');
    },
    async handle(applied, tx) {
      calls.push({ call: `handle:${numbers([applied])}`, tx });
      await tx.execute('INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3)', [
        'test.effects',
        applied.id,
        new Date().toISOString(),
      ]);
    },
    async finish(tx) {
      calls.push({ call: 'finish', tx });
      if (fails === 'finish') throw new Error('finish failed');
    },
  });

  beforeEach(async () => {
    calls = [];
    if (dialect === 'postgres') {
      schema = `t_apply_${runId()}`;
      db = await openContextDb(schema);
      return;
    }
    dir = mkdtempSync(join(tmpdir(), 'tillstream-apply-'));
    db = openSqlite({ file: join(dir, 'target.sqlite'), context: 'target' });
    await runMigrations(db, kernelMigrations);
  });
  afterEach(async () => {
    await db.close();
    if (dialect === 'postgres') await dropSchemas(schema);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('handles each event once: again in a later batch, or twice within one, it is skipped', async () => {
    const [one, two, three] = [event(1), event(2), event(3)];
    const at = (list: CloudEvent[]) => list.map((e, index) => ({ event: e, position: index + 1 }));
    expect(await applyEvents(consumer(), 'source', at([one!, two!]), new Date().toISOString())).toBe(2);
    expect(
      await applyEvents(consumer(), 'source', at([two!, three!, three!, one!]), new Date().toISOString()),
    ).toBe(1);
    expect(calls.filter((entry) => entry.call.startsWith('handle')).map((entry) => entry.call)).toEqual([
      'handle:1',
      'handle:2',
      'handle:3',
    ]);
    const inbox = await db.query<{ event_id: string }>(
      "SELECT event_id FROM inbox WHERE consumer = 'test.prepared' ORDER BY event_id",
    );
    expect(inbox.map((row) => row.event_id).sort()).toEqual([one!.id, two!.id, three!.id].sort());
  });

  it('prepares once with the events of its types, handles each, then finishes, all in one transaction', async () => {
    const items = [event(1), event(2, 'test.other.thing'), event(3)].map((e, index) => ({
      event: e,
      position: index + 1,
    }));
    expect(await applyEvents(consumer(), 'source', items, new Date().toISOString())).toBe(2);
    expect(calls.map((entry) => entry.call)).toEqual(['prepare:1,3', 'handle:1', 'handle:3', 'finish']);
    expect(new Set(calls.map((entry) => entry.tx)).size).toBe(1);
    expect(await readCheckpoint(db, 'test.prepared', 'source')).toBe(3);
  });

  it('neither prepares nor finishes a batch with none of its types', async () => {
    const items = [{ event: event(1, 'test.other.thing'), position: 1 }];
    expect(await applyEvents(consumer(), 'source', items, new Date().toISOString())).toBe(0);
    expect(calls).toEqual([]);
    expect(await readCheckpoint(db, 'test.prepared', 'source')).toBe(1);
  });

  it('fails the whole batch when prepare throws: nothing handled, no inbox row, the checkpoint unmoved', async () => {
    const items = [event(1), event(2)].map((e, index) => ({ event: e, position: index + 1 }));
    await expect(applyEvents(consumer('prepare'), 'source', items, new Date().toISOString())).rejects.toThrow(
      'prepare failed',
    );
    expect(calls.map((entry) => entry.call)).toEqual(['prepare:1,2']);
    expect(await readCheckpoint(db, 'test.prepared', 'source')).toBe(0);
    expect(await db.query('SELECT * FROM inbox')).toEqual([]);
  });

  it('fails the whole batch when finish throws: what the handlers wrote, inbox rows and checkpoint roll back', async () => {
    const items = [event(1), event(2)].map((e, index) => ({ event: e, position: index + 1 }));
    await expect(applyEvents(consumer('finish'), 'source', items, new Date().toISOString())).rejects.toThrow(
      'finish failed',
    );
    expect(calls.map((entry) => entry.call)).toEqual(['prepare:1,2', 'handle:1', 'handle:2', 'finish']);
    expect(await readCheckpoint(db, 'test.prepared', 'source')).toBe(0);
    expect(await db.query('SELECT * FROM inbox')).toEqual([]);
  });
});
