import { parseArgs } from 'node:util';
import {
  ConfigError,
  createLogger,
  isScope,
  listDeadLetters,
  redriveDeadLetters,
  systemClock,
  type Scope,
} from '@tillstream/kernel';
import { verifyLedger } from '@tillstream/erp';
import { loadConfig, type Config } from './config.js';
import { buildPlatform, CONTEXTS, type ContextName, type Engine } from './platform.js';
import { embeddedEngine } from './embedded-engine.js';
import { ensureAdminKey } from './bootstrap.js';
import { seedDemo } from './demo.js';

const USAGE = `tillstream <command> [options]

Commands:
  start                  run the whole platform in one process (embedded engine: SQLite, in-process log)
  serve <context>        run one context (erp, pos, commerce, hub) on PostgreSQL + NATS JetStream
  migrate                apply database migrations and exit
  keys create --name N --scopes a,b [--terminal T --store S]
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

const { values: flags, positionals } = parseArgs({
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
});

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
      `\nAdmin API key (shown once; store it, or set TILLSTREAM_ADMIN_KEY next time):\n  ${generated}\n`,
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
  await platform.start();
  if (demo) {
    const key = generated ?? config.adminKey;
    if (!key)
      fail(
        '--demo needs the admin key: set TILLSTREAM_ADMIN_KEY (an admin key already exists in this data dir)',
      );
    try {
      const seeded = await seedDemo(platform.app, key);
      logger.info({ skus: seeded.skus }, 'demo chain seeded');
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
  const platform = await openForCommand(config, []);
  try {
    if (args[0] === 'create') {
      const scopes = (flags.scopes ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean);
      const bad = scopes.filter((scope) => !isScope(scope));
      if (!flags.name || scopes.length === 0 || bad.length > 0)
        fail(`keys create --name N --scopes a,b  (unknown scopes: ${bad.join(', ') || 'none'})`);
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
      fail('keys create --name N --scopes a,b [--terminal T --store S] | keys revoke <keyId>');
    }
  } finally {
    await platform.stop();
  }
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
