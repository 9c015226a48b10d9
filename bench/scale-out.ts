import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { HttpApp } from '@tillstream/kernel';
import { seedDemo } from '../apps/server/src/demo.js';
import { CLI, onStopAll, spawnNode, stopChild, waitFor200, type Child } from './processes.js';
import { deleteStreamsWithPrefix, dropDatabase, freePort } from '@tillstream/kernel/testing';
import { errorLinesOf, waitDrained, type ContextUrls, type Deployment } from './support.js';

const CONTEXTS = ['erp', 'pos', 'commerce', 'hub', 'analytics'] as const;

async function withPg(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The demo seeder talks to the app only through `inject`; answering that over HTTP to the erp service seeds
 * the scale-out deployment with exactly the chain `start --demo` makes, through the same public API.
 */
function injectOverHttp(erpUrl: string): HttpApp {
  const inject = async (request: {
    method: string;
    url: string;
    payload: object;
    headers: Record<string, string>;
  }) => {
    const response = await fetch(erpUrl + request.url, {
      method: request.method,
      headers: { ...request.headers, 'content-type': 'application/json' },
      body: JSON.stringify(request.payload),
    });
    return { statusCode: response.status, body: await response.text() };
  };
  return { inject } as unknown as HttpApp;
}

/**
 * One `tillstream serve` process per context over a fresh PostgreSQL database and a JetStream stream prefix of
 * its own, seeded with the demo chain; `stop` drops both.
 */
export async function startScaleOut(options: {
  pgUrl: string;
  natsUrl: string;
  adminKey: string;
  /** Each service writes its `--cpu-prof` profile to a folder of its own under this one. */
  cpuProfDir?: string;
}): Promise<Deployment> {
  const tag = randomBytes(4).toString('hex');
  const database = `tillstream_bench_${tag}`;
  const prefix = `BENCH_${tag.toUpperCase()}`;
  const children: Array<{ context: (typeof CONTEXTS)[number]; child: Child }> = [];
  const cleanup = async () => {
    unregister();
    await Promise.all(children.map(({ child }) => stopChild(child)));
    await dropDatabase(options.pgUrl, database).catch((error: unknown) =>
      console.warn(`could not drop database ${database}: ${String(error)}`),
    );
    await deleteStreamsWithPrefix(options.natsUrl, prefix).catch((error: unknown) =>
      console.warn(`could not delete NATS streams ${prefix}_*: ${String(error)}`),
    );
  };
  const unregister = onStopAll(cleanup);
  await withPg(options.pgUrl, `CREATE DATABASE ${database}`);
  const dbUrl = new URL(options.pgUrl);
  dbUrl.pathname = `/${database}`;
  const ports = Object.fromEntries(
    await Promise.all(CONTEXTS.map(async (context) => [context, await freePort()])),
  );
  const urls = Object.fromEntries(
    CONTEXTS.map((context) => [context, `http://127.0.0.1:${ports[context]}`]),
  ) as unknown as ContextUrls;
  try {
    // One at a time, erp first: each service migrates the shared auth schema at start.
    for (const context of CONTEXTS) {
      const profiling = options.cpuProfDir
        ? ['--cpu-prof', '--cpu-prof-dir', join(options.cpuProfDir, context)]
        : [];
      const child = spawnNode(`tillstream serve ${context}`, [...profiling, CLI, 'serve', context], {
        TILLSTREAM_PG_URL: dbUrl.toString(),
        TILLSTREAM_NATS_URL: options.natsUrl,
        TILLSTREAM_NATS_STREAM_PREFIX: prefix,
        TILLSTREAM_PORT: String(ports[context]),
        TILLSTREAM_ERP_URL: urls.erp,
        TILLSTREAM_ADMIN_KEY: options.adminKey,
        TILLSTREAM_LOG_LEVEL: 'info',
      });
      children.push({ context, child });
      await waitFor200(`${urls[context]}/healthz`, child);
    }
    const deployment: Deployment = {
      engine: 'scale-out',
      urls,
      services: children.map(({ context, child }) => ({ name: context, url: urls[context], pid: child.pid })),
      errorLines: () => children.flatMap(({ child }) => errorLinesOf(child.output())),
      adminKey: options.adminKey,
      stop: cleanup,
    };
    await seedDemo(injectOverHttp(urls.erp), options.adminKey);
    const drained = await waitDrained(deployment, 60_000);
    if (!drained.drained)
      throw new Error(`demo seed did not propagate in 60 s: ${JSON.stringify(drained.state)}`);
    return deployment;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
