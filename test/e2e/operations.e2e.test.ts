/**
 * Operating a running platform, on every engine: the OpenAPI document and Prometheus metrics, API keys and
 * their scopes managed with the CLI, the dead-letter list, and `inventory verify` finding a tampered balance.
 * Starting, stopping and the start-up admin key are in server-lifecycle.e2e.test.ts.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { saleBody, seedShop, type Shop } from '../support/fixtures.js';

describe.each(ENGINES)('operating the platform (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  beforeAll(async () => {
    platform = await startPlatform(engine, { env: { TILLSTREAM_API_KEY_CACHE_TTL_MS: '500' } });
    shop = await seedShop(platform, { skuCount: 1, stock: 100 });
  });
  afterAll(async () => platform?.stop());

  it('serves OpenAPI 3.1 at /docs without a key, covering the fixed routes', async () => {
    const docs = await fetch(`${platform.processes.get('pos')![0]!.baseUrl}/docs/json`);
    expect(docs.status).toBe(200);
    const document = (await docs.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/pos/v1/sales');
    if (engine === 'embedded') {
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/erp/v1/products/{sku}',
          '/erp/v1/inventory/adjustments',
          '/commerce/v1/products/{sku}',
          '/hub/v1/events',
        ]),
      );
    }
  });

  it('exposes Prometheus metrics: latency histograms, outbox backlog, consumer position and lag', async () => {
    await platform.request('GET', `/erp/v1/inventory/${shop.skus[0]}`);
    const metrics = await (await fetch(`${platform.processes.get('erp')![0]!.baseUrl}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/tillstream_outbox_backlog\{context="erp"\} \d+/);
    expect(metrics).toMatch(/tillstream_consumer_position\{consumer="erp.pos-sales",source="pos"\} \d+/);
    expect(metrics).toMatch(/tillstream_consumer_lag\{consumer="erp.pos-sales",source="pos"\} \d+/);
    expect(metrics).toMatch(/tillstream_consumer_pending\{consumer="erp.pos-sales",source="pos"\} \d+/);
  });

  it('enforces key scopes: a terminal key posts only its own sales and cannot change prices', async () => {
    const created = JSON.parse(
      await platform.cli([
        'keys',
        'create',
        '--name',
        'till-7',
        '--scopes',
        'pos:write,pos:read',
        '--terminal',
        'till-7',
        '--store',
        shop.storeId,
      ]),
    ) as { id: string; secret: string };
    expect(created.secret).toMatch(/^tsk_/);
    const asTerminal = { authorization: `Bearer ${created.secret}` };
    const own = await platform.request(
      'POST',
      '/pos/v1/sales',
      saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }], { terminalId: 'till-7' }),
      asTerminal,
    );
    expect(own.status).toBe(201);
    const other = await platform.request(
      'POST',
      '/pos/v1/sales',
      saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }], { terminalId: 'till-8' }),
      asTerminal,
    );
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('terminal_mismatch');
    const reprice = await platform.request(
      'PUT',
      `/erp/v1/products/${shop.skus[0]}`,
      { name: 'x', price: { amount: 1, currency: 'EUR' } },
      asTerminal,
    );
    expect(reprice.status).toBe(403);
    expect(reprice.body).toMatchObject({ code: 'insufficient_scope', requiredScope: 'erp:write' });

    // Verified keys are cached for a short while (apiKeyCacheTtlMs, 500 ms here); the revocation holds once the
    // last verification (the reprice above) is twice that old, which the revoking CLI call mostly is by itself.
    const cacheExpiredAt = Date.now() + 1_000;
    expect(await platform.cli(['keys', 'revoke', created.id])).toContain('revoked');
    await new Promise((done) => setTimeout(done, Math.max(0, cacheExpiredAt - Date.now())));
    const revoked = await platform.request(
      'GET',
      `/pos/v1/sales/${(own.body as { id: string }).id}`,
      undefined,
      asTerminal,
    );
    expect(revoked.status).toBe(401);
  }, 30_000);

  it('keys: lists every key without secrets, and refuses a terminal without its store or an unknown store', async () => {
    const created = JSON.parse(
      await platform.cli([
        'keys',
        'create',
        '--name',
        'till-9',
        '--scopes',
        'pos:read',
        '--store',
        shop.storeId,
      ]),
    ) as { id: string; secret: string };
    const listing = await platform.cli(['keys', 'list']);
    expect(listing).not.toContain(created.secret);
    expect(listing).not.toContain(platform.adminKey);
    const keys = JSON.parse(listing) as Array<Record<string, unknown>>;
    expect(keys.find((key) => key.id === created.id)).toEqual({
      id: created.id,
      name: 'till-9',
      scopes: ['pos:read'],
      terminalId: null,
      storeId: shop.storeId,
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(keys.map((key) => key.name)).toContain('admin (TILLSTREAM_ADMIN_KEY)');
    const refused = (args: string[]) =>
      platform.cli(['keys', 'create', '--name', 'till-x', '--scopes', 'pos:read', ...args]).then(
        () => null,
        (error: { code?: number; stderr?: string }) => error,
      );
    const withoutStore = await refused(['--terminal', 'till-x']);
    expect(withoutStore?.code).toBe(2);
    expect(withoutStore?.stderr).toContain('--store');
    const unknownStore = await refused(['--terminal', 'till-x', '--store', 'store-nowhere']);
    expect(unknownStore?.code).toBe(1);
    expect(unknownStore?.stderr).toContain('store-nowhere');
    const names = (JSON.parse(await platform.cli(['keys', 'list'])) as Array<{ name: string }>).map(
      (key) => key.name,
    );
    expect(names).not.toContain('till-x');
  }, 30_000);

  it('lists no dead letters when every event applied', async () => {
    expect(JSON.parse(await platform.cli(['dlq', 'list']))).toEqual([]);
  });

  // Embedded only: it edits a balance in the data dir's SQLite file behind ERP's back. Last, as it tampers
  // with the shared platform (and puts the balance back).
  it.runIf(engine === 'embedded')(
    'inventory verify exits 1 and names the key when a balance in the data dir was tampered with, 0 once it is true',
    async () => {
      const erpFile = join(platform.dataDir!, 'erp.sqlite');
      const setOnHand = (sku: string, locationId: string, delta: number) => {
        // Behind ERP's back, as a bad restore or a hand edit would: no movement explains the change.
        const db = new Database(erpFile);
        try {
          db.pragma('busy_timeout = 5000');
          db.prepare('UPDATE stock_balances SET on_hand = on_hand + ? WHERE sku = ? AND location_id = ?').run(
            delta,
            sku,
            locationId,
          );
        } finally {
          db.close();
        }
      };
      const stocked = await seedShop(platform, { skuCount: 2, stock: 10 });
      const [sku, other] = stocked.skus as [string, string];
      expect(JSON.parse(await platform.cli(['inventory', 'verify']))).toMatchObject({ ok: true });
      setOnHand(sku, stocked.storeId, 3);
      const failed = await platform.cli(['inventory', 'verify']).then(
        () => null,
        (error: { code?: number; stdout?: string }) => error,
      );
      expect(failed?.code).toBe(1);
      const report = JSON.parse(failed!.stdout!);
      expect(report.ok).toBe(false);
      expect(report.mismatches).toEqual([
        expect.objectContaining({
          sku,
          locationId: stocked.storeId,
          balance: expect.objectContaining({ onHand: 13 }),
          ledger: expect.objectContaining({ onHand: 10 }),
        }),
      ]);
      expect(report.mismatches.map((row: { sku: string }) => row.sku)).not.toContain(other);
      // The running server's endpoint sees the same.
      expect((await platform.request('GET', '/erp/v1/inventory/ledger-check')).body.ok).toBe(false);
      setOnHand(sku, stocked.storeId, -3);
      expect(JSON.parse(await platform.cli(['inventory', 'verify']))).toMatchObject({ ok: true });
    },
  );
});
