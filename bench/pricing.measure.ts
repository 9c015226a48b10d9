import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileSnapshot, quote } from '@tillstream/pricing';
import { startEmbedded } from './embedded.js';
import { postLoad, type LoadResult } from './load.js';
import { RUN_TS, spawnNode, stopChild } from './processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { apiOk, inParallel, waitDrained } from './support.js';
import { pricingWorld, worldSnapshot, type PricingWorld } from './pricing.world.js';

/** The instant every in-process quote is priced at: a Wednesday afternoon, all promotions live. */
const AT = '2026-06-10T14:00:00.000Z';

export interface InProcessResult {
  /** Over the whole measured time. */
  quotesPerSec: number;
  /** Of the one-second rounds: the median, and the best (the least disturbed by other work on the machine). */
  medianRoundPerSec: number;
  bestRoundPerSec: number;
  microsPerQuote: number;
  /** Promotions applied per quote, on average: how much of the 50 the carts actually hit. */
  appliedPerQuote: number;
  quotes: number;
}

/** Quotes in a tight loop on this thread (one core): one-second rounds for `durationS`, after a warm-up. */
export function measureInProcess(options: { durationS: number; warmupS: number }): InProcessResult {
  const world = pricingWorld();
  const compiled = compileSnapshot(worldSnapshot(world));
  const inputs = world.carts.map((cart) => ({ ...cart, at: AT }));
  const round = (seconds: number) => {
    let quotes = 0;
    let applied = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    while (performance.now() < until) {
      for (const input of inputs) applied += quote(compiled, input).promotions.length;
      quotes += inputs.length;
    }
    return { quotes, applied, elapsedS: (performance.now() - started) / 1000 };
  };
  round(options.warmupS);
  const rounds = Array.from({ length: Math.max(1, Math.round(options.durationS)) }, () => round(1));
  const rates = rounds.map((entry) => entry.quotes / entry.elapsedS).sort((left, right) => left - right);
  const quotes = rounds.reduce((sum, entry) => sum + entry.quotes, 0);
  const elapsedS = rounds.reduce((sum, entry) => sum + entry.elapsedS, 0);
  return {
    quotesPerSec: quotes / elapsedS,
    medianRoundPerSec: rates[Math.floor(rates.length / 2)]!,
    bestRoundPerSec: rates[rates.length - 1]!,
    microsPerQuote: (elapsedS * 1e6) / quotes,
    appliedPerQuote: rounds.reduce((sum, entry) => sum + entry.applied, 0) / quotes,
    quotes,
  };
}

/** Loads the world into a running platform through its API, as an operator would. */
async function seedPlatform(url: string, key: string, world: PricingWorld): Promise<void> {
  await apiOk(url, key, 'PUT', '/erp/v1/locations/bench-store', { name: 'Bench store', kind: 'store' });
  await inParallel(world.products, 8, async (product) => {
    await apiOk(url, key, 'PUT', `/erp/v1/products/${product.sku}`, {
      name: product.sku,
      price: product.price,
    });
    await apiOk(url, key, 'PUT', `/erp/v1/product-pricing/${product.sku}`, {
      taxCategory: product.taxCategory,
      categories: product.categories,
    });
  });
  for (const { id, version: _version, ...rate } of world.taxRates)
    await apiOk(url, key, 'PUT', `/erp/v1/tax-rates/${id}`, rate);
  for (const { id, version: _version, ...list } of world.priceLists)
    await apiOk(url, key, 'PUT', `/erp/v1/price-lists/${id}`, list);
  for (const { id, version: _version, ...promotion } of world.promotions)
    await apiOk(url, key, 'PUT', `/erp/v1/promotions/${id}`, promotion);
}

export interface HttpResult {
  quotes: LoadResult;
  ceiling: LoadResult;
  /** Quotes/s as a share of what bare Fastify answers for a body and answer of the same size. */
  shareOfCeiling: number;
}

/**
 * `POST /erp/v1/quotes` on the embedded platform, then bare Fastify answering the same path with a real quote's
 * bytes (no validation, auth, database or engine), each under the same closed-loop load.
 */
export async function measureHttp(options: {
  connections: number;
  durationS: number;
  warmupS: number;
}): Promise<HttpResult> {
  const world = pricingWorld();
  const bodies = world.carts.map((cart) => JSON.stringify({ ...cart, storeId: 'bench-store' }));
  let turn = 0;
  const makeBody = () => bodies[turn++ % bodies.length]!;
  const adminKey = `bench-pricing-${randomBytes(16).toString('hex')}`;
  const platform = await startEmbedded({ adminKey, demo: false });
  let sample: unknown;
  let quotes: LoadResult;
  try {
    const url = platform.urls.erp;
    await seedPlatform(url, adminKey, world);
    // Consumers still applying the seeding's events would compete with the quotes for the CPU.
    await waitDrained(platform, 60_000);
    sample = await apiOk(url, adminKey, 'POST', '/erp/v1/quotes', JSON.parse(bodies[0]!));
    const load = {
      url,
      path: '/erp/v1/quotes',
      connections: options.connections,
      okStatus: 200,
      headers: { authorization: `Bearer ${adminKey}` },
      makeBody,
    };
    if (options.warmupS > 0) await postLoad({ ...load, durationS: options.warmupS });
    quotes = await postLoad({ ...load, durationS: options.durationS });
  } finally {
    await platform.stop();
  }

  const scratch = await mkdtemp(join(tmpdir(), 'tillstream-pricing-ceiling-'));
  const answer = join(scratch, 'quote.json');
  await writeFile(answer, JSON.stringify(sample));
  const port = await freePort();
  const child = spawnNode(
    'pricing ceiling',
    [RUN_TS, resolve(import.meta.dirname, 'pricing-ceiling-server.ts'), String(port), answer],
    {},
  );
  try {
    await child.waitForLine(/ceiling ready/, 30_000);
    const load = {
      url: `http://127.0.0.1:${port}`,
      path: '/erp/v1/quotes',
      connections: options.connections,
      okStatus: 200,
      makeBody,
    };
    if (options.warmupS > 0) await postLoad({ ...load, durationS: options.warmupS });
    const ceiling = await postLoad({ ...load, durationS: options.durationS });
    return { quotes, ceiling, shareOfCeiling: quotes.okPerSec / ceiling.okPerSec };
  } finally {
    await stopChild(child);
    await rm(scratch, { recursive: true, force: true });
  }
}
