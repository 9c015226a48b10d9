import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { deleteStreamsWithPrefix, dropDatabase as dropDatabaseOn } from '@tillstream/kernel/testing';
import { CLI } from './processes.js';
import { scaleOutConfigured, scaleOutUrls } from './engines.js';

const execFileAsync = promisify(execFile);

/**
 * A scale-out platform in the tests starts on a copy of one database that `tillstream migrate` prepared for the
 * run, as a deployment migrates before it serves: creating some 130 tables and 220 indexes took PostgreSQL
 * 0.7 s of each platform's 3.3 s start on two cores (2026-12-07). The copy is PostgreSQL's own
 * (`CREATE DATABASE … TEMPLATE`); migrating an empty database stays covered by the cluster test, which asks
 * for one, and by the kernel's PostgreSQL tests.
 */
const templateName = () => {
  const runId = process.env.TILLSTREAM_TEST_RUN_ID;
  if (!runId) throw new Error('TILLSTREAM_TEST_RUN_ID is unset: run the tests through vitest.config.ts');
  return `tillstream_e2e_template_${runId}`;
};

let template: Promise<string> | undefined;

/** The run's migrated template database, made by the first platform that asks for it. */
export function migratedTemplate(): Promise<string> {
  template ??= makeTemplate().catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

async function makeTemplate(): Promise<string> {
  const name = templateName();
  const admin = new pg.Client({ connectionString: scaleOutUrls.pg });
  await admin.connect();
  try {
    // Test files in other workers may ask at the same time: one makes it, the others find it made.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const made = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (made.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        await migrate(name);
      } catch (error) {
        await dropDatabase(name);
        throw error;
      }
    }
  } finally {
    await admin.end();
  }
  return name;
}

async function migrate(database: string): Promise<void> {
  const url = new URL(scaleOutUrls.pg);
  url.pathname = `/${database}`;
  // The command also creates each context's streams, under a prefix of its own that no platform uses.
  const prefix = `TMPL${randomBytes(4).toString('hex').toUpperCase()}`;
  try {
    await execFileAsync(process.execPath, [CLI, 'migrate', '--engine', 'scale-out'], {
      env: {
        ...process.env,
        TILLSTREAM_PG_URL: url.toString(),
        TILLSTREAM_NATS_URL: scaleOutUrls.nats,
        TILLSTREAM_NATS_STREAM_PREFIX: prefix,
        TILLSTREAM_LOG_LEVEL: 'warn',
      },
    });
  } finally {
    await deleteStreams(prefix);
  }
}

/** This run's scale-out servers, as the platforms and the template use them. */
export const dropDatabase = (database: string) => dropDatabaseOn(scaleOutUrls.pg, database);
export const deleteStreams = (prefix: string) => deleteStreamsWithPrefix(scaleOutUrls.nats, prefix);

/** Vitest global setup: names the run's template, and drops it when the run ends. */
export default function templateDatabaseForRun(): () => Promise<void> {
  process.env.TILLSTREAM_TEST_RUN_ID = randomBytes(6).toString('hex');
  return async () => {
    if (scaleOutConfigured) await dropDatabase(templateName());
  };
}
