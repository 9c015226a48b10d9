import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpClient } from './http-client.js';
import { CLI, spawnNode, stopChild, waitFor200 } from './processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { monotonicUs, type ProfileWindow } from './profile.js';
import { inParallel, percentile, round } from './support.js';

export interface Phase {
  requests: number;
  held: number;
  refused: number;
  errors: number;
  /** Answered reservations per second (held or refused). */
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface BareRates {
  /**
   * One conditional UPDATE per transaction (BEGIN IMMEDIATE … COMMIT, WAL, synchronous=FULL), as the API
   * commits: the mean of a run just before and one just after the HTTP phase, so both see the same machine.
   */
  spreadPerSec: number;
  hotPerSec: number;
  /** The same UPDATEs in one transaction: the engine's ceiling without a commit each (for scale only). */
  batchedPerSec: number;
}

export interface ReservationBenchResult {
  skus: number;
  connections: number;
  spread: Phase;
  hot: Phase;
  race: { stock: number; requests: number; held: number; refused: number };
  bare: BareRates;
  /** HTTP rate over the bare durable rate. */
  spreadShareOfBare: number;
  hotShareOfBare: number;
  /** Units held beyond stock, counted from the answers and from the balances: must be 0. */
  oversoldUnits: number;
  ledgerOk: boolean;
  /** When the spread phase ran, on the monotonic clock: the stretch of a CPU profile worth reading. */
  spreadWindow: ProfileWindow;
}

const WAREHOUSE = 'wh-bench';
const CHANNEL = 'bench';
const SPREAD_STOCK = 10;
const RACE_STOCK = 500;
const HOT_STOCK = 1_000_000;
const skuName = (index: number) => `B-${String(index).padStart(5, '0')}`;

/**
 * Reservations over HTTP on the embedded engine (one process, SQLite), spread over `skus` SKUs and on one hot
 * SKU, then the same conditional UPDATE straight on a copy of ERP's database file with better-sqlite3, so both
 * rates come from the same rows, machine and run. Every answer is checked: no SKU may hold more than it had.
 */
export async function measureReservations(options: {
  skus: number;
  spreadRequests: number;
  hotRequests: number;
  connections: number;
  log?: (line: string) => void;
  /** Profiles the platform process into this directory (`node --cpu-prof`). */
  cpuProfDir?: string;
}): Promise<ReservationBenchResult> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), 'tillstream-bench-res-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminKey = `bench-admin-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const profiling = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const child = spawnNode(
    'tillstream start',
    [...profiling, CLI, 'start', '--port', String(port), '--data-dir', dataDir],
    { TILLSTREAM_ADMIN_KEY: adminKey, TILLSTREAM_LOG_LEVEL: 'warn' },
  );
  const client = httpClient(url, Math.max(64, options.connections));
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await client.send(
      method,
      path,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
    );
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`);
    return answer.body ? (JSON.parse(answer.body) as unknown) : null;
  };
  try {
    await waitFor200(`${url}/healthz`, child);
    log(`seeding ${options.skus} SKUs`);
    await call('PUT', `/erp/v1/locations/${WAREHOUSE}`, { name: 'Bench warehouse', kind: 'warehouse' });
    await call('PUT', `/erp/v1/channels/${CHANNEL}`, { locations: [WAREHOUSE], safetyStock: 0 });
    const seed = async (sku: string, stock: number) => {
      await call('PUT', `/erp/v1/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await call('POST', '/erp/v1/inventory/adjustments', {
        id: `seed-${sku}`,
        sku,
        locationId: WAREHOUSE,
        delta: stock,
        reason: 'received',
        occurredAt: '2026-11-01T08:00:00Z',
      });
    };
    const spreadSkus = Array.from({ length: options.skus }, (_, index) => skuName(index));
    await inParallel(spreadSkus, 32, (sku) => seed(sku, SPREAD_STOCK));
    await seed('HOT', HOT_STOCK);
    await seed('RACE', RACE_STOCK);

    // Seeding publishes 20,000 events the storefront, POS and hub consume in this same process; measuring
    // while they catch up would measure them. Each phase starts with every consumer caught up.
    const settle = async () => {
      const deadline = performance.now() + 300_000;
      while (performance.now() < deadline) {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        const behind = [
          ...metrics.matchAll(/^tillstream_(?:consumer_lag|outbox_backlog)\{[^}]*\} (\S+)$/gm),
        ].reduce((sum, match) => sum + Number(match[1]), 0);
        if (behind === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      log('consumers still behind after 5 minutes; measuring anyway');
    };
    await settle();
    // The bare loop runs on an online backup of ERP's own file, taken now: the same rows, pages and pragmas.
    const bareFile = join(dataDir, 'bare.sqlite');
    const source = new Database(join(dataDir, 'erp.sqlite'), { readonly: true });
    await source.backup(bareFile);
    source.close();
    const bareDb = new Database(bareFile);
    bareDb.pragma('journal_mode = WAL');
    bareDb.pragma('synchronous = FULL');
    // Deep stock on the copy, so a timed loop never runs out; the rows, pages and indexes stay the same.
    bareDb.exec('UPDATE stock_balances SET on_hand = on_hand + 1000000');
    const update = bareDb.prepare(
      `UPDATE stock_balances SET reserved = reserved + @q, version = version + 1
       WHERE sku = @sku AND location_id = @location AND on_hand - reserved - @safety >= @q`,
    );
    const begin = bareDb.prepare('BEGIN IMMEDIATE');
    const commit = bareDb.prepare('COMMIT');
    const reserve = (sku: string) => update.run({ q: 1, sku, location: WAREHOUSE, safety: 0 }).changes;
    let bareRound = 0;
    /** One conditional UPDATE per transaction, for `seconds`, as the API commits each reservation. */
    const bare = (skuOf: (index: number) => string, seconds = 3) => {
      bareRound += 1;
      const started = performance.now();
      let count = 0;
      while (performance.now() - started < seconds * 1000) {
        begin.run();
        if (reserve(skuOf(count + bareRound * 100_003)) !== 1) throw new Error('bare update found no stock');
        commit.run();
        count += 1;
      }
      return count / ((performance.now() - started) / 1000);
    };
    const heldBySku = new Map<string, number>();
    let next = 0;
    const phase = async (requests: number, skuOf: (index: number) => string, connections: number) => {
      const durations: number[] = [];
      const tally = { held: 0, refused: 0, errors: 0 };
      const started = performance.now();
      await inParallel(
        Array.from({ length: requests }, (_, index) => index),
        connections,
        async (index) => {
          const sku = skuOf(index);
          const body = JSON.stringify({
            id: `res-${++next}`,
            channel: CHANNEL,
            lines: [{ sku, quantity: 1 }],
            expiresInSeconds: 3600,
          });
          const sent = performance.now();
          const answer = await client.send('POST', '/erp/v1/reservations', headers, body);
          durations.push(performance.now() - sent);
          if (answer.status === 201) {
            tally.held += 1;
            heldBySku.set(sku, (heldBySku.get(sku) ?? 0) + 1);
          } else if (answer.status === 409 && answer.body.includes('insufficient_stock')) tally.refused += 1;
          else tally.errors += 1;
        },
      );
      const seconds = (performance.now() - started) / 1000;
      return {
        requests,
        ...tally,
        perSec: round((tally.held + tally.refused) / seconds),
        p50Ms: round(percentile(durations, 50), 2),
        p99Ms: round(percentile(durations, 99), 2),
      };
    };

    log('warming up');
    await phase(
      Math.min(2000, options.spreadRequests / 10),
      (index) => spreadSkus[index % options.skus]!,
      options.connections,
    );
    await settle();
    log('bare database before the spread phase');
    const spreadSku = (index: number) => spreadSkus[(index * 7919) % options.skus]!;
    const bareSpreadBefore = bare(spreadSku);
    log(`spread: ${options.spreadRequests} reservations over ${options.skus} SKUs`);
    const spreadFrom = monotonicUs();
    const spread = await phase(
      options.spreadRequests,
      (index) => spreadSkus[(index * 7919) % options.skus]!,
      options.connections,
    );
    const spreadWindow = { fromUs: spreadFrom, toUs: monotonicUs() };
    const bareSpreadAfter = bare(spreadSku);
    await settle();
    const bareHotBefore = bare(() => 'HOT');
    log(`hot: ${options.hotRequests} reservations of one SKU`);
    const hot = await phase(options.hotRequests, () => 'HOT', options.connections);
    const bareHotAfter = bare(() => 'HOT');
    const batchedStarted = performance.now();
    bareDb.transaction(() => {
      for (let index = 0; index < options.spreadRequests; index += 1) reserve(spreadSku(index + 7));
    })();
    const rates: BareRates = {
      spreadPerSec: round((bareSpreadBefore + bareSpreadAfter) / 2),
      hotPerSec: round((bareHotBefore + bareHotAfter) / 2),
      batchedPerSec: round(options.spreadRequests / ((performance.now() - batchedStarted) / 1000)),
    };
    log(
      `bare: spread ${round(bareSpreadBefore)} → ${round(bareSpreadAfter)}/s, hot ${round(bareHotBefore)} → ${round(bareHotAfter)}/s`,
    );
    log(`race: ${RACE_STOCK * 4} reservations at once against ${RACE_STOCK} units`);
    const raced = await phase(RACE_STOCK * 4, () => 'RACE', RACE_STOCK * 4);
    const race = { stock: RACE_STOCK, requests: raced.requests, held: raced.held, refused: raced.refused };

    const stockOf = (sku: string) => (sku === 'HOT' ? HOT_STOCK : sku === 'RACE' ? RACE_STOCK : SPREAD_STOCK);
    let oversoldUnits = 0;
    for (const [sku, held] of heldBySku) oversoldUnits += Math.max(0, held - stockOf(sku));
    const ledger = (await call('GET', '/erp/v1/inventory/ledger-check')) as { ok: boolean };
    await stopChild(child);

    const db = new Database(join(dataDir, 'erp.sqlite'), { readonly: true });
    oversoldUnits += Number(
      (
        db
          .prepare(
            'SELECT COALESCE(SUM(reserved - on_hand), 0) AS n FROM stock_balances WHERE reserved > on_hand',
          )
          .get() as { n: number }
      ).n,
    );
    db.close();
    bareDb.close();

    return {
      skus: options.skus,
      connections: options.connections,
      spread,
      hot,
      race,
      bare: rates,
      spreadShareOfBare: round(spread.perSec / rates.spreadPerSec, 3),
      hotShareOfBare: round(hot.perSec / rates.hotPerSec, 3),
      oversoldUnits,
      ledgerOk: ledger.ok,
      spreadWindow,
    };
  } finally {
    client.close();
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}
