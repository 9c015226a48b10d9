import { parseArgs } from 'node:util';

export const USAGE = `tillstream <command> [options]

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

/** Prints a usage error and exits 2, the exit code scripts read as "called wrongly". */
export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** The command line's flags (every one the commands know) and its positionals, from `process.argv`. */
export function parseCommandLine() {
  try {
    const parsed = parseArgs(FLAGS);
    // `--store ""` (an unset shell variable) would bind a key to the store "" instead of being refused.
    const empty = Object.entries(parsed.values).find(([, value]) => value === '');
    if (empty) fail(`tillstream: --${empty[0]} needs a value`);
    return parsed;
  } catch (error) {
    // An unknown or malformed flag is a usage error: one line and exit 2, not a stack trace.
    const { code, message } = error as { code?: string; message?: string };
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's own text for an unknown option goes on about positionals; the first sentence says it all.
    const first = (message ?? '').split('. ')[0];
    return fail(`tillstream: ${first} (tillstream --help lists the options)`);
  }
}

export type Flags = ReturnType<typeof parseCommandLine>['values'];
