import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStorage } from './sqlite.storage.js';
import { queued } from './queue.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'pos-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqliteStorage', () => {
  it('keeps the queue, its order and the state across a reopen, and commits queue and state together', async () => {
    const file = join(dir, 'till.sqlite');
    const first = sqliteStorage(file);
    await first.commit({ append: [queued('a'), queued('b')], state: { shift: { seq: 1, receipts: 2 } } });
    await first.settle([{ id: 'a', status: 'synced', attempts: 1, syncedAt: '2026-11-01T09:00:00Z' }]);
    await expect(
      first.commit({ append: [queued('c'), queued('b')], state: { shift: null } }),
    ).rejects.toThrow();
    await first.close();

    const reopened = sqliteStorage(file);
    expect((await reopened.pending(10)).map((entry) => entry.id)).toEqual(['b']);
    expect(await reopened.get('shift')).toEqual({ seq: 1, receipts: 2 });
    expect(await reopened.counts()).toEqual({ pending: 1, synced: 1, quarantined: 0 });
    expect((await reopened.recent(10)).map((entry) => entry.id)).toEqual(['b', 'a']);
    expect(await reopened.find('a')).toMatchObject({ status: 'synced', syncedAt: '2026-11-01T09:00:00Z' });
    await reopened.close();
  });
});
