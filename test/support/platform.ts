import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, spawnServer, waitForExit, type ServerProcess } from './processes.js';
import { freePort, throughProxy, type TcpProxy } from '@tillstream/kernel/testing';
import { deleteStreams, dropDatabase, migratedTemplate } from './template-database.js';

const execFileAsync = promisify(execFile);
import { scaleOutUrls, type EngineName } from './engines.js';

export type ContextName = 'erp' | 'pos' | 'commerce' | 'hub' | 'analytics';
const CONTEXTS: ContextName[] = ['erp', 'pos', 'commerce', 'hub', 'analytics'];

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A running platform as the tests see it: real processes, real HTTP. Embedded is one process; scale-out is one
 * process per context instance over a fresh PostgreSQL database and its own JetStream stream prefix.
 */
export interface TestPlatform {
  engine: EngineName;
  adminKey: string;
  processes: Map<ContextName, ServerProcess[]>;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response<T>>;
  /** SIGKILLs one process (embedded: the only one; scale-out: instance `index` of `context`). */
  kill(context?: ContextName, index?: number): Promise<void>;
  /** Starts a killed process again on the same data. */
  restart(context?: ContextName, index?: number): Promise<void>;
  stop(): Promise<void>;
  /** Runs a `tillstream` CLI command against this platform's data (data dir or database) and returns stdout. */
  cli(args: string[]): Promise<string>;
  /** The embedded engine's data dir (one SQLite file per context); undefined for scale-out. */
  dataDir?: string;
  /** The scale-out engine's JetStream stream prefix (streams are `${prefix}_ERP`, …); undefined embedded. */
  streamPrefix?: string;
  /** The scale-out engine's PostgreSQL database (a schema per context); undefined embedded. */
  databaseUrl?: string;
}

export interface PlatformOptions {
  instances?: Partial<Record<ContextName, number>>;
  env?: Record<string, string>;
  /** Embedded: start on this data dir (a restored backup), which stop() then leaves in place. */
  dataDir?: string;
  /** The admin key to start with; a restored data dir already holds the key its platform had. */
  adminKey?: string;
  /**
   * Scale-out: start on an empty database, which every instance then migrates at once, instead of a copy of
   * the run's migrated template (template-database.ts).
   */
  emptyDatabase?: boolean;
  /**
   * Scale-out: the processes of these contexts reach PostgreSQL through a TCP proxy (kernel testing's
   * `startTcpProxy`), which the test can cut to take their database away; the others and the test itself
   * reach it directly.
   */
  databaseProxies?: Partial<Record<ContextName, TcpProxy>>;
  /** Scale-out: every process reaches NATS through this proxy, which the test can cut. */
  busProxy?: TcpProxy;
}

/** The context that serves a path (`/pos/v1/…` → pos); ERP's service also answers the platform's own. */
export const contextOf = (path: string): ContextName => {
  const context = path.split('/')[1] as ContextName;
  return CONTEXTS.includes(context) ? context : 'erp';
};

export async function startPlatform(
  engine: EngineName,
  options: PlatformOptions = {},
): Promise<TestPlatform> {
  const adminKey = options.adminKey ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = {
    TILLSTREAM_ADMIN_KEY: adminKey,
    TILLSTREAM_POLL_INTERVAL_MS: '100',
    // Every test's shoppers come from 127.0.0.1, a whole chain's traffic from one address; the rate limits'
    // own test turns them back on.
    TILLSTREAM_PUBLIC_READS_PER_MINUTE: '0',
    TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: '0',
    ...options.env,
  };
  const processes = new Map<ContextName, ServerProcess[]>();
  const launchers = new Map<string, () => Promise<ServerProcess>>();
  let cleanup: () => Promise<void>;
  let cliArgs: string[] = [];
  let cliEnv: Record<string, string> = env;
  let embeddedDataDir: string | undefined;
  let streamPrefix: string | undefined;
  let databaseUrl: string | undefined;
  /** Each server's port by `context:index`; a restart (`restart`) comes back on the same one. */
  const ports = new Map<string, number>();
  /**
   * A port is picked just before its server starts, and picked again if something took it meanwhile: any
   * outbound socket of the machine (a database connection, another test file's request) may be given the
   * same ephemeral port between `freePort` and the server's listen.
   */
  const firstLaunch = async (key: string, launch: () => Promise<ServerProcess>) => {
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 1 || !ports.has(key)) ports.set(key, await freePort());
      try {
        return await launch();
      } catch (error) {
        if (attempt === 3 || !String(error).includes('EADDRINUSE')) throw error;
      }
    }
  };

  if (engine === 'embedded') {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tillstream-e2e-'));
    const launch = () => spawnServer(['start', '--data-dir', dataDir], env, ports.get('erp:0')!);
    launchers.set('erp:0', launch);
    const server = await firstLaunch('erp:0', launch);
    for (const context of CONTEXTS) processes.set(context, [server]);
    cleanup = async () => {
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    };
    cliArgs = ['--data-dir', dataDir];
    embeddedDataDir = dataDir;
  } else {
    const database = `tillstream_e2e_${randomBytes(6).toString('hex')}`;
    const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
    const template = options.emptyDatabase ? '' : ` TEMPLATE ${await migratedTemplate()}`;
    const admin = new pg.Client({ connectionString: scaleOutUrls.pg });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}${template}`);
    await admin.end();
    const pgUrl = new URL(scaleOutUrls.pg);
    pgUrl.pathname = `/${database}`;
    const scaleEnv: Record<string, string> = {
      ...env,
      TILLSTREAM_PG_URL: pgUrl.toString(),
      TILLSTREAM_NATS_URL: options.busProxy
        ? throughProxy(scaleOutUrls.nats, options.busProxy)
        : scaleOutUrls.nats,
      TILLSTREAM_NATS_STREAM_PREFIX: prefix,
    };
    const envOf = (context: ContextName) => {
      const proxy = options.databaseProxies?.[context];
      return proxy
        ? { ...scaleEnv, TILLSTREAM_PG_URL: throughProxy(scaleEnv.TILLSTREAM_PG_URL!, proxy) }
        : scaleEnv;
    };
    const launchContext = async (context: ContextName) => {
      const launches: Array<Promise<ServerProcess>> = [];
      for (let index = 0; index < (options.instances?.[context] ?? 1); index += 1) {
        const key = `${context}:${index}`;
        // A restart comes back on the same port: the other processes know it by that.
        const launch = () => spawnServer(['serve', context], envOf(context), ports.get(key)!);
        launchers.set(key, launch);
        launches.push(firstLaunch(key, launch));
      }
      processes.set(context, await Promise.all(launches));
    };
    // Every context starts at once, as a deployment's would: each migrates its own schema and creates the
    // streams it needs, and none needs ERP to answer before it serves (POS and commerce ask it when they
    // must). ERP's port is picked first so the others know where to find it. A platform starts in 2.0–2.3 s
    // so, against 2.9 s with ERP first (two cores, 2026-12-06).
    const erpKey = 'erp:0';
    ports.set(erpKey, await freePort());
    const erpUrl = () => `http://127.0.0.1:${ports.get(erpKey)}`;
    scaleEnv.TILLSTREAM_ERP_URL = erpUrl();
    await Promise.all(CONTEXTS.map(launchContext));
    if (scaleEnv.TILLSTREAM_ERP_URL !== erpUrl()) {
      // ERP's port was taken meanwhile and it started on another: the others were told the old address.
      scaleEnv.TILLSTREAM_ERP_URL = erpUrl();
      for (const context of CONTEXTS.filter((name) => name !== 'erp')) {
        const servers = processes.get(context)!;
        for (const [index, server] of servers.entries()) {
          server.child.kill('SIGKILL');
          await waitForExit(server.child);
          servers[index] = await launchers.get(`${context}:${index}`)!();
        }
      }
    }
    streamPrefix = prefix;
    databaseUrl = pgUrl.toString();
    cliArgs = ['--engine', 'scale-out'];
    cliEnv = scaleEnv;
    cleanup = async () => {
      await dropDatabase(database);
      await deleteStreams(prefix);
    };
  }

  const roundRobin = new Map<ContextName, number>();
  const pick = (context: ContextName): ServerProcess => {
    const live = processes
      .get(context)!
      .filter((server) => server.child.exitCode === null && server.child.signalCode === null);
    const turn = (roundRobin.get(context) ?? 0) + 1;
    roundRobin.set(context, turn);
    return live[turn % live.length]!;
  };

  const platform: TestPlatform = {
    engine,
    adminKey,
    processes,
    dataDir: embeddedDataDir,
    streamPrefix,
    databaseUrl,
    async request(method, path, body, headers = {}) {
      const server = pick(contextOf(path));
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as never };
    },
    async kill(context = 'erp', index = 0) {
      const server = processes.get(context)![index]!;
      server.child.kill('SIGKILL');
      await waitForExit(server.child);
    },
    async restart(context = 'erp', index = 0) {
      const server = await launchers.get(`${context}:${index}`)!();
      if (engine === 'embedded') for (const name of CONTEXTS) processes.set(name, [server]);
      else processes.get(context)![index] = server;
    },
    async cli(args) {
      const { stdout } = await execFileAsync(process.execPath, [CLI, ...args, ...cliArgs], {
        env: { ...process.env, ...cliEnv, TILLSTREAM_LOG_LEVEL: 'warn' },
      });
      return stdout;
    },
    async stop() {
      const children = new Set([...processes.values()].flat().map((server) => server.child));
      for (const child of children) child.kill('SIGTERM');
      await Promise.all([...children].map((child) => waitForExit(child)));
      await cleanup();
    },
  };
  return platform;
}

/**
 * Polls until `check` returns a truthy value or the time runs out (then fails with the last value). A
 * `describe` function is asked only on failure, so it can show what a child process printed by then.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 20_000,
  describe: string | (() => string) = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((done) => setTimeout(done, 50));
  }
  const what = typeof describe === 'function' ? describe() : describe;
  throw new Error(`${what} not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
