/**
 * Starting and stopping the `tillstream` server as an operator does (embedded): draining on SIGTERM with
 * every committed event applied, readiness while --demo seeds, stopping with the npm that launched it, usage
 * errors, and the admin key generated at first start or refused once revoked.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, spawnServer, waitForExit } from '../support/processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { eventually, startPlatform } from '../support/platform.js';
import { saleBody, seedShop } from '../support/fixtures.js';

const runCli = async (args: string[], env: NodeJS.ProcessEnv) =>
  (await promisify(execFile)(process.execPath, [CLI, ...args], { env })).stdout;

/**
 * Events a consumer handles that lie past its persisted checkpoint, read from the data dir's files. Only
 * the consumer's own types count: a batch of events it ignores moves its position in memory only.
 */
function consumersBehind(
  dataDir: string,
  handled: Record<string, Record<string, readonly string[] | '*'>>,
): Array<{ consumer: string; source: string; checkpoint: number; unapplied: number }> {
  const open = (context: string) => new Database(join(dataDir, `${context}.sqlite`), { readonly: true });
  const behind = [];
  for (const [consumer, sources] of Object.entries(handled)) {
    const db = open(consumer.split('.')[0]!);
    try {
      for (const [source, types] of Object.entries(sources)) {
        const row = db
          .prepare('SELECT position FROM consumer_checkpoints WHERE consumer = ? AND source = ?')
          .get(consumer, source) as { position: number } | undefined;
        const checkpoint = row?.position ?? 0;
        const log = open(source);
        try {
          const events = log.prepare('SELECT type FROM outbox WHERE position > ?').all(checkpoint) as Array<{
            type: string;
          }>;
          const unapplied = events.filter((event) => types === '*' || types.includes(event.type)).length;
          if (unapplied > 0) behind.push({ consumer, source, checkpoint, unapplied });
        } finally {
          log.close();
        }
      }
    } finally {
      db.close();
    }
  }
  return behind;
}

describe('graceful shutdown (embedded)', () => {
  it('SIGTERM finishes in-flight sales and applies every committed event before it exits 0', async () => {
    const platform = await startPlatform('embedded');
    try {
      const shop = await seedShop(platform, { skuCount: 1, stock: 1000 });
      const server = platform.processes.get('pos')![0]!;
      const sales = Array.from({ length: 400 }, () => saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }]));
      /** Per sale: its status, `refused` (never connected), or `cut` (any other error: reset, closed). */
      const outcomes: Array<number | 'refused' | 'cut' | undefined> = [];
      const answeredAfterSignal: number[] = [];
      let signalled = false;
      let answered = 0;
      let next = 0;
      const post = async (index: number) => {
        try {
          const response = await fetch(`${server.baseUrl}/pos/v1/sales`, {
            method: 'POST',
            headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(sales[index]),
          });
          await response.arrayBuffer();
          outcomes[index] = response.status;
          if (signalled) answeredAfterSignal.push(response.status);
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          outcomes[index] = code === 'ECONNREFUSED' ? 'refused' : 'cut';
        }
        answered += 1;
        // As an operator's restart would land: mid-stream, 40 sales in flight.
        if (answered === 120) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      };
      const exited = new Promise((done) => server.child.once('exit', done));
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          while (next < sales.length) await post(next++);
        }),
      );
      const exitCode = await exited;
      expect(exitCode, server.output()).toBe(0);
      // Every answer was a sale taken or refused before it started (503), and those in flight when the
      // signal came were finished, not dropped.
      expect(
        outcomes.filter((outcome) => typeof outcome === 'number' && outcome !== 201 && outcome !== 503),
      ).toEqual([]);
      expect(answeredAfterSignal.filter((status) => status === 201).length).toBeGreaterThan(0);

      // The consumers applied everything committed, and what that caused, before the process exited.
      const behind = consumersBehind(platform.dataDir!, {
        'erp.pos-sales': { pos: ['pos.sale.completed'] },
        'commerce.catalog': { erp: ['erp.stock.changed'] },
        'hub.event-index': { erp: '*', pos: '*', commerce: '*' },
      });
      expect(behind).toEqual([]);

      await platform.restart();
      // No request was cut half-way: a sale is stored exactly when its answer said it was taken.
      const mismatched = [];
      for (const [index, sale] of sales.entries()) {
        const stored = (await platform.request('GET', `/pos/v1/sales/${sale.id}`)).status === 200;
        if (stored !== (outcomes[index] === 201))
          mismatched.push({ index, outcome: outcomes[index], stored });
      }
      expect(mismatched).toEqual([]);
    } finally {
      await platform.stop();
    }
  }, 60_000);

  it('with --demo, answers /healthz and /readyz 200 only once the demo data can be read', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-demo-'));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'start', '--demo', '--data-dir', dataDir], {
      env: {
        ...process.env,
        TILLSTREAM_PORT: String(port),
        TILLSTREAM_ADMIN_KEY: 'demo-readiness-test-key-0123456789',
        TILLSTREAM_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const status = (path: string) =>
      fetch(`http://127.0.0.1:${port}${path}`).then(
        (response) => response.status,
        () => 0,
      );
    try {
      const seen = new Set<number>();
      await eventually(
        async () => {
          const healthz = await status('/healthz');
          seen.add(healthz);
          return healthz === 200;
        },
        30_000,
        () => `the server answering /healthz 200; it printed:\n${output}`,
      );
      // Right after the first 200: the demo catalog is there, on the storefront too.
      expect(await status('/commerce/v1/products/MUG-005')).toBe(200);
      expect(await status('/readyz')).toBe(200);
      // It was listening (and said 503) while it seeded.
      expect(seen).toContain(503);
    } finally {
      child.kill('SIGTERM');
      await waitForExit(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

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

describe('tillstream usage errors', () => {
  it('answers an unknown flag with one line and exit 2, not a stack trace', async () => {
    const refused = await runCli(['start', '--prot', '8080'], process.env).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr?.trim().split('\n')).toEqual([expect.stringContaining("'--prot'")]);
  });

  it('refuses an empty flag value with exit 2, creating nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-cli-'));
    try {
      const args = ['keys', 'create', '--name', 'till', '--scopes', 'pos:write', '--store', ''];
      const refused = await failureOf(runCli([...args, '--data-dir', dataDir], process.env));
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe('tillstream: --store needs a value');
      const keys = JSON.parse(
        await runCli(['keys', 'list', '--data-dir', dataDir], process.env),
      ) as unknown[];
      expect(keys).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says in one line, exit 1, that a port is taken, a data dir cannot be made (under /proc too), a key to revoke is unknown', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-cli-'));
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const busy = await failureOf(runCli(['start', '--port', port, '--data-dir', dataDir], process.env));
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(
        `tillstream: cannot listen on 127.0.0.1:${port}: another process listens there`,
      );
      const notADir = await failureOf(runCli(['keys', 'list', '--data-dir', CLI], process.env));
      expect(notADir.code).toBe(1);
      expect(notADir.stderr).toContain(`tillstream: EEXIST: file already exists, mkdir '${CLI}'`);
      // Node's own recursive mkdir never returns for a directory under /proc.
      const pseudo = await failureOf(
        runCli(['start', '--port', '0', '--data-dir', '/proc/tillstream-data'], process.env),
      );
      expect(pseudo.code).toBe(1);
      expect(pseudo.stderr).toContain(
        "tillstream: ENOENT: no such file or directory, mkdir '/proc/tillstream-data'",
      );
      const unknown = await failureOf(
        runCli(['keys', 'revoke', 'no-such-key', '--data-dir', dataDir], process.env),
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe('no active key no-such-key (tillstream keys list shows every key)');
      for (const refusal of [busy, notADir, pseudo, unknown]) expect(refusal.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** How a CLI run that must fail failed: its exit code and what it wrote to stderr. */
async function failureOf(run: Promise<unknown>): Promise<{ code: number; stderr: string }> {
  const failure = await run.then(
    () => ({ code: 0, stderr: '(it succeeded)' }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
  );
  return failure;
}

describe('one server per data dir (embedded)', () => {
  it('refuses a second server on a data dir in use, naming the first, and starts once that one is gone', async () => {
    const platform = await startPlatform('embedded');
    try {
      const first = platform.processes.get('erp')![0]!;
      const second = await platform.cli(['start', '--port', String(await freePort())]).then(
        () => null,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(second?.code).toBe(1);
      expect(second?.stderr).toContain(`in use by another tillstream server (pid ${first.child.pid})`);
      expect(second?.stderr).not.toMatch(/SqliteError|\n\s+at /);
      // The first still serves, and keeps its data: nothing of the second was opened.
      expect(
        (await platform.request('PUT', '/erp/v1/locations/still-mine', { name: 'Mine', kind: 'store' }))
          .status,
      ).toBe(201);
      // SIGKILL leaves no stale lock: the operating system let go of it with the process.
      await platform.kill();
      await platform.restart();
      expect((await platform.request('GET', '/erp/v1/locations/still-mine')).status).toBe(200);
    } finally {
      await platform.stop();
    }
  }, 60_000);
});

describe('the bootstrap admin key (embedded)', () => {
  it('prints a generated key with its id, and refuses to start again on a revoked TILLSTREAM_ADMIN_KEY', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-admin-'));
    const { TILLSTREAM_ADMIN_KEY: _unset, ...env } = process.env;
    const server = await spawnServer(
      ['start', '--data-dir', dataDir],
      env as Record<string, string>,
      await freePort(),
    );
    try {
      const printed = /(tsk_\S+)\s+key id (\S+)/.exec(server.output());
      expect(printed, server.output()).not.toBeNull();
      const listed = JSON.parse(await runCli(['keys', 'list', '--data-dir', dataDir], env)) as Array<{
        id: string;
      }>;
      expect(listed.map((key) => key.id)).toContain(printed![2]);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    }

    const platform = await startPlatform('embedded');
    try {
      const keys = JSON.parse(await platform.cli(['keys', 'list'])) as Array<{ id: string; name: string }>;
      const admin = keys.find((key) => key.name === 'admin (TILLSTREAM_ADMIN_KEY)')!;
      expect(await platform.cli(['keys', 'revoke', admin.id])).toContain('revoked');
      // Stopped without a drain, its data kept: a second server on a data dir in use is refused before anything.
      await platform.kill();
      const restarted = await platform.cli(['start', '--port', String(await freePort())]).then(
        () => null,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(restarted?.code).toBe(2);
      expect(restarted?.stderr).toContain('revoked');
      expect(restarted?.stderr).not.toContain(platform.adminKey);
      expect(restarted?.stderr).not.toMatch(/SqliteError|\n\s+at /);
    } finally {
      await platform.stop();
    }
  }, 60_000);
});
