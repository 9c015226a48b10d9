import { createLogger } from '@tillstream/kernel';
import type { Config } from './config.js';
import { buildPlatform, type ContextName, type Engine, type Platform } from './platform.js';
import { embeddedEngine } from './embedded-engine.js';
import { fail } from './cli-args.js';

/** The engine by name; scale-out is imported only when asked for, with its PostgreSQL and NATS drivers. */
export async function engineFor(config: Config, name: string): Promise<Engine> {
  const logger = createLogger({ name: 'tillstream', level: config.logLevel });
  if (name === 'embedded') return embeddedEngine(config, logger);
  if (name === 'scale-out') return (await import('./scale-out-engine.js')).scaleOutEngine(config, logger);
  return fail(`unknown engine ${name}: use embedded or scale-out`);
}

/** A platform for a one-off command: the engine named by --engine, quiet logs, never listening. */
export async function openForCommand(
  config: Config,
  engineName: string,
  contexts: readonly ContextName[],
): Promise<Platform> {
  const engine = await engineFor(config, engineName);
  return buildPlatform({
    config,
    engine,
    logger: createLogger({ name: 'tillstream', level: 'warn' }),
    contexts,
  });
}
