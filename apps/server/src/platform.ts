import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  authMigrations,
  createApiKeyStore,
  createHttpApp,
  countingLimitOf,
  type PublicRateLimits,
  createOutbox,
  followRequestOrigins,
  kernelMigrations,
  problem,
  purgeExpiredIdempotencyKeys,
  registerIdempotency,
  registerMetrics,
  runMigrations,
  sendProblem,
  systemClock,
  uuidV7Ids,
  type ApiKeyStore,
  type BackedUpFile,
  type ContextModule,
  type Db,
  type EventLog,
  type HttpApp,
  type Logger,
} from '@tillstream/kernel';
import type { Config } from './config.js';
import { listSetting } from './config-lists.js';
import { CONTEXTS, createContextModule, type ContextName } from './context-modules.js';
import { connectErpPorts } from './erp-ports.js';
import { asyncApiDocs } from './asyncapi-docs.js';
import { addGeneratedExamples } from './openapi-examples.js';
import {
  addProblemResponses,
  markPublicOperations,
  operationKey,
  type PublicOperations,
} from './openapi-problems.js';
import { registerWebApp } from './web-app.js';
import { createBackups, registerBackupRoutes, scheduleBackups } from './backups.js';

export { CONTEXTS, type ContextName };

/** One reason /readyz answers 503; `detail` for people, the rest for tools. */
interface ReadinessProblem {
  check: 'process' | 'database' | 'consumer' | 'bus' | 'relay';
  detail: string;
  database?: string;
  consumer?: string;
  source?: string;
  /** With `relay`: the context whose outbox does not get through. */
  context?: string;
}

/** What differs between the embedded and the scale-out engine: where data lives and how events travel. */
export interface Engine {
  name: 'embedded' | 'scale-out';
  openDb(context: ContextName | 'auth'): Promise<Db>;
  createEventLog(): Promise<EventLog>;
  /** Copies every database it opened, as of one instant, into `targetDir`; absent where the engine cannot. */
  backup?(targetDir: string): Promise<BackedUpFile[]>;
}

export interface Platform {
  app: HttpApp;
  apiKeys: ApiKeyStore;
  eventLog: EventLog;
  modules: Map<ContextName, ContextModule>;
  dbs: Map<ContextName, Db>;
  /**
   * Starts consumers and background work; call after listen. `/healthz` and `/readyz` answer 200 once it is
   * done, or, with `holdReady`, once `markReady()` is called (after the demo data is in).
   */
  start(options?: { holdReady?: boolean }): Promise<void>;
  /** Answers ready from now on, once the consumers have applied what is committed (for at most 5 s). */
  markReady(): Promise<void>;
  /** Drains HTTP, lets consumers commit, closes databases. */
  stop(): Promise<void>;
}

const clock = systemClock;

/**
 * Share of the shutdown grace (after which the process is killed) that stop() may spend before the consumers
 * stop; the rest is for closing the databases.
 */
const STOP_DRAIN_SHARE = 0.8;

/** How long markReady() at most waits for the consumers to catch up. */
const READY_SETTLE_MS = 5_000;
const ids = uuidV7Ids;

/**
 * The public routes as they are registered, for the OpenAPI document: they need no key, and those a rate
 * limit counts (countingLimitOf, as the limiter itself decides) may answer 429.
 */
function collectPublicOperations(app: HttpApp, limits: PublicRateLimits): PublicOperations {
  const operations = new Map<string, 'reads' | 'writes' | undefined>();
  app.addHook('onRoute', (route) => {
    if (route.config?.scope !== 'public') return;
    const counted = countingLimitOf(route, limits);
    for (const method of [route.method].flat()) operations.set(operationKey(method, route.url), counted);
  });
  return operations;
}

/** The composition root: the only place that knows every context, engine and setting. */
export async function buildPlatform(options: {
  config: Config;
  engine: Engine;
  logger: Logger;
  contexts: readonly ContextName[];
}): Promise<Platform> {
  const { config, engine, logger } = options;
  if (config.checkRequestOrigins) followRequestOrigins();
  const authDb = await engine.openDb('auth');
  await runMigrations(authDb, authMigrations);
  const apiKeys = createApiKeyStore(authDb, { clock, ids, cacheTtlMs: config.apiKeyCacheTtlMs });
  const publicRateLimits: PublicRateLimits = {
    readsPerMinute: config.publicReadsPerMinute,
    writesPerMinute: config.publicWritesPerMinute,
  };
  const app = createHttpApp({
    logger,
    apiKeys,
    bodyLimitBytes: config.bodyLimitBytes,
    maxUrlLength: config.maxUrlLength,
    requestTimeoutMs: config.requestTimeoutMs,
    corsOrigins: listSetting(config.corsOrigins),
    publicRateLimits,
    trustProxy: listSetting(config.trustProxy),
  });
  const publicOperations = collectPublicOperations(app, publicRateLimits);
  const eventLog = await engine.createEventLog();

  // POS asks ERP only for what its projection lacks; commerce holds stock and reads pricing there.
  const erpPorts = await connectErpPorts({
    app,
    apiKeys,
    ids,
    logger,
    contexts: options.contexts,
    erpUrl: config.erpUrl,
    timeoutMs: config.erpLookupTimeoutMs,
  });

  const dbs = new Map<ContextName, Db>();
  const modules = new Map<ContextName, ContextModule>();
  for (const name of options.contexts) {
    const db = await engine.openDb(name);
    const deps = {
      db,
      outbox: createOutbox(name, { clock, ids }),
      clock,
      ids,
      logger: logger.child({ context: name }),
    };
    const module = createContextModule(name, deps, { config, apiKeys, erpPorts });
    await runMigrations(db, [...kernelMigrations, ...module.migrations]);
    await eventLog.attachOutbox(name, db);
    dbs.set(name, db);
    modules.set(name, module);
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tillstream API',
        version: '1.0.0',
        description:
          'POS, ERP, eCommerce, hub and analytics APIs. Errors are application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transformObject: (documentObject) =>
      markPublicOperations(addProblemResponses(addGeneratedExamples(documentObject)), publicOperations),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(asyncApiDocs);
  if (options.contexts.includes('pos')) await registerWebApp(app);
  for (const [name, module] of modules) {
    await app.register(
      async (scope) => {
        registerIdempotency(scope, { db: dbs.get(name)!, clock, ttlHours: config.idempotencyTtlHours });
        await scope.register(module.routes);
      },
      { prefix: `/${name}/v1` },
    );
  }

  /** Started (and, where asked, seeded) and not draining: what `/healthz` answers for. */
  let ready = false;
  let stopping = false;
  /** What keeps this process from serving: starting or draining, a database, a stopped consumer. */
  async function readinessProblems(): Promise<ReadinessProblem[]> {
    const problems: ReadinessProblem[] = [];
    if (!ready) problems.push({ check: 'process', detail: 'starting or draining' });
    const databases: Array<[string, Db]> = [['auth', authDb], ...dbs];
    for (const [name, db] of databases) {
      const health = db.health?.() ?? { writable: true };
      if (!health.writable) {
        problems.push({
          check: 'database',
          database: name,
          detail: `database ${name} refuses writes: ${health.reason ?? 'unknown'}`,
        });
        continue;
      }
      const answers = await db.query('SELECT 1 AS ok').then(
        () => true,
        () => false,
      );
      if (!answers)
        problems.push({ check: 'database', database: name, detail: `database ${name} does not answer` });
    }
    const events = await eventLog.health?.();
    for (const stopped of events?.stoppedConsumers ?? []) {
      problems.push({
        check: 'consumer',
        consumer: stopped.consumer,
        source: stopped.source,
        detail: `consumer ${stopped.consumer} of ${stopped.source} stopped: ${stopped.error}`,
      });
    }
    problems.push(...(events?.problems ?? []));
    return problems;
  }
  app.get(
    '/healthz',
    {
      config: { scope: 'public', rateLimit: false },
      schema: { tags: ['ops'], summary: 'Started (demo data seeded) and not draining' },
    },
    async (request, reply) => {
      if (ready) return reply.send({ status: 'ok' });
      return sendProblem(reply, problem(request, 503, 'service_unavailable', 'starting or draining'));
    },
  );
  app.get(
    '/readyz',
    {
      config: { scope: 'public', rateLimit: false },
      schema: {
        tags: ['ops'],
        summary:
          'Readiness: databases answer, consumers run, and on scale-out the bus and relays get through',
      },
    },
    async (request, reply) => {
      const problems = await readinessProblems();
      if (problems.length === 0) return reply.send({ status: 'ready' });
      return sendProblem(
        reply,
        problem(request, 503, 'service_unavailable', problems.map((entry) => entry.detail).join('; '), {
          problems,
        }),
      );
    },
  );
  const metrics = registerMetrics(app, eventLog);
  for (const module of modules.values()) module.metrics?.(metrics);
  const backupLogger = logger.child({ component: 'backups' });
  const backups = engine.backup
    ? createBackups({
        backupDir: config.backupDir ?? join(config.dataDir, 'backups'),
        backup: engine.backup.bind(engine),
        keep: config.backupKeep,
        clock,
        logger: backupLogger,
      })
    : null;
  if (backups) {
    registerBackupRoutes(app, backups);
    backups.registerMetrics(metrics);
  }
  const backupSchedule =
    backups && config.backupIntervalMinutes > 0
      ? scheduleBackups(backups, {
          intervalMinutes: config.backupIntervalMinutes,
          clock,
          logger: backupLogger,
        })
      : null;

  let purgeTimer: NodeJS.Timeout | undefined;
  return {
    app,
    apiKeys,
    eventLog,
    modules,
    dbs,
    async start(options) {
      for (const module of modules.values()) {
        for (const consumer of module.consumers) await eventLog.startConsumer(consumer);
        await module.start?.();
      }
      purgeTimer = setInterval(() => {
        for (const db of dbs.values()) {
          purgeExpiredIdempotencyKeys(db, clock.now(), config.idempotencyTtlHours).catch((error: unknown) =>
            logger.warn({ err: error }, 'idempotency purge failed'),
          );
        }
      }, 3_600_000);
      purgeTimer.unref();
      // The metric and the schedule count from the newest backup on disk, not from this start.
      await backups?.lastTakenAt();
      backupSchedule?.start();
      if (!options?.holdReady) ready = true;
    },
    async markReady() {
      // What was just written (the demo data) is visible everywhere first: the consumers have caught up.
      const until = Date.now() + READY_SETTLE_MS;
      while (Date.now() < until && (await eventLog.consumerStatus()).some((status) => status.lag > 0))
        await new Promise((done) => setTimeout(done, 10));
      if (!stopping) ready = true;
    },
    async stop() {
      // The consumers may use what the grace leaves after HTTP has drained, less a margin for closing.
      const drainBy = Date.now() + config.shutdownGraceMs * STOP_DRAIN_SHARE;
      stopping = true;
      ready = false;
      clearInterval(purgeTimer);
      await app.close();
      // A backup being written reads every database: it finishes before they close.
      await backupSchedule?.stop();
      await eventLog.close({ drainTimeoutMs: Math.max(0, drainBy - Date.now()) });
      // A key left behind (the auth database refusing writes) only outlives its process; closing goes on.
      await erpPorts.revokeKeys();
      for (const module of modules.values()) await module.stop?.();
      for (const db of dbs.values()) await db.close();
      await authDb.close();
    },
  };
}
