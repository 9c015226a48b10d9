// Storefront catalog benchmark: reads/s with the cache warm, a single product and a list page, each beside
// bare Fastify answering the same bytes for the same GET in the same run. Goal: at least 70 % of it. The
// platform's own /healthz is measured the same way: what its HTTP kit costs around any handler.
//   node apps/server/bin/run-ts.mjs bench/catalog.ts [--products 1000] [--duration 10] [--connections 32]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startEmbedded } from './embedded.js';
import { summarize, type LoadResult } from './load.js';
import { RUN_TS, spawnNode, stopAll, stopChild } from './processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { api, apiOk, inParallel, waitDrained } from './support.js';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
  },
});
const productCount = Number(values.products);
const durationS = Number(values.duration);
const warmupS = Number(values.warmup);
const connections = Number(values.connections);
const ROUND_S = 2;
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

const skus = Array.from({ length: productCount }, (_, index) => `CAT-${String(index + 1).padStart(5, '0')}`);
/** A storefront's first pages: plain, by price, in stock only and a search. */
const LIST_PATHS = [
  '/commerce/v1/products?limit=20',
  '/commerce/v1/products?limit=20&sort=price',
  '/commerce/v1/products?limit=20&inStock=true',
  '/commerce/v1/products?limit=20&q=cat-001',
];

/** Closed-loop GETs on keep-alive connections, each request's path chosen by `nextPath`. */
async function getLoad(url: string, nextPath: () => string, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: nextPath() }) }],
  });
  return summarize(result, 200);
}

/** Sums the loads of several rounds into one result (rates over the summed time, latencies of the worst round). */
function combine(rounds: readonly LoadResult[]): LoadResult {
  const durationS = rounds.reduce((sum, round) => sum + round.durationS, 0);
  const okCount = rounds.reduce((sum, round) => sum + round.okCount, 0);
  const byStatus: Record<string, number> = {};
  for (const round of rounds)
    for (const [status, count] of Object.entries(round.byStatus))
      byStatus[status] = (byStatus[status] ?? 0) + count;
  const worst = (pick: (round: LoadResult) => number) => Math.max(...rounds.map(pick));
  return {
    durationS,
    okPerSec: okCount / durationS,
    okCount,
    byStatus,
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    timeouts: rounds.reduce((sum, round) => sum + round.timeouts, 0),
    latency: {
      p50: worst((round) => round.latency.p50),
      p90: worst((round) => round.latency.p90),
      p99: worst((round) => round.latency.p99),
      max: worst((round) => round.latency.max),
      mean: rounds.reduce((sum, round) => sum + round.latency.mean * round.durationS, 0) / durationS,
    },
  };
}

/**
 * The platform and the ceiling measured in alternating rounds of ROUND_S seconds, so load from other work on
 * the machine falls on both alike instead of on whichever ran during it.
 */
async function measurePair(
  platformUrl: string,
  ceilingUrl: string,
  nextPath: () => string,
  ceilingPath = nextPath,
): Promise<{ platform: LoadResult; ceiling: LoadResult }> {
  if (warmupS > 0) {
    await getLoad(platformUrl, nextPath, warmupS);
    await getLoad(ceilingUrl, ceilingPath, warmupS);
  }
  const platform: LoadResult[] = [];
  const ceiling: LoadResult[] = [];
  for (let round = 0; round < Math.max(1, Math.round(durationS / ROUND_S)); round += 1) {
    platform.push(await getLoad(platformUrl, nextPath, ROUND_S));
    ceiling.push(await getLoad(ceilingUrl, ceilingPath, ROUND_S));
  }
  return { platform: combine(platform), ceiling: combine(ceiling) };
}

const rotate = (paths: readonly string[]) => {
  let turn = 0;
  return () => paths[turn++ % paths.length]!;
};
const productPaths = skus.map((sku) => `/commerce/v1/products/${sku}`);

/** A catalog shaped like a shop's: stock at a warehouse, a web sale on a tenth of it, a kit per 50 SKUs. */
async function seed(url: string, key: string): Promise<void> {
  await apiOk(url, key, 'PUT', '/erp/v1/locations/bench-wh', { name: 'Bench warehouse', kind: 'warehouse' });
  await inParallel(skus, 8, async (sku) => {
    const index = Number(sku.slice(4));
    await apiOk(url, key, 'PUT', `/erp/v1/products/${sku}`, {
      name: `Catalog item ${index}`,
      price: { amount: 500 + (index % 97) * 100, currency: 'EUR' },
    });
    if (index % 7 !== 0)
      await apiOk(url, key, 'POST', '/erp/v1/inventory/adjustments', {
        id: `bench-${sku}`,
        sku,
        locationId: 'bench-wh',
        delta: 10 + (index % 40),
        reason: 'received',
        occurredAt: new Date().toISOString(),
      });
  });
  await inParallel(
    skus.filter((_, index) => index % 50 === 0),
    8,
    async (sku) => {
      await apiOk(url, key, 'PUT', `/erp/v1/products/KIT-${sku}`, {
        name: `Kit of ${sku}`,
        price: { amount: 9900, currency: 'EUR' },
        kind: 'kit',
        components: [
          { sku, quantity: 2 },
          { sku: skus[(skus.indexOf(sku) + 1) % skus.length]!, quantity: 1 },
        ],
      });
    },
  );
  await apiOk(url, key, 'PUT', '/erp/v1/price-lists/bench-web-sale', {
    name: 'Web sale',
    currency: 'EUR',
    priority: 10,
    channels: ['web'],
    prices: skus.filter((_, index) => index % 10 === 0).map((sku) => ({ sku, amount: 300 })),
  });
}

async function main() {
  const adminKey = `bench-catalog-${randomBytes(16).toString('hex')}`;
  const platform = await startEmbedded({ adminKey, demo: false });
  const scratch = await mkdtemp(join(tmpdir(), 'tillstream-catalog-ceiling-'));
  let ceiling: Awaited<ReturnType<typeof spawnNode>> | null = null;
  try {
    const url = platform.urls.commerce;
    const seeding = performance.now();
    await seed(url, adminKey);
    await waitDrained(platform, 120_000);
    // Warm: every product listed, and the web sale showing (the cache re-reads pricing after the event).
    for (const deadline = Date.now() + 60_000; ;) {
      const [last, sale] = await Promise.all([
        api(url, adminKey, 'GET', `/commerce/v1/products/${skus[skus.length - 1]}`),
        api(url, adminKey, 'GET', `/commerce/v1/products/${skus[0]}`),
      ]);
      const onSale = (sale.body as { price?: { amount: number } } | null)?.price?.amount === 300;
      if (last.status === 200 && onSale) break;
      if (Date.now() > deadline) throw new Error('the catalog did not warm in 60 s');
      await new Promise((done) => setTimeout(done, 100));
    }
    console.log(
      `seeded ${fixed(productCount)} products, ${fixed(skus.length / 50)} kits and a web sale in ` +
        `${fixed((performance.now() - seeding) / 1000, 1)} s`,
    );
    const productBody = JSON.stringify((await api(url, adminKey, 'GET', productPaths[1]!)).body);
    const pageBody = JSON.stringify((await api(url, adminKey, 'GET', LIST_PATHS[0]!)).body);
    const productFile = join(scratch, 'product.json');
    const pageFile = join(scratch, 'page.json');
    await writeFile(productFile, productBody);
    await writeFile(pageFile, pageBody);
    const port = await freePort();
    ceiling = spawnNode(
      'catalog ceiling',
      [
        RUN_TS,
        resolve(import.meta.dirname, 'catalog-ceiling-server.ts'),
        String(port),
        productFile,
        pageFile,
      ],
      {},
    );
    await ceiling.waitForLine(/ceiling ready/, 30_000);
    const ceilingUrl = `http://127.0.0.1:${port}`;
    const product = await measurePair(url, ceilingUrl, rotate(productPaths));
    const list = await measurePair(url, ceilingUrl, rotate(LIST_PATHS));
    // The platform's floor: its HTTP kit (auth, trace ids, metrics, hooks) around a handler that does nothing.
    const floor = await measurePair(url, ceilingUrl, () => '/healthz', rotate(productPaths));

    const line = (name: string, load: LoadResult) =>
      `${name}: ${fixed(load.okPerSec)} /s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ` +
      `errors ${load.errors}, statuses ${JSON.stringify(load.byStatus)}`;
    console.log(
      `bodies: product ${productBody.length} B, page of 20 ${pageBody.length} B; ${connections} connections; ` +
        `${ROUND_S} s rounds alternating with the ceiling`,
    );
    console.log(line('GET /commerce/v1/products/{sku} (embedded)', product.platform));
    console.log(line('bare Fastify, same body', product.ceiling));
    console.log(line('GET /commerce/v1/products?limit=20… (embedded)', list.platform));
    console.log(line('bare Fastify, same body', list.ceiling));
    console.log(line('GET /healthz on the same platform (its floor)', floor.platform));
    console.log(line('bare Fastify, product body', floor.ceiling));
    const productShare = product.platform.okPerSec / product.ceiling.okPerSec;
    const floorShare = floor.platform.okPerSec / floor.ceiling.okPerSec;
    const listShare = list.platform.okPerSec / list.ceiling.okPerSec;
    console.log(
      `single product at ${fixed(productShare * 100, 1)} % of the ceiling, list page at ` +
        `${fixed(listShare * 100, 1)} % (goal 70 %); the platform's /healthz at ${fixed(floorShare * 100, 1)} %`,
    );
    console.log(JSON.stringify({ product, productShare, list, listShare, floor, floorShare, productCount }));
  } finally {
    if (ceiling) await stopChild(ceiling);
    await platform.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

try {
  await main();
} finally {
  await stopAll();
}
