import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, manualClock } from '@tillstream/kernel';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';
import { createSnapshotPruner } from '../src/pricing/snapshot.pruner.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const HOUR_MS = 3_600_000;
const RETENTION_HOURS = 720;

describe.each(harnessDialects(pgUrl))('pricing snapshots past their retention (%s)', (dialect) => {
  let erp: ContextHarness;
  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
  });
  afterAll(async () => erp?.close());

  /** Sets the tee's price, then reads the snapshot as a till would: which mints a version for the change. */
  const priceAndMint = async (amount: number) => {
    const put = await erp.api('PUT', '/products/TEE', { name: 'Tee', price: { amount, currency: 'EUR' } });
    expect(put.status).toBeLessThan(300);
    const snapshot = await erp.api('GET', '/pricing/snapshot');
    expect(snapshot.status).toBe(200);
    return snapshot.body.version as number;
  };
  const served = async (version: number) => (await erp.api('GET', `/pricing/snapshots/${version}`)).status;
  const prunerAt = (retentionHours: number) =>
    createSnapshotPruner({
      db: erp.db,
      clock: manualClock(erp.clock.now()),
      logger: createLogger({ name: 'pruner-test', level: 'silent' }),
      retentionHours,
    });

  it('drops versions replaced longer ago than the retention, keeping the one in effect then and every newer one', async () => {
    const first = await priceAndMint(1000);
    erp.clock.advance(HOUR_MS);
    const second = await priceAndMint(1100);
    erp.clock.advance(24 * HOUR_MS);
    const inEffectAtCutoff = await priceAndMint(1200);
    erp.clock.advance((RETENTION_HOURS + 100) * HOUR_MS);
    const newest = await priceAndMint(1300);
    expect([first, second, inEffectAtCutoff, newest]).toEqual([first, first + 1, first + 2, first + 3]);

    expect(await prunerAt(0).prune()).toBe(0);
    expect(await prunerAt(RETENTION_HOURS).prune()).toBe(2);
    expect(await Promise.all([first, second, inEffectAtCutoff, newest].map(served))).toEqual([
      404, 404, 200, 200,
    ]);
    expect(await prunerAt(RETENTION_HOURS).prune()).toBe(0);

    // Versions go on from the newest: a later change mints the next number, never one that was pruned.
    erp.clock.advance(HOUR_MS);
    expect(await priceAndMint(1400)).toBe(newest + 1);
  });
});
