// The `tillstream` command: parses the command line, loads the configuration once and hands over to the
// command's module (cli-server, cli-keys, cli-maintenance). Bundled by bin/build.mjs from this entry.
import { ConfigError } from '@tillstream/kernel';
import { loadConfig } from './config.js';
import { CONTEXTS, type ContextName } from './platform.js';
import { fail, parseCommandLine, USAGE } from './cli-args.js';
import { engineFor, openForCommand } from './cli-engine.js';
import { runServer } from './cli-server.js';
import { claimDataDir } from './data-dir-lock.js';
import { operatorMessage } from './cli-errors.js';
import { keysCommand, terminalsCommand } from './cli-keys.js';
import { dlqCommand, inventoryCommand } from './cli-maintenance.js';

const { values: flags, positionals } = parseCommandLine();

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
    case 'start': {
      const taken = claimDataDir(config.dataDir);
      if (taken) {
        console.error(
          `data dir ${config.dataDir} is in use by another tillstream server (pid ${taken.heldBy}): stop it ` +
            'first, or start this one with another --data-dir',
        );
        process.exit(1);
      }
      return runServer(config, await engineFor(config, 'embedded'), CONTEXTS, flags.demo);
    }
    case 'serve': {
      const context = rest[0] as ContextName | undefined;
      if (!context || !CONTEXTS.includes(context)) fail(`serve needs a context: ${CONTEXTS.join(', ')}`);
      return runServer(config, await engineFor(config, 'scale-out'), [context], false);
    }
    case 'migrate': {
      const platform = await openForCommand(quiet, flags.engine, CONTEXTS);
      await platform.stop();
      console.log('migrations applied');
      return;
    }
    case 'keys':
      return keysCommand(quiet, flags, rest);
    case 'terminals':
      return terminalsCommand(quiet, flags, rest);
    case 'dlq':
      return dlqCommand(quiet, flags, rest);
    case 'inventory':
      return inventoryCommand(quiet, flags, rest);
    default:
      fail(`unknown command ${command}\n\n${USAGE}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  console.error(operatorMessage(error) ?? error);
  process.exit(1);
});
