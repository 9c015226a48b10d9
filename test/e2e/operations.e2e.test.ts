import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
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

    expect(await platform.cli(['keys', 'revoke', created.id])).toContain('revoked');
    // Verified keys are cached for a short while (apiKeyCacheTtlMs, 500 ms here); the revocation holds after that.
    await new Promise((done) => setTimeout(done, 1_000));
    const revoked = await platform.request(
      'GET',
      `/pos/v1/sales/${(own.body as { id: string }).id}`,
      undefined,
      asTerminal,
    );
    expect(revoked.status).toBe(401);
  }, 30_000);

  it('lists no dead letters when every event applied', async () => {
    expect(JSON.parse(await platform.cli(['dlq', 'list']))).toEqual([]);
  });
});

describe('tillstream inventory verify (embedded)', () => {
  it('exits 1 and names the key when a balance in the data dir was tampered with, 0 once it is true', async () => {
    const platform = await startPlatform('embedded');
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
    try {
      const shop = await seedShop(platform, { skuCount: 2, stock: 10 });
      const [sku, other] = shop.skus as [string, string];
      expect(JSON.parse(await platform.cli(['inventory', 'verify']))).toMatchObject({ ok: true });
      setOnHand(sku, shop.storeId, 3);
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
          locationId: shop.storeId,
          balance: expect.objectContaining({ onHand: 13 }),
          ledger: expect.objectContaining({ onHand: 10 }),
        }),
      ]);
      expect(report.mismatches.map((row: { sku: string }) => row.sku)).not.toContain(other);
      // The running server's endpoint sees the same.
      expect((await platform.request('GET', '/erp/v1/inventory/ledger-check')).body.ok).toBe(false);
      setOnHand(sku, shop.storeId, -3);
      expect(JSON.parse(await platform.cli(['inventory', 'verify']))).toMatchObject({ ok: true });
    } finally {
      await platform.stop();
    }
  });
});

describe('graceful shutdown (embedded)', () => {
  it('SIGTERM finishes in-flight sales, then exits 0', async () => {
    const platform = await startPlatform('embedded');
    try {
      const shop = await seedShop(platform, { skuCount: 1, stock: 1000 });
      const sales = Array.from({ length: 40 }, () => saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }]));
      const inFlight = sales.map((sale) =>
        platform.request('POST', '/pos/v1/sales', sale).then(
          (response) => response.status,
          () => 0,
        ),
      );
      const server = platform.processes.get('pos')![0]!;
      await new Promise((done) => setTimeout(done, 5));
      server.child.kill('SIGTERM');
      const exitCode = await new Promise((done) => server.child.once('exit', done));
      const statuses = await Promise.all(inFlight);
      expect(exitCode, server.output()).toBe(0);
      // Every request either completed or was refused before it started; none was cut off half-way.
      expect(statuses.every((status) => status === 201 || status === 503 || status === 0)).toBe(true);
      await platform.restart();
      for (const [index, sale] of sales.entries()) {
        if (statuses[index] === 201)
          expect((await platform.request('GET', `/pos/v1/sales/${sale.id}`)).status).toBe(200);
      }
    } finally {
      await platform.stop();
    }
  });

  it('drains and exits when the npm that launched it (npx tillstream start) is stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-npx-'));
    const port = await freePort();
    // npm exits on SIGTERM without passing it on to the server it started through a shell.
    const npm = spawn(
      'npm',
      ['exec', '--', 'tillstream', 'start', '--port', String(port), '--data-dir', dataDir],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          TILLSTREAM_ADMIN_KEY: 'npx-launch-test-key-0123456789',
          TILLSTREAM_LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const serverPid = () => Number(/"pid":(\d+)/.exec(output)?.[1] ?? 0);
    const answers = () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
    const withOutput = (what: string) => () => `${what}; npm and the server printed:\n${output}`;
    try {
      await eventually(answers, 30_000, withOutput('the server answering /healthz'));
      expect(serverPid()).toBeGreaterThan(0);
      npm.kill('SIGTERM');
      await eventually(async () => !(await answers()), 15_000, withOutput('the server no longer answering'));
      const alive = () => {
        try {
          process.kill(serverPid(), 0);
          return true;
        } catch {
          return false;
        }
      };
      await eventually(async () => !alive(), 15_000, withOutput('the server process gone'));
      expect(output).toMatch(/"signal":"launcher exited".*"msg":"draining"/);
    } finally {
      npm.kill('SIGKILL');
      const pid = serverPid();
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
