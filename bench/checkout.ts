// Checkout benchmark: completed online checkouts per second on the embedded engine — create a cart, add a
// line, check out with the built-in test provider approving (ERP hold, payment, order + outbox) — at
// concurrency 1, 8 and 32, with p50/p99 of the whole three-request flow. Every 201 must be an order in
// commerce and a reservation held in ERP: the counts are checked, not assumed.
//   node apps/server/bin/run-ts.mjs bench/checkout.ts [--seconds 10] [--concurrency 1,8,32] [--skus 200] [--cpu-prof DIR]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startEmbedded } from './embedded.js';
import { httpClient } from './http-client.js';
import { stopAll } from './processes.js';
import { percentile, round } from './support.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1,8,32' },
    skus: { type: 'string', default: '200' },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const LEVELS = values.concurrency.split(',').map(Number);
const SKUS = Number(values.skus);
const WAREHOUSE = 'wh-checkout-bench';
const GOAL_PER_SEC = 1_000;
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

interface Level {
  concurrency: number;
  seconds: number;
  flows: number;
  created: number;
  refused: Record<string, number>;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  checkoutP50Ms: number;
  checkoutP99Ms: number;
}

const adminKey = `bench-admin-${Math.random().toString(36).slice(2)}-${Date.now()}`;
try {
  const platform = await startEmbedded({
    adminKey,
    demo: false,
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  });
  const url = platform.urls.commerce;
  const client = httpClient(url, Math.max(...LEVELS) * 2);
  const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const json = { 'content-type': 'application/json' };
  const call = async (method: string, path: string, body: unknown, headers = admin) => {
    const answer = await client.send(method, path, headers, JSON.stringify(body));
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };

  console.error(`… seeding ${SKUS} products with stock that will not run out`);
  await call('PUT', `/erp/v1/locations/${WAREHOUSE}`, { name: 'Bench warehouse', kind: 'warehouse' });
  const skus = Array.from({ length: SKUS }, (_, index) => `CO-${String(index).padStart(4, '0')}`);
  for (const sku of skus) {
    await call('PUT', `/erp/v1/products/${sku}`, { name: sku, price: { amount: 1999, currency: 'EUR' } });
    await call('POST', '/erp/v1/inventory/adjustments', {
      id: `seed-${sku}`,
      sku,
      locationId: WAREHOUSE,
      delta: 1_000_000,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    });
  }

  /** One shopper's whole flow, as a storefront makes it: public calls, no API key. */
  const flow = async (sku: string) => {
    const started = performance.now();
    const cart = await client.send('POST', '/commerce/v1/carts', json, '{}');
    const { id } = JSON.parse(cart.body) as { id: string };
    const line = await client.send(
      'POST',
      `/commerce/v1/carts/${id}/lines`,
      json,
      JSON.stringify({ sku, quantity: 1 }),
    );
    if (line.status !== 200) return { status: `line ${line.status}`, totalMs: 0, checkoutMs: 0 };
    const checkoutStarted = performance.now();
    const order = await client.send(
      'POST',
      `/commerce/v1/carts/${id}/checkout`,
      json,
      JSON.stringify({ email: 'bench@example.com', payment: { method: 'test' } }),
    );
    const done = performance.now();
    const code =
      order.status === 201 ? '201' : `${order.status} ${(JSON.parse(order.body) as { code?: string }).code}`;
    return { status: code, totalMs: done - started, checkoutMs: done - checkoutStarted };
  };

  await Promise.all(skus.slice(0, 8).map((sku) => flow(sku))); // warm-up: JIT, pricing snapshot, statements
  const levels: Level[] = [];
  let turn = 0;
  for (const concurrency of LEVELS) {
    console.error(`… ${SECONDS} s at concurrency ${concurrency}`);
    const totals: number[] = [];
    const checkouts: number[] = [];
    const refused: Record<string, number> = {};
    let created = 0;
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const result = await flow(skus[turn++ % skus.length]!);
          if (result.status === '201') {
            created += 1;
            totals.push(result.totalMs);
            checkouts.push(result.checkoutMs);
          } else refused[result.status] = (refused[result.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    levels.push({
      concurrency,
      seconds: round(seconds, 2),
      flows: created + Object.values(refused).reduce((sum, n) => sum + n, 0),
      created,
      refused,
      perSec: round(created / seconds, 1),
      p50Ms: round(percentile(totals, 50), 1),
      p99Ms: round(percentile(totals, 99), 1),
      checkoutP50Ms: round(percentile(checkouts, 50), 1),
      checkoutP99Ms: round(percentile(checkouts, 99), 1),
    });
  }

  // For scale, in the same process and run: one request with one ERP commit, the hold checkout makes inside.
  console.error(`… ${SECONDS} s of bare ERP holds at concurrency 32, for scale`);
  let holdsPlaced = 0;
  const holdLatencies: number[] = [];
  const holdsFrom = performance.now();
  const holdsUntil = holdsFrom + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < holdsUntil) {
        const sent = performance.now();
        const answer = await client.send(
          'POST',
          '/erp/v1/reservations',
          admin,
          JSON.stringify({
            id: `bench-hold-${turn}`,
            channel: 'web',
            lines: [{ sku: skus[turn++ % skus.length], quantity: 1 }],
            expiresInSeconds: 900,
          }),
        );
        if (answer.status === 201) {
          holdsPlaced += 1;
          holdLatencies.push(performance.now() - sent);
        }
      }
    }),
  );
  const bareHolds = {
    perSec: round(holdsPlaced / ((performance.now() - holdsFrom) / 1000), 1),
    p50Ms: round(percentile(holdLatencies, 50), 1),
    p99Ms: round(percentile(holdLatencies, 99), 1),
  };
  client.close();

  // Count what the platform recorded, straight from its files (read-only), against the 201s it answered.
  const dataDir = platform.dataDir;
  const file = (context: string) =>
    join(
      dataDir,
      readdirSync(dataDir).find((name) => name.startsWith(context) && name.endsWith('.sqlite'))!,
    );
  const count = (context: string, sql: string) => {
    const db = new Database(file(context), { readonly: true, fileMustExist: true });
    try {
      return Number((db.prepare(sql).get() as { n: number }).n);
    } finally {
      db.close();
    }
  };
  const answered201 = levels.reduce((sum, level) => sum + level.created, 0) + 8;
  const orders = count('commerce', 'SELECT count(*) AS n FROM orders');
  const holds = count(
    'erp',
    "SELECT count(*) AS n FROM reservations WHERE id LIKE 'checkout:%' AND status = 'held'",
  );
  await platform.stop();

  for (const level of levels) {
    const refusals = Object.entries(level.refused)
      .map(([status, n]) => `${n} × ${status}`)
      .join(', ');
    console.log(
      `concurrency ${level.concurrency}: ${fixed(level.perSec, 1)} completed checkouts/s ` +
        `(${fixed(level.created)} in ${level.seconds} s; flow p50 ${level.p50Ms} ms, p99 ${level.p99Ms} ms; ` +
        `checkout request p50 ${level.checkoutP50Ms} ms, p99 ${level.checkoutP99Ms} ms)` +
        (refusals ? `; not placed: ${refusals}` : ''),
    );
  }
  console.log(
    `bare ERP holds (POST /erp/v1/reservations) at concurrency 32: ${fixed(bareHolds.perSec, 1)}/s ` +
      `(p50 ${bareHolds.p50Ms} ms, p99 ${bareHolds.p99Ms} ms); a checkout flow is 3 requests and 4 commerce ` +
      'commits around one such hold',
  );
  console.log(
    `201s answered ${fixed(answered201)} · orders in commerce ${fixed(orders)} · holds in ERP ${fixed(holds)}`,
  );
  const top = levels.find((level) => level.concurrency === 32);
  if (top)
    console.log(
      `goal: ≥ ${fixed(GOAL_PER_SEC)}/s at concurrency 32: ${top.perSec >= GOAL_PER_SEC ? 'met' : 'missed'}`,
    );
  console.log(JSON.stringify({ levels, bareHolds, answered201, orders, holds }));
  if (orders !== answered201 || holds !== answered201) process.exitCode = 1;
} finally {
  await stopAll();
}
