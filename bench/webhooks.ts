/**
 * Webhook delivery throughput on the embedded engine: `tillstream start` in its own process sends signed
 * webhooks to a receiver on 127.0.0.1 (this process). Goal: at least 2,000 deliveries/s.
 *
 *   node apps/server/bin/run-ts.mjs bench/webhooks.ts [--events N] [--keys K] [--quick]
 *
 * Phases: backlog (N stock changes over K SKUs already in the hub, then one replay enqueues them all: the
 * drain rate is the figure), live (deliveries while the events are being produced, with event-to-receiver
 * latency) and one hot key (strict per-key order makes it one delivery at a time). Each phase also checks
 * that nothing came twice or out of order and that sampled signatures verify with `standardwebhooks`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { startEmbedded } from './embedded.js';
import { killAllNow, ROOT, stopAll } from './processes.js';
import { apiOk, inParallel, percentile, round, waitDrained } from './support.js';
import { startBenchReceiver, type BenchReceiver } from './webhooks.receiver.js';

const GOAL_PER_SECOND = 2_000;
const { values: flags } = parseArgs({
  options: {
    events: { type: 'string' },
    keys: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(flags.events ?? (flags.quick ? 5_000 : 20_000));
const KEYS = Number(flags.keys ?? 200);
const LIVE = Math.round(EVENTS / 4);
const HOT = Math.min(2_000, Math.round(EVENTS / 10));
const LOCATION = 'bench-webhooks';
const PRODUCER_CONCURRENCY = 32;

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function checks(receiver: BenchReceiver) {
  const { duplicates, outOfOrder, verified, verifyFailures } = receiver.stats;
  return { duplicates, outOfOrder, signaturesVerified: verified, signatureFailures: verifyFailures };
}

async function main(): Promise<void> {
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const receiver = await startBenchReceiver();
  // The receiver is on this machine: let the platform's SSRF guard allow it.
  process.env.TILLSTREAM_WEBHOOK_ALLOWED_HOSTS = '127.0.0.1';
  process.env.TILLSTREAM_LOG_LEVEL = 'warn';
  const deployment = await startEmbedded({ adminKey, demo: false });
  const url = deployment.urls.hub;
  const call = (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) =>
    apiOk(url, adminKey, method, path, body);
  const skus = Array.from({ length: KEYS }, (_, index) => `BENCH-WH-${index}`);
  const receive = (sku: string) =>
    call('POST', '/erp/v1/inventory/adjustments', {
      id: uuidv7(),
      sku,
      locationId: LOCATION,
      delta: 1,
      reason: 'received',
      occurredAt: new Date().toISOString(),
    });
  try {
    await call('PUT', `/erp/v1/locations/${LOCATION}`, { name: 'Bench', kind: 'warehouse' });
    await inParallel([...skus, 'BENCH-HOT'], 16, async (sku) => {
      await call('PUT', `/erp/v1/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
    });

    console.log(`producing ${EVENTS} stock changes over ${KEYS} SKUs …`);
    const backlogSince = new Date().toISOString();
    const producing = performance.now();
    await inParallel(
      Array.from({ length: EVENTS }, (_, index) => skus[index % KEYS]!),
      PRODUCER_CONCURRENCY,
      async (sku) => void (await receive(sku)),
    );
    const producedPerSecond = EVENTS / ((performance.now() - producing) / 1000);
    await waitDrained(deployment, 300_000);

    const subscription = (await call('POST', '/hub/v1/webhooks', {
      url: receiver.url,
      events: ['erp.stock.changed'],
    })) as { id: string; secret: string };
    receiver.secret = subscription.secret;
    const replayStarted = performance.now();
    const { enqueued } = (await call('POST', `/hub/v1/webhooks/${subscription.id}/replay`, {
      since: backlogSince,
    })) as { enqueued: number };
    const enqueuedAt = performance.now();
    await waitFor(() => receiver.stats.requests >= enqueued, 600_000, 'the backlog to be delivered');
    const backlog = {
      deliveries: enqueued,
      enqueueMs: round(enqueuedAt - replayStarted),
      drainMs: round(receiver.stats.lastAt - enqueuedAt),
      perSecond: round(enqueued / ((receiver.stats.lastAt - enqueuedAt) / 1000)),
      perSecondWithEnqueue: round(enqueued / ((receiver.stats.lastAt - replayStarted) / 1000)),
      ...checks(receiver),
    };
    console.log('backlog', backlog);

    receiver.reset();
    const liveStarted = performance.now();
    await inParallel(
      Array.from({ length: LIVE }, (_, index) => skus[index % KEYS]!),
      PRODUCER_CONCURRENCY,
      async (sku) => void (await receive(sku)),
    );
    const liveProducedMs = performance.now() - liveStarted;
    await waitFor(() => receiver.stats.requests >= LIVE, 300_000, 'the live deliveries');
    const live = {
      deliveries: LIVE,
      producedPerSecond: round(LIVE / (liveProducedMs / 1000)),
      perSecond: round(LIVE / ((receiver.stats.lastAt - liveStarted) / 1000)),
      latencyP50Ms: percentile(receiver.stats.latenciesMs, 50),
      latencyP99Ms: percentile(receiver.stats.latenciesMs, 99),
      ...checks(receiver),
    };
    console.log('live', live);

    // The hot key's events are produced while the webhook is disabled, then replayed in one go.
    const setStatus = (status: 'active' | 'disabled') =>
      fetch(`${url}/hub/v1/webhooks/${subscription.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
    const hotSince = new Date().toISOString();
    await setStatus('disabled');
    for (let index = 0; index < HOT; index += 1) await receive('BENCH-HOT');
    await waitDrained(deployment, 120_000);
    await setStatus('active');
    receiver.reset();
    const hotStarted = performance.now();
    const hotReplay = (await call('POST', `/hub/v1/webhooks/${subscription.id}/replay`, {
      since: hotSince,
    })) as { enqueued: number };
    await waitFor(() => receiver.stats.requests >= hotReplay.enqueued, 300_000, 'the hot key');
    const hotKey = {
      deliveries: hotReplay.enqueued,
      perSecond: round(hotReplay.enqueued / ((receiver.stats.lastAt - hotStarted) / 1000)),
      ...checks(receiver),
    };
    console.log('one hot key', hotKey);

    const result = {
      at: new Date().toISOString(),
      engine: 'embedded',
      goalPerSecond: GOAL_PER_SECOND,
      metGoal: backlog.perSecond >= GOAL_PER_SECOND,
      setup: { events: EVENTS, keys: KEYS, producedPerSecond: round(producedPerSecond) },
      backlog,
      live,
      hotKey,
    };
    await mkdir(join(ROOT, 'bench/results'), { recursive: true });
    await writeFile(join(ROOT, 'bench/results/webhooks.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      'backlog (replay of stored events)': {
        'deliveries/s': backlog.perSecond,
        deliveries: backlog.deliveries,
      },
      'live (while producing)': { 'deliveries/s': live.perSecond, deliveries: live.deliveries },
      'one hot key (strict order)': { 'deliveries/s': hotKey.perSecond, deliveries: hotKey.deliveries },
    });
    console.log(
      `goal ≥ ${GOAL_PER_SECOND}/s: ${result.metGoal ? 'met' : 'MISSED'}; live latency p50 ${live.latencyP50Ms} ms, ` +
        `p99 ${live.latencyP99Ms} ms; written to bench/results/webhooks.json`,
    );
  } finally {
    await deployment.stop();
    await receiver.close();
  }
}

process.on('exit', killAllNow);
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
await main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll();
  process.exitCode = 1;
});
