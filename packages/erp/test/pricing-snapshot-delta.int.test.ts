import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';
import { createLogger, manualClock } from '@tillstream/kernel';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { applySnapshotDelta } from '@tillstream/pricing';
import { createErp } from '../src/index.js';
import { createSnapshotPruner } from '../src/pricing/snapshot.pruner.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const HOUR_MS = 3_600_000;

describe.each(harnessDialects(pgUrl))('pricing snapshot deltas (%s)', (dialect) => {
  let erp: ContextHarness;
  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    for (const [sku, amount] of [
      ['TEE-B', 1500],
      ['TEE-A', 1000],
      ['cap-1', 900],
    ] as const) {
      const put = await erp.api('PUT', `/products/${sku}`, { name: sku, price: { amount, currency: 'EUR' } });
      expect(put.status).toBe(201);
    }
  });
  afterAll(async () => erp?.close());

  const whole = async (): Promise<PricingSnapshot> => {
    const answer = await erp.api('GET', '/pricing/snapshot');
    expect(answer.status).toBe(200);
    return answer.body as PricingSnapshot;
  };
  const deltaSince = (version: number) => erp.api('GET', `/pricing/snapshot/delta?since=${version}`);

  it('sends only what changed, and applied to the version held it is the whole current snapshot', async () => {
    const held = await whole();
    expect(held.products.map((product) => product.sku)).toEqual(['TEE-A', 'TEE-B', 'cap-1']);
    expect(
      (await erp.api('PUT', '/products/TEE-A', { name: 'TEE-A', price: { amount: 1200, currency: 'EUR' } }))
        .status,
    ).toBe(200);
    expect((await erp.api('PUT', '/promotions/SUMMER', summerPromotion)).status).toBe(201);

    const answer = await deltaSince(held.version);
    expect(answer.status).toBe(200);
    const delta = answer.body as PricingSnapshotDelta;
    expect(delta.baseVersion).toBe(held.version);
    expect(delta.products).toEqual({
      upserted: [
        { sku: 'TEE-A', price: { amount: 1200, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
      ],
      removed: [],
    });
    expect(delta.promotions.upserted.map((promotion) => promotion.id)).toEqual(['SUMMER']);
    // The delta minted the version it leads to; a whole download now serves that version, byte for byte.
    expect(applySnapshotDelta(held, delta)).toEqual(await whole());
  });

  it('answers 204 to a holder of the current version, or of a newer one another instance served', async () => {
    const current = await whole();
    expect((await deltaSince(current.version)).status).toBe(204);
    expect((await deltaSince(current.version + 5)).status).toBe(204);
  });

  it('answers 410 snapshot_version_gone for a version retention removed, 400 for no version', async () => {
    const oldest = await whole();
    await erp.api('PUT', '/products/cap-1', { name: 'cap-1', price: { amount: 950, currency: 'EUR' } });
    await whole();
    erp.clock.advance(800 * HOUR_MS);
    await erp.api('PUT', '/products/cap-1', { name: 'cap-1', price: { amount: 990, currency: 'EUR' } });
    await whole();
    const pruner = createSnapshotPruner({
      db: erp.db,
      clock: manualClock(erp.clock.now()),
      logger: createLogger({ name: 'delta-test', level: 'silent' }),
      retentionHours: 720,
    });
    expect(await pruner.prune()).toBeGreaterThan(0);

    const answer = await deltaSince(oldest.version);
    expect(answer.status).toBe(410);
    expect(answer.body).toMatchObject({ code: 'snapshot_version_gone', status: 410 });
    for (const since of ['0', 'x', '1.5', '']) {
      const refused = await erp.api('GET', `/pricing/snapshot/delta?since=${since}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed' });
    }
    expect((await erp.api('GET', '/pricing/snapshot/delta')).status).toBe(400);
  });
});

const summerPromotion = {
  name: 'Summer',
  priority: 1,
  stacking: 'stackable',
  effect: { type: 'percent_off_lines', basisPoints: 1000 },
};
