import { setTimeout as sleep } from 'node:timers/promises';
import { httpClient } from './http-client.js';
import {
  apiOk,
  BENCH_STORE,
  inParallel,
  percentile,
  randomLines,
  saleBody,
  waitDrained,
  type CatalogItem,
  type Deployment,
} from './support.js';

const WATCH_STOCK = 100_000;
const WATCH_PRICE = 999;
/** A sample not visible in this long counts as not propagated (and is reported). */
const SAMPLE_TIMEOUT_MS = 10_000;
/**
 * Past this many seconds' worth of unanswered sales the platform is plainly overloaded: further sales are shed
 * (counted, not sent), so an overloaded run leaves a backlog that drains in seconds, not minutes.
 */
const MAX_BACKLOG_S = 1;
/**
 * Past the first `pollGapMs`-spaced polls, a watcher waits this share of the time already waited: the
 * resolution stays ~1 ms where the 50 ms goal is decided, and slow samples do not flood the storefront.
 */
const POLL_BACKOFF = 0.05;

/** Watch SKUs, each with the `available` the storefront should show once every sale sent to it landed. */
export interface WatchPool {
  expected: Map<string, number>;
  /** SKUs with no sampled sale in flight; a sampled sale takes one and gives it back once seen. */
  free: string[];
}

/**
 * Products that only sampled sales touch, each stocked at the bench store, so the storefront's `available`
 * for one of them moves exactly when a sampled sale reaches it.
 */
export async function createWatchPool(deployment: Deployment, count: number): Promise<WatchPool> {
  const skus = Array.from({ length: count }, (_, index) => `BENCH-W-${String(index + 1).padStart(5, '0')}`);
  const { erp } = deployment.urls;
  // The storefront shows what the web channel may sell: let it sell from the bench store too.
  const web = (await apiOk(erp, deployment.adminKey, 'GET', '/erp/v1/channels/web')) as {
    locations: string[];
    safetyStock: number;
  };
  if (!web.locations.includes(BENCH_STORE) || web.safetyStock !== 0)
    await apiOk(erp, deployment.adminKey, 'PUT', '/erp/v1/channels/web', {
      locations: [...new Set([...web.locations, BENCH_STORE])],
      safetyStock: 0,
    });
  await inParallel(skus, 16, async (sku) => {
    await apiOk(erp, deployment.adminKey, 'PUT', `/erp/v1/products/${sku}`, {
      name: `Bench watch ${sku}`,
      price: { amount: WATCH_PRICE, currency: 'EUR' },
    });
    await apiOk(erp, deployment.adminKey, 'POST', '/erp/v1/inventory/adjustments', {
      id: `bench-stock-${sku}`,
      sku,
      locationId: BENCH_STORE,
      delta: WATCH_STOCK,
      reason: 'received',
      occurredAt: new Date().toISOString(),
    });
  });
  const drained = await waitDrained(deployment, 120_000);
  if (!drained.drained)
    throw new Error(`watch SKUs did not propagate in 120 s: ${JSON.stringify(drained.state)}`);
  for (const sku of [skus[0]!, skus[skus.length - 1]!]) {
    const view = (await apiOk(
      deployment.urls.commerce,
      deployment.adminKey,
      'GET',
      `/commerce/v1/products/${sku}`,
    )) as {
      available: number;
    };
    if (view.available !== WATCH_STOCK)
      throw new Error(`${sku}: storefront shows ${view.available}, not ${WATCH_STOCK}`);
  }
  return { expected: new Map(skus.map((sku) => [sku, WATCH_STOCK])), free: [...skus] };
}

export interface PropagationResult {
  targetPerSec: number;
  durationS: number;
  /** Sales due by the timer (sent or shed). */
  scheduled: number;
  created: number;
  /** 201s per second from the first send to the last 201. */
  achievedPerSec: number;
  failures: Record<string, number>;
  /** Sales not sent because MAX_BACKLOG_S worth were unanswered. */
  shed: number;
  saleLatencyMs: { p50: number; p99: number };
  samples: number;
  /** Sampled sales the storefront never showed within SAMPLE_TIMEOUT_MS. */
  notSeen: number;
  /** 201 of a sampled sale → storefront shows its lower `available`, ms. */
  propagationMs: { p50: number; p90: number; p99: number; max: number };
}

/**
 * Open-loop paced sales at `ratePerSec` (sent on a timer, whether or not earlier ones were answered); one in
 * `sampleEvery` goes to a watch SKU whose storefront view is then polled until it shows the sale.
 */
export async function measurePropagation(
  deployment: Deployment,
  catalog: readonly CatalogItem[],
  pool: WatchPool,
  options: { ratePerSec: number; durationS: number; sampleEvery: number; pollGapMs: number },
): Promise<PropagationResult> {
  const pos = httpClient(deployment.urls.pos, 512);
  const commerce = httpClient(deployment.urls.commerce, 128);
  const headers = { authorization: `Bearer ${deployment.adminKey}`, 'content-type': 'application/json' };
  const { expected, free } = pool;
  const saleLatencies: number[] = [];
  const propagation: number[] = [];
  const failures: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let created = 0;
  let shed = 0;
  let samples = 0;
  let notSeen = 0;
  let lastCreatedAt = 0;
  let unanswered = 0;

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  async function watch(sku: string, target: number, answeredAt: number) {
    let etag = '';
    for (;;) {
      const answer = await commerce.send(
        'GET',
        `/commerce/v1/products/${sku}`,
        etag ? { 'if-none-match': etag } : {},
      );
      const now = performance.now();
      if (answer.status === 200) {
        if ((JSON.parse(answer.body) as { available: number }).available <= target) {
          propagation.push(now - answeredAt);
          break;
        }
        etag = answer.etag ?? '';
      }
      if (now - answeredAt > SAMPLE_TIMEOUT_MS) {
        notSeen += 1;
        break;
      }
      await sleep(Math.max(options.pollGapMs, (now - answeredAt) * POLL_BACKOFF));
    }
    free.push(sku);
  }

  async function sell(sampled: string | null) {
    const lines = sampled ? [{ sku: sampled, quantity: 1, unitPrice: WATCH_PRICE }] : randomLines(catalog);
    const sentAt = performance.now();
    unanswered += 1;
    try {
      const answer = await pos
        .send('POST', '/pos/v1/sales', headers, saleBody(lines).json)
        .finally(() => (unanswered -= 1));
      const answeredAt = performance.now();
      saleLatencies.push(answeredAt - sentAt);
      if (answer.status !== 201) {
        failures[answer.status] = (failures[answer.status] ?? 0) + 1;
        // The sale may or may not be stored, so the SKU's expected stock is unknown: it is not reused.
        return;
      }
      created += 1;
      lastCreatedAt = answeredAt;
      if (sampled) {
        const target = expected.get(sampled)! - 1;
        expected.set(sampled, target);
        samples += 1;
        await watch(sampled, target, answeredAt);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      failures[code] = (failures[code] ?? 0) + 1;
    }
  }

  // A backlog left by an earlier phase would be counted as this run's propagation time.
  await waitDrained(deployment, 120_000);
  const total = Math.round(options.ratePerSec * options.durationS);
  const startedAt = performance.now();
  let issued = 0;
  while (issued < total) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) * options.ratePerSec) / 1000));
    for (; issued < due; issued += 1) {
      // Only unanswered sales count: sampled ones already answered are just being watched.
      if (unanswered >= MAX_BACKLOG_S * options.ratePerSec) {
        shed += 1;
        continue;
      }
      const sampled = issued % options.sampleEvery === 0 ? (free.shift() ?? null) : null;
      track(sell(sampled));
    }
    await sleep(1);
  }
  while (pending.size > 0) await Promise.race(pending);
  pos.close();
  commerce.close();

  const window = (lastCreatedAt || performance.now()) - startedAt;
  return {
    targetPerSec: options.ratePerSec,
    durationS: options.durationS,
    scheduled: issued,
    created,
    achievedPerSec: created / (window / 1000),
    failures,
    shed,
    saleLatencyMs: { p50: percentile(saleLatencies, 50), p99: percentile(saleLatencies, 99) },
    samples,
    notSeen,
    propagationMs: {
      p50: percentile(propagation, 50),
      p90: percentile(propagation, 90),
      p99: percentile(propagation, 99),
      max: percentile(propagation, 100),
    },
  };
}
