import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPlatform, type Response, type TestPlatform } from '../support/platform.js';
import { onHandAt, saleBody, seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';

const STOCK = 10_000;
const DATABASES = ['analytics', 'auth', 'commerce', 'erp', 'hub', 'pos'];

/** What a set of sales takes of each SKU's stock (one line each). */
const soldOf = (shop: Shop, sales: Array<ReturnType<typeof saleBody>>) =>
  shop.skus.map((sku) =>
    sales
      .filter((sale) => sale.lines[0]!.sku === sku)
      .reduce((sum, sale) => sum + sale.lines[0]!.quantity, 0),
  );

/**
 * An online backup taken in the middle of a burst of sales, restored by starting a platform on it: POS and ERP
 * agree on exactly the sales the copy holds, and the restored platform takes the rest as if nothing happened.
 */
describe('online backup of the embedded engine', () => {
  let platform: TestPlatform;
  let restored: TestPlatform | undefined;
  let shop: Shop;
  beforeAll(async () => {
    platform = await startPlatform('embedded');
    shop = await seedShop(platform, { skuCount: 3, stock: STOCK });
  });
  afterAll(async () => {
    await restored?.stop();
    await platform?.stop();
  });

  it('copies every database as of one instant while sales go on, and restores from it', async () => {
    const sales = Array.from({ length: 400 }, (_, index) =>
      saleBody(shop, [{ sku: shop.skus[index % 3]!, quantity: 1 + (index % 4) }]),
    );
    let next = 0;
    let backup: Promise<Response> | undefined;
    const worker = async () => {
      while (next < sales.length) {
        const sale = sales[next++]!;
        if (next === 120) backup = platform.request('POST', '/ops/v1/backups');
        const response = await platform.request('POST', '/pos/v1/sales', sale);
        expect(response.status).toBe(201);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const taken = await backup!;
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body.directory).toBe(join(platform.dataDir!, 'backups', taken.body.id));
    expect(taken.body.files.map((file: { database: string }) => file.database).sort()).toEqual(DATABASES);
    expect(taken.body.files.every((file: { bytes: number }) => file.bytes > 0)).toBe(true);
    expect(readdirSync(join(platform.dataDir!, 'backups'))).toEqual([taken.body.id]);

    const listed = await platform.request('GET', '/ops/v1/backups');
    expect(listed.status).toBe(200);
    const { durationMs: _duration, ...withoutDuration } = taken.body;
    expect(listed.body.backups).toEqual([withoutDuration]);

    restored = await startPlatform('embedded', {
      dataDir: taken.body.directory,
      adminKey: platform.adminKey,
    });
    // The copy holds the sales acknowledged by the instant it was taken, and was taken mid-burst.
    const kept = [];
    for (const sale of sales) {
      const stored = await restored.request('GET', `/pos/v1/sales/${sale.id}`);
      expect([200, 404]).toContain(stored.status);
      if (stored.status === 200) kept.push(sale);
    }
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(sales.length);
    // ERP's copy agrees with POS's: each kept sale applied exactly once, none that POS's copy lacks.
    const keptSold = soldOf(shop, kept);
    for (const [index, sku] of shop.skus.entries())
      await waitForOnHand(restored, sku, shop.storeId, STOCK - keptSold[index]!);

    // What was sold after the copy is posted again (unsynced tills, receipts keyed in), in another order than
    // it first was: ERP and analytics apply it too (none is skipped as read already), and replays of kept sales
    // change nothing.
    for (const sale of [...sales].reverse()) {
      const response = await restored.request('POST', '/pos/v1/sales', sale);
      expect(response.status).toBe(kept.includes(sale) ? 200 : 201);
    }
    const allSold = soldOf(shop, sales);
    for (const [index, sku] of shop.skus.entries())
      await waitForOnHand(restored, sku, shop.storeId, STOCK - allSold[index]!);
    // Analytics reads POS's log too, and its copy was taken after POS's: it counts every sale once as well.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const report = `/analytics/v1/sales?from=${day(-1)}&to=${day(2)}&locationId=${shop.storeId}&timeZone=UTC`;
    const counted = async () => {
      const rows = (await restored!.request('GET', report)).body.rows as Array<{
        transactions: number;
        units: number;
      }>;
      return rows.reduce((sum, row) => [sum[0]! + row.transactions, sum[1]! + row.units], [0, 0]);
    };
    const units = allSold.reduce((sum, sold) => sum + sold, 0);
    await eventually(
      async () => (await counted()).join() === [sales.length, units].join(),
      30_000,
      'analytics',
    );
    await new Promise((done) => setTimeout(done, 300));
    for (const [index, sku] of shop.skus.entries())
      expect(await onHandAt(restored, sku, shop.storeId)).toBe(STOCK - allSold[index]!);
    expect(await counted()).toEqual([sales.length, units]);
  });

  it('is the admin’s alone, and a directory it cannot write is a 503 that leaves the platform serving', async () => {
    const reader = JSON.parse(
      await platform.cli(['keys', 'create', '--name', 'auditor', '--scopes', 'erp:read,pos:read']),
    ) as { secret: string };
    const refused = await platform.request('POST', '/ops/v1/backups', undefined, {
      authorization: `Bearer ${reader.secret}`,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    const anonymous = await fetch(`${platform.processes.get('erp')![0]!.baseUrl}/ops/v1/backups`, {
      method: 'POST',
    });
    expect(anonymous.status).toBe(401);

    // The backup directory is a file: nothing can be written under it.
    const blocked = join(platform.dataDir!, 'not-a-directory');
    writeFileSync(blocked, 'in the way');
    const broken = await startPlatform('embedded', {
      env: { TILLSTREAM_BACKUP_DIR: join(blocked, 'backups') },
    });
    try {
      const failed = await broken.request('POST', '/ops/v1/backups');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(failed.body.code).toBe('backup_failed');
      expect((await broken.request('GET', '/ops/v1/backups')).body).toEqual({ backups: [] });
      // What an alert watches: no backup has succeeded, one failed.
      const metrics = await (await fetch(`${broken.processes.get('erp')![0]!.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^tillstream_backup_failures 1$/m);
      expect(metrics).toMatch(/^tillstream_backup_last_success_timestamp_seconds 0$/m);
      expect(
        (
          await broken.request('PUT', '/erp/v1/locations/after-failed-backup', {
            name: 'Still serving',
            kind: 'store',
          })
        ).status,
      ).toBe(201);
      expect(existsSync(join(blocked, 'backups'))).toBe(false);
    } finally {
      await broken.stop();
    }
  });
});
