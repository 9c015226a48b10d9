import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';

/** Where each context answers: one URL for all on the embedded engine, one per service on scale-out. */
export interface ContextUrls {
  erp: string;
  pos: string;
  commerce: string;
  hub: string;
  analytics: string;
}

export interface Deployment {
  engine: 'embedded' | 'scale-out';
  urls: ContextUrls;
  /** Every process serving HTTP, once each, for /metrics and memory. */
  services: Array<{ name: string; url: string; pid: number }>;
  /** The platform's own error log lines (pino level 50 and up), latest last, to say why a request failed. */
  errorLines(): string[];
  adminKey: string;
  stop(): Promise<void>;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** JSON over fetch with the admin key: for setup and verification, not for the measured paths. */
export async function api(
  baseUrl: string,
  key: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

export async function apiOk(
  baseUrl: string,
  key: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await api(baseUrl, key, method, path, body);
  if (response.status >= 300) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

export interface PipelineState {
  lag: number;
  backlog: number;
  deadLetters: number;
}

/** Sums consumer lag, outbox backlog and dead letters over every service's Prometheus metrics. */
export async function pipelineState(deployment: Deployment): Promise<PipelineState> {
  const state = { lag: 0, backlog: 0, deadLetters: 0 };
  for (const service of deployment.services) {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match =
        /^(tillstream_consumer_lag|tillstream_outbox_backlog|tillstream_consumer_dead_letters)\{[^}]*\} (\S+)$/.exec(
          line,
        );
      if (!match) continue;
      const value = Number(match[2]);
      if (match[1] === 'tillstream_consumer_lag') state.lag += value;
      else if (match[1] === 'tillstream_outbox_backlog') state.backlog += value;
      else state.deadLetters += value;
    }
  }
  return state;
}

/**
 * Waits until every consumer has caught up and every outbox is relayed, so that one phase's backlog does not
 * slow the next one down. Resolves with the time it took and the last state seen.
 */
export async function waitDrained(
  deployment: Deployment,
  timeoutMs: number,
): Promise<{ drained: boolean; ms: number; state: PipelineState }> {
  const started = performance.now();
  let state = await pipelineState(deployment);
  while (state.lag + state.backlog > 0 && performance.now() - started < timeoutMs) {
    await sleep(50);
    state = await pipelineState(deployment);
  }
  return { drained: state.lag + state.backlog === 0, ms: performance.now() - started, state };
}

export interface CatalogItem {
  sku: string;
  price: number;
}

/** The storefront's catalog, every page; on a demo chain that is the 50 demo SKUs. */
export async function readCatalog(commerceUrl: string, key: string): Promise<CatalogItem[]> {
  const items: CatalogItem[] = [];
  let next = '';
  for (;;) {
    const cursor = next ? `&cursor=${next}` : '';
    const page = (await apiOk(commerceUrl, key, 'GET', `/commerce/v1/products?limit=200${cursor}`)) as {
      products: Array<{ sku: string; price: { amount: number } }>;
      next: string | null;
    };
    items.push(...page.products.map((product) => ({ sku: product.sku, price: product.price.amount })));
    if (!page.next) return items;
    next = encodeURIComponent(page.next);
  }
}

export const BENCH_STORE = 'store-amsterdam';
const TERMINALS = ['bench-t1', 'bench-t2', 'bench-t3', 'bench-t4'];

export interface SaleLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * Receives `units` of every SKU at a store, so that the sales a benchmark rings up come out of stock on hand as
 * a store's sales normally do. Without it the demo chain's few units run out within a second and every later
 * sale line also raises a negative-stock exception (a row and an event more per line), which is the rare case.
 */
export async function topUpStock(
  deployment: Deployment,
  skus: readonly string[],
  storeId: string,
  units: number,
): Promise<void> {
  for (const sku of skus) {
    await apiOk(deployment.urls.erp, deployment.adminKey, 'POST', '/erp/v1/inventory/adjustments', {
      id: `bench-topup-${sku}-${storeId}`,
      sku,
      locationId: storeId,
      delta: units,
      reason: 'received',
      occurredAt: TOP_UP_AT,
    });
  }
}

/** One business time for every top-up of a run, so a second call replays the first (same id, same body). */
const TOP_UP_AT = new Date().toISOString();

/** A sale as a till sends it: a fresh UUIDv7, now, card payment equal to the total. */
export function saleBody(lines: readonly SaleLine[]): { id: string; json: string } {
  const id = uuidv7();
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const json = JSON.stringify({
    id,
    storeId: BENCH_STORE,
    terminalId: TERMINALS[Math.floor(Math.random() * TERMINALS.length)],
    occurredAt: new Date().toISOString(),
    currency: 'EUR',
    lines,
    payments: [{ method: 'card', amount: total }],
  });
  return { id, json };
}

/** One to three distinct catalog items, one or two of each. */
export function randomLines(catalog: readonly CatalogItem[]): SaleLine[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const picked = new Set<CatalogItem>();
  while (picked.size < count) picked.add(catalog[Math.floor(Math.random() * catalog.length)]!);
  return [...picked].map((item) => ({
    sku: item.sku,
    quantity: 1 + Math.floor(Math.random() * 2),
    unitPrice: item.price,
  }));
}

/** Pino JSON lines at error level or above from a process's recent output. */
export function errorLinesOf(output: string): string[] {
  return output.split('\n').filter((line) => /^\{.*"level":(5|6)0[,}]/.test(line));
}
