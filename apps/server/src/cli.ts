import { parseArgs } from 'node:util';
import {
  authMigrations,
  ConfigError,
  createLogger,
  isScope,
  listDeadLetters,
  redriveDeadLetters,
  runMigrations,
  systemClock,
  type Scope,
} from '@tillstream/kernel';
import { verifyLedger } from '@tillstream/erp';
import { loadConfig, type Config } from './config.js';
import { buildPlatform, CONTEXTS, type ContextName, type Engine, type Platform } from './platform.js';
import { embeddedEngine } from './embedded-engine.js';
import { ensureAdminKey, listApiKeys } from './bootstrap.js';
import { seedDemo } from './demo.js';

const USAGE = `tillstream <command> [options]

Commands:
  start                  run the whole platform in one process (embedded engine: SQLite, in-process log)
  serve <context>        run one context (erp, pos, commerce, hub, analytics) on PostgreSQL + NATS JetStream
  migrate                apply database migrations and exit
  keys create --name N --scopes a,b [--store S [--terminal T]]
  keys list              every key: id, name, scopes, terminal, store, created, revoked (never secrets)
  keys revoke <keyId>
  terminals register --terminal T --store S [--name N]   a till and its own key (pos scopes, bound to it)
  dlq list               list dead-lettered events
  dlq redrive [--event-id ID] [--consumer NAME]
  inventory verify       check every stock balance against its ledger (exit 1 on a mismatch)

Options:
  --port P  --host H  --data-dir D  --log-level L  --demo (start: seed a small chain)
  --engine embedded|scale-out (migrate, keys, dlq; default embedded)

Every option also reads from the environment: TILLSTREAM_PORT, TILLSTREAM_DATA_DIR, TILLSTREAM_ADMIN_KEY,
TILLSTREAM_PG_URL, TILLSTREAM_NATS_URL, ... (see README, "Configuration").`;

const FLAGS = {
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'log-level': { type: 'string' },
    demo: { type: 'boolean', default: false },
    engine: { type: 'string', default: 'embedded' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    terminal: { type: 'string' },
    store: { type: 'string' },
    'event-id': { type: 'string' },
    consumer: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
} as const;

/** An unknown or malformed flag is a usage error: one line and exit 2, not a stack trace. */
function parseFlags() {
  try {
    return parseArgs(FLAGS);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's own text for an unknown option goes on about positionals; the first sentence says it all.
    const first = (message ?? '').split('. ')[0];
    return fail(`tillstream: ${first} (tillstream --help lists the options)`);
  }
}

const { values: flags, positionals } = parseFlags();

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** How often a server started by npm looks whether npm is still there. */
const LAUNCHER_CHECK_MS = 500;

async function engineFor(config: Config, name: string): Promise<Engine> {
  const logger = createLogger({ name: 'tillstream', level: config.logLevel });
  if (name === 'embedded') return embeddedEngine(config, logger);
  if (name === 'scale-out') return (await import('./scale-out-engine.js')).scaleOutEngine(config, logger);
  return fail(`unknown engine ${name}: use embedded or scale-out`);
}

/** Calls `gone` once this process's parent has exited (it is then re-parented, and its parent id changes). */
function onLauncherGone(gone: () => void): void {
  const launcher = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(watch);
    gone();
  }, LAUNCHER_CHECK_MS);
  watch.unref();
}

async function runServer(config: Config, engine: Engine, contexts: readonly ContextName[], demo: boolean) {
  const logger = createLogger({
    name: contexts.length === 1 ? `tillstream-${contexts[0]}` : 'tillstream',
    level: config.logLevel,
  });
  const platform = await buildPlatform({ config, engine, logger, contexts });
  const generated = await ensureAdminKey(platform.apiKeys, config.adminKey);
  if (generated) {
    console.log(
      `\nAdmin API key (shown once; store it, or set TILLSTREAM_ADMIN_KEY next time):\n  ${generated.secret}\n` +
        `  key id ${generated.id} (tillstream keys revoke ${generated.id})\n`,
    );
  }
  // Handlers go in before the port opens: a signal during start-up or demo seeding still drains cleanly.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    force.unref();
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // `npx tillstream start` runs the server under npm and a shell, and npm exits on SIGTERM without passing it
  // on: a process manager stopping npm left the server running under init. Started by npm, the server drains
  // once its launcher is gone, as if the signal had reached it.
  if (process.env.npm_execpath) onLauncherGone(() => shutdown('launcher exited'));
  await platform.app.listen({ port: config.port, host: config.host });
  // With --demo, /healthz and /readyz answer 503 until the demo data is in (markReady below).
  await platform.start({ holdReady: demo });
  if (demo) {
    const key = generated?.secret ?? config.adminKey;
    if (!key)
      fail(
        '--demo needs the admin key: set TILLSTREAM_ADMIN_KEY (an admin key already exists in this data dir)',
      );
    try {
      const seeded = await seedDemo(platform.app, key);
      logger.info({ skus: seeded.skus }, 'demo chain seeded');
      await platform.markReady();
    } catch (error) {
      // A signal during seeding closes the app under it; that is a shutdown, not a failure.
      if (!stopping) throw error;
    }
  }
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, engine: engine.name, contexts },
    `tillstream listening on http://${config.host}:${port} (docs at /docs)`,
  );
}

async function main() {
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(process.env, {
    port: flags.port,
    host: flags.host,
    dataDir: flags['data-dir'],
    logLevel: flags['log-level'],
  });
  const quiet = { ...config, logLevel: 'warn' as const };
  switch (command) {
    case 'start':
      return runServer(config, await engineFor(config, 'embedded'), CONTEXTS, flags.demo ?? false);
    case 'serve': {
      const context = rest[0] as ContextName | undefined;
      if (!context || !CONTEXTS.includes(context)) fail(`serve needs a context: ${CONTEXTS.join(', ')}`);
      return runServer(config, await engineFor(config, 'scale-out'), [context], false);
    }
    case 'migrate': {
      const platform = await openForCommand(quiet, CONTEXTS);
      await platform.stop();
      console.log('migrations applied');
      return;
    }
    case 'keys':
      return keysCommand(quiet, rest);
    case 'terminals':
      return terminalsCommand(quiet, rest);
    case 'dlq':
      return dlqCommand(quiet, rest);
    case 'inventory':
      return inventoryCommand(quiet, rest);
    default:
      fail(`unknown command ${command}\n\n${USAGE}`);
  }
}

/** A platform for a one-off command: the engine named by --engine, quiet logs, never listening. */
async function openForCommand(config: Config, contexts: readonly ContextName[]) {
  const engine = await engineFor(config, flags.engine!);
  return buildPlatform({
    config,
    engine,
    logger: createLogger({ name: 'tillstream', level: 'warn' }),
    contexts,
  });
}

async function keysCommand(config: Config, args: string[]) {
  if (args[0] === 'list') return listKeys(config);
  const creating = args[0] === 'create';
  // A terminal's key is bound to its store too: POS checks a terminal against the key's store.
  if (creating && flags.terminal && !flags.store)
    fail('keys create: --terminal needs --store (the store the terminal belongs to)');
  // Embedded, the store is checked in this process's ERP; scale-out, over the network (TILLSTREAM_ERP_URL).
  const inProcessErp = creating && flags.store !== undefined && flags.engine === 'embedded';
  const platform = await openForCommand(config, inProcessErp ? ['erp'] : []);
  try {
    if (creating) {
      const scopes = (flags.scopes ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean);
      const bad = scopes.filter((scope) => !isScope(scope));
      if (!flags.name || scopes.length === 0 || bad.length > 0)
        fail(`keys create --name N --scopes a,b  (unknown scopes: ${bad.join(', ') || 'none'})`);
      if (flags.store && !(await storeIsKnown(platform, config, flags.store, inProcessErp))) {
        process.exitCode = 1;
        return;
      }
      const key = await platform.apiKeys.create({
        name: flags.name,
        scopes: scopes as Scope[],
        terminalId: flags.terminal ?? null,
        storeId: flags.store ?? null,
      });
      console.log(
        JSON.stringify({ id: key.id, secret: key.secret, note: 'the secret is shown once' }, null, 2),
      );
    } else if (args[0] === 'revoke' && args[1]) {
      console.log((await platform.apiKeys.revoke(args[1])) ? 'revoked' : 'no such active key');
    } else {
      fail('keys create --name N --scopes a,b [--store S [--terminal T]] | keys list | keys revoke <keyId>');
    }
  } finally {
    await platform.stop();
  }
}

async function listKeys(config: Config) {
  const engine = await engineFor(config, flags.engine!);
  const authDb = await engine.openDb('auth');
  try {
    await runMigrations(authDb, authMigrations);
    console.log(JSON.stringify(await listApiKeys(authDb), null, 2));
  } finally {
    await authDb.close();
  }
}

/**
 * Whether ERP knows `storeId` as a store, asking ERP's API with a key that lives for this call only. Scale-out
 * without TILLSTREAM_ERP_URL, or with ERP unreachable, the store is not checked (a warning; true).
 */
async function storeIsKnown(
  platform: Platform,
  config: Config,
  storeId: string,
  inProcess: boolean,
): Promise<boolean> {
  const admin = await platform.apiKeys.create({ name: 'cli:keys', scopes: ['erp:read'] });
  const path = `/erp/v1/locations/${encodeURIComponent(storeId)}`;
  const headers = { authorization: `Bearer ${admin.secret}` };
  let answer: { status: number; kind?: unknown } | null = null;
  try {
    if (inProcess) {
      const response = await platform.app.inject({ method: 'GET', url: path, headers });
      answer = {
        status: response.statusCode,
        kind: response.statusCode === 200 ? response.json().kind : null,
      };
    } else if (config.erpUrl) {
      const response = await fetch(`${config.erpUrl}${path}`, {
        headers,
        signal: AbortSignal.timeout(5_000),
      });
      answer = {
        status: response.status,
        kind: response.ok ? ((await response.json()) as { kind?: unknown }).kind : null,
      };
    }
  } catch (error) {
    console.error(`warning: could not ask ERP whether store ${storeId} exists (${String(error)})`);
  } finally {
    await platform.apiKeys.revoke(admin.id);
  }
  if (!answer) {
    if (!inProcess && !config.erpUrl)
      console.error(`warning: store ${storeId} not checked (set TILLSTREAM_ERP_URL to check it in ERP)`);
    return true;
  }
  if (answer.status === 404 || (answer.status === 200 && answer.kind !== 'store')) {
    console.error(
      `keys create: ${storeId} is not a store ERP knows (PUT /erp/v1/locations/${storeId} first)`,
    );
    return false;
  }
  if (answer.status !== 200)
    console.error(`warning: ERP answered ${answer.status} for store ${storeId}; not checked`);
  return true;
}

/** Registers through POS's own route (same checks as the API), with an admin key that lives for this call only. */
async function terminalsCommand(config: Config, args: string[]) {
  if (args[0] !== 'register' || !flags.terminal || !flags.store)
    fail('terminals register --terminal T --store S [--name N]');
  // Embedded, POS reaches ERP in process, so ERP must be mounted too; scale-out, over the network.
  const platform = await openForCommand(config, flags.engine === 'embedded' ? ['erp', 'pos'] : ['pos']);
  const admin = await platform.apiKeys.create({ name: 'cli:terminals', scopes: ['admin'] });
  try {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/pos/v1/terminals',
      headers: { authorization: `Bearer ${admin.secret}` },
      payload: {
        terminalId: flags.terminal,
        storeId: flags.store,
        ...(flags.name ? { name: flags.name } : {}),
      },
    });
    console.log(JSON.stringify(response.json(), null, 2));
    if (response.statusCode !== 201) process.exitCode = 1;
  } finally {
    await platform.apiKeys.revoke(admin.id);
    await platform.stop();
  }
}

async function dlqCommand(config: Config, args: string[]) {
  const platform = await openForCommand(config, CONTEXTS);
  try {
    if (args[0] === 'list') {
      const letters = [];
      for (const db of platform.dbs.values()) letters.push(...(await listDeadLetters(db)));
      console.log(JSON.stringify(letters, null, 2));
    } else if (args[0] === 'redrive') {
      const consumers = [...platform.modules.values()].flatMap((module) => module.consumers);
      const results = await redriveDeadLetters(consumers, () => systemClock.now().toISOString(), {
        ...(flags['event-id'] ? { eventId: flags['event-id'] } : {}),
        ...(flags.consumer ? { consumer: flags.consumer } : {}),
      });
      console.log(JSON.stringify(results, null, 2));
      if (results.some((result) => result.outcome === 'failed')) process.exitCode = 1;
    } else {
      fail('dlq list | dlq redrive [--event-id ID] [--consumer NAME]');
    }
  } finally {
    await platform.stop();
  }
}

async function inventoryCommand(config: Config, args: string[]) {
  if (args[0] !== 'verify') fail('inventory verify [--engine embedded|scale-out]');
  const platform = await openForCommand(config, ['erp']);
  try {
    const report = await verifyLedger(platform.dbs.get('erp')!);
    console.log(JSON.stringify(report, null, 2));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  console.error(error);
  process.exit(1);
});
