import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CloudEvent } from '@tillstream/contracts';
import type { ContextDeps, ContextModule } from '../context.js';
import type { Db } from '../db/port.js';
import { openSqlite } from '../db/sqlite.js';
import { openPostgres } from '../db/postgres.js';
import { runMigrations } from '../db/migrate.js';
import { kernelMigrations } from '../events/kernel.migrations.js';
import { createOutbox } from '../events/outbox.js';
import { applyEvents } from '../events/apply.js';
import { authMigrations, createApiKeyStore, type ApiKeyStore } from '../auth/api-keys.js';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '../http/app.js';
import { registerIdempotency } from '../http/idempotency.js';
import { manualClock } from '../clock.js';
import { uuidV7Ids } from '../ids.js';
import { createLogger } from '../logger.js';
import { dropDatabase } from './scale-out-cleanup.js';

export type HarnessDialect = 'sqlite' | 'postgres';

/** The dialects a context's integration suite runs on: SQLite always, PostgreSQL when configured. */
export function harnessDialects(pgUrl: string | undefined): HarnessDialect[] {
  return pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface ContextHarness {
  app: HttpApp;
  db: Db;
  module: ContextModule;
  clock: ReturnType<typeof manualClock>;
  adminKey: string;
  /** Issues further keys (a terminal's own, a manager's) to test what each may do. */
  apiKeys: ApiKeyStore;
  /** Calls the context's API (`/<name>/v1<url>`) as the admin; answers the status and the parsed body. */
  api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<{ status: number; body: any }>;
  /** Feeds an event to every consumer of the context that reads its source, as the event log would. */
  deliver(source: string, event: CloudEvent, position?: number): Promise<number>;
  /** Delivers events as one batch (one transaction per consumer), as a consumer that fell behind reads them. */
  deliverAll(source: string, events: readonly CloudEvent[]): Promise<number>;
  /** What the context has written to its outbox, in order. */
  published(): Promise<CloudEvent[]>;
  /**
   * Resolves once every transaction begun before the call has finished, in the whole PostgreSQL cluster (at
   * once on SQLite). Gap-safe reads, such as ERP's journal, show a commit only then, and transaction ids are
   * cluster-wide: a test of another file holding a transaction open in its own database delays them too.
   */
  allFinished(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One context on a real database (a SQLite file, or a fresh PostgreSQL database), mounted on the real HTTP
 * kit, with events delivered by hand: the integration-test rig every context package shares.
 */
export async function createContextHarness<Deps extends ContextDeps>(
  build: (deps: ContextDeps) => ContextModule,
  options: {
    dialect: HarnessDialect;
    pgUrl?: string;
    name: string;
    /** HTTP kit settings a test needs other than the defaults (a short request timeout, CORS origins, rate limits). */
    http?: Pick<HttpAppOptions, 'requestTimeoutMs' | 'corsOrigins' | 'publicRateLimits' | 'trustProxy'>;
  },
): Promise<ContextHarness> {
  const clock = manualClock('2026-11-01T09:00:00.000Z');
  const ids = uuidV7Ids;
  const logger = createLogger({ name: `test-${options.name}`, level: 'silent' });
  let db: Db;
  let authDb: Db;
  let cleanup: () => Promise<void>;
  if (options.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `tillstream-${options.name}-`));
    db = openSqlite({ file: join(dir, `${options.name}.sqlite`), context: options.name });
    authDb = openSqlite({ file: join(dir, 'auth.sqlite'), context: 'auth' });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const database = `tillstream_int_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: options.pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(options.pgUrl!);
    url.pathname = `/${database}`;
    db = await openPostgres({ url: url.toString(), context: options.name, poolSize: 4 });
    authDb = await openPostgres({ url: url.toString(), context: 'auth', poolSize: 2 });
    cleanup = () => dropDatabase(options.pgUrl!, database);
  }
  await runMigrations(authDb, authMigrations);
  const apiKeys = createApiKeyStore(authDb, { clock, ids, cacheTtlMs: 0 });
  const adminKey = (await apiKeys.create({ name: 'test admin', scopes: ['admin'] })).secret;
  const deps: ContextDeps = { db, outbox: createOutbox(options.name, { clock, ids }), clock, ids, logger };
  const module = build(deps as Deps);
  await runMigrations(db, [...kernelMigrations, ...module.migrations]);
  const app = createHttpApp({
    logger,
    apiKeys,
    bodyLimitBytes: 1_048_576,
    maxUrlLength: 4096,
    ...options.http,
  });
  await app.register(
    async (scope) => {
      registerIdempotency(scope, { db, clock, ttlHours: 24 });
      await scope.register(module.routes);
    },
    { prefix: `/${module.name}/v1` },
  );
  await app.ready();
  let nextPosition = 1;
  const applyBatch = async (source: string, items: Array<{ event: CloudEvent; position: number }>) => {
    let applied = 0;
    for (const consumer of module.consumers.filter((candidate) => candidate.sources.includes(source))) {
      applied += await applyEvents(consumer, source, items, clock.now().toISOString());
    }
    return applied;
  };
  return {
    app,
    db,
    module,
    clock,
    adminKey,
    apiKeys,
    async api(method, url, payload) {
      const response = await app.inject({
        method,
        url: `/${options.name}/v1${url}`,
        ...(payload ? { payload } : {}),
        headers: { authorization: `Bearer ${adminKey}` },
      });
      return { status: response.statusCode, body: response.body ? response.json() : null };
    },
    deliver: (source, event, position = nextPosition++) => applyBatch(source, [{ event, position }]),
    deliverAll: (source, events) =>
      applyBatch(
        source,
        events.map((event) => ({ event, position: nextPosition++ })),
      ),
    async allFinished() {
      if (db.dialect !== 'postgres') return;
      // Autocommit: the id is taken and its transaction finished by the time the answer arrives.
      const [mark] = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        const [row] = await db.query<{ passed: boolean }>(
          'SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS passed',
          [mark!.xid],
        );
        if (row!.passed) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('a PostgreSQL transaction older than 30 s is still open');
    },
    async published() {
      const rows = await db.query<{ envelope: string }>('SELECT envelope FROM outbox ORDER BY position');
      return rows.map((row) => JSON.parse(row.envelope) as CloudEvent);
    },
    async close() {
      await app.close();
      await db.close();
      await authDb.close();
      await cleanup();
    },
  };
}

let eventCounter = 0;

/** A CloudEvent as another context would have published it. */
export function foreignEvent<Data>(
  source: string,
  type: string,
  subject: string,
  sequence: number,
  data: Data,
): CloudEvent<Data> {
  eventCounter += 1;
  return {
    specversion: '1.0',
    id: `test-${Date.now()}-${eventCounter}-${randomBytes(3).toString('hex')}`,
    source: `/tillstream/${source}`,
    type,
    time: '2026-11-01T09:00:00.000Z',
    subject,
    datacontenttype: 'application/json',
    dataschema: `urn:tillstream:event:${type}:v1`,
    sequence,
    partitionkey: subject,
    data,
  };
}
