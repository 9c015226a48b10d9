import { createLogger } from '@tillstream/kernel';
import type { Config } from './config.js';
import { buildPlatform, type ContextName, type Engine } from './platform.js';
import { ensureAdminKey } from './bootstrap.js';
import { seedDemo } from './demo.js';
import { fail } from './cli-args.js';

/** How often a server started by npm looks whether npm is still there. */
const LAUNCHER_CHECK_MS = 500;

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

/**
 * Serves `contexts` until a signal: `start` runs every context on the embedded engine, `serve <context>` one on
 * scale-out. A signal drains in-flight work before the process exits.
 */
export async function runServer(
  config: Config,
  engine: Engine,
  contexts: readonly ContextName[],
  demo: boolean,
) {
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
