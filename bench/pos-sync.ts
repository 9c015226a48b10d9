// POS sync throughput (benchmark issue 6): queued sales from many terminals pushed through POST /pos/v1/sync in
// batches on the embedded engine; sales/s accepted, batch latency, the time until ERP has applied every one,
// and an exactly-once check of ERP's on-hand against the quantities sold.
//   node apps/server/bin/run-ts.mjs bench/pos-sync.ts [--quick] [--sales 100000] [--terminals 50] [--batch 200]
//     [--cpu-prof]   (profiles the platform process into bench/results/cpu-profile/pos-sync, summarised at the end)
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { startEmbedded, type EmbeddedDeployment } from './embedded.js';
import { httpClient } from './http-client.js';
import { monotonicUs, printProfile, summarizeProfile, type ProfileWindow } from './profile.js';
import { ROOT, killAllNow, stopAll } from './processes.js';
import {
  apiOk,
  percentile,
  randomLines,
  readCatalog,
  round,
  topUpStock,
  waitDrained,
  type CatalogItem,
  type SaleLine,
} from './support.js';

const GOAL_ACCEPTED_PER_SEC = 20_000;
const STORES = ['store-amsterdam', 'store-utrecht'] as const;
/**
 * Received on top of the demo stock before the run, so the check compares plain on-hand drops: the demo holds
 * only 3–20 units a SKU at a store, and 100,000 sales would otherwise raise a stock exception on nearly every
 * line, which is a different (and slower) path than the one this bench is about.
 */
const TOP_UP = 1_000_000;
const CONSUMER = 'erp.pos-sales';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sales: { type: 'string' },
    terminals: { type: 'string', default: '50' },
    batch: { type: 'string', default: '200' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const salesCount = Number(values.sales ?? (values.quick ? 10_000 : 100_000));
const terminalCount = Number(values.terminals);
const batchSize = Number(values.batch);
if (![salesCount, terminalCount, batchSize].every((n) => Number.isInteger(n) && n > 0) || batchSize > 200) {
  throw new Error(
    '--sales, --terminals and --batch must be positive integers, --batch at most 200 (the API limit)',
  );
}

const log = (line: string) => console.error(`… ${line}`);
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

interface Terminal {
  terminalId: string;
  storeId: string;
  apiKey: string;
  /** Request bodies, serialised before the clock starts so the push measures the server, not JSON.stringify. */
  batches: string[];
  saleIds: string[];
}

interface SyncAnswer {
  results: Array<{
    id: string;
    status: 'accepted' | 'duplicate' | 'rejected';
    code?: string;
    detail?: string;
  }>;
}

async function registerTerminals(deployment: EmbeddedDeployment): Promise<Terminal[]> {
  const terminals: Terminal[] = [];
  for (let n = 0; n < terminalCount; n++) {
    // Alternate the stores so both demo stores' stock is exercised and checked.
    const storeId = STORES[n % STORES.length]!;
    const terminalId = `bench-sync-${String(n + 1).padStart(3, '0')}`;
    const body = (await apiOk(deployment.urls.pos, deployment.adminKey, 'POST', '/pos/v1/terminals', {
      terminalId,
      storeId,
      name: terminalId,
    })) as { apiKey: { secret: string } };
    terminals.push({ terminalId, storeId, apiKey: body.apiKey.secret, batches: [], saleIds: [] });
  }
  return terminals;
}

/** Every store's on-hand per SKU, as ERP reports it. */
async function onHand(deployment: EmbeddedDeployment, skus: readonly string[]): Promise<Map<string, number>> {
  const balances = new Map<string, number>();
  for (const sku of skus) {
    const view = (await apiOk(
      deployment.urls.erp,
      deployment.adminKey,
      'GET',
      `/erp/v1/inventory/${sku}`,
    )) as {
      locations: Array<{ locationId: string; onHand: number }>;
    };
    for (const location of view.locations) balances.set(`${location.locationId}|${sku}`, location.onHand);
  }
  return balances;
}

/** The ERP sales consumer's lag and POS's outbox backlog from /metrics; both 0 means ERP has applied them all. */
async function erpBehind(deployment: EmbeddedDeployment): Promise<{ lag: number; backlog: number }> {
  const text = await (await fetch(`${deployment.urls.erp}/metrics`)).text();
  // An absent gauge must not read as "caught up": a renamed consumer would otherwise pass in 0 ms.
  let lag = text.includes(`consumer="${CONSUMER}"`) ? 0 : Number.POSITIVE_INFINITY;
  let backlog = 0;
  for (const line of text.split('\n')) {
    const lagMatch = /^tillstream_consumer_lag\{([^}]*)\} (\S+)$/.exec(line);
    if (lagMatch && lagMatch[1]!.includes(`consumer="${CONSUMER}"`)) lag += Number(lagMatch[2]);
    const backlogMatch = /^tillstream_outbox_backlog\{([^}]*)\} (\S+)$/.exec(line);
    if (backlogMatch && backlogMatch[1]!.includes('"pos"')) backlog += Number(backlogMatch[2]);
  }
  return { lag, backlog };
}

/** Pre-generates every sale, dealt round-robin to the terminals, and tallies the quantity sold per store and SKU. */
function generate(terminals: Terminal[], catalog: readonly CatalogItem[]): Map<string, number> {
  const sold = new Map<string, number>();
  const queues: Array<Array<Record<string, unknown>>> = terminals.map(() => []);
  const start = Date.now() - 3_600_000;
  for (let n = 0; n < salesCount; n++) {
    const index = n % terminals.length;
    const terminal = terminals[index]!;
    const lines: SaleLine[] = randomLines(catalog);
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    for (const line of lines) {
      const key = `${terminal.storeId}|${line.sku}`;
      sold.set(key, (sold.get(key) ?? 0) + line.quantity);
    }
    const id = uuidv7();
    terminal.saleIds.push(id);
    queues[index]!.push({
      type: 'sale',
      id,
      storeId: terminal.storeId,
      terminalId: terminal.terminalId,
      // Rung up over the last hour while the tills were offline, oldest first, as a queue would hold them.
      occurredAt: new Date(start + Math.floor((n / salesCount) * 3_500_000)).toISOString(),
      currency: 'EUR',
      lines,
      payments: [{ method: 'card', amount: total }],
    });
  }
  for (const [index, terminal] of terminals.entries()) {
    const queue = queues[index]!;
    for (let at = 0; at < queue.length; at += batchSize) {
      terminal.batches.push(
        JSON.stringify({ terminalId: terminal.terminalId, transactions: queue.slice(at, at + batchSize) }),
      );
    }
  }
  return sold;
}

interface PushOutcome {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Whole batches answered with something other than 200 and sent again. */
  batchRetries: number;
  batchMs: number[];
  firstRejection: string | null;
  wallMs: number;
}

/** Every terminal pushes its own queue, one batch in flight each, on a keep-alive connection of its own. */
async function push(deployment: EmbeddedDeployment, terminals: Terminal[]): Promise<PushOutcome> {
  const outcome: PushOutcome = {
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    batchRetries: 0,
    batchMs: [],
    firstRejection: null,
    wallMs: 0,
  };
  const started = performance.now();
  await Promise.all(
    terminals.map(async (terminal) => {
      const client = httpClient(deployment.urls.pos, 1);
      const headers = { authorization: `Bearer ${terminal.apiKey}`, 'content-type': 'application/json' };
      try {
        for (const batch of terminal.batches) {
          for (let attempt = 1; ; attempt++) {
            const sent = performance.now();
            const answer = await client.send('POST', '/pos/v1/sync', headers, batch);
            outcome.batchMs.push(performance.now() - sent);
            if (answer.status === 200) {
              for (const result of (JSON.parse(answer.body) as SyncAnswer).results) {
                outcome[result.status] += 1;
                if (result.status === 'rejected')
                  outcome.firstRejection ??= `${result.id}: ${result.code} ${result.detail ?? ''}`;
              }
              break;
            }
            // A till resends a batch the server did not answer for; duplicates then show it was not lost.
            if (attempt >= 5)
              throw new Error(`${terminal.terminalId}: sync ${answer.status} ${answer.body.slice(0, 300)}`);
            outcome.batchRetries += 1;
            await sleep(100 * attempt);
          }
        }
      } finally {
        client.close();
      }
    }),
  );
  outcome.wallMs = performance.now() - started;
  return outcome;
}

/** Polls /metrics until ERP's sales consumer has caught up; resolves with the milliseconds waited. */
async function waitErpApplied(deployment: EmbeddedDeployment, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    const behind = await erpBehind(deployment);
    const ms = performance.now() - started;
    if (behind.lag === 0 && behind.backlog === 0) return { applied: true, ms, ...behind };
    if (ms > timeoutMs) return { applied: false, ms, ...behind };
    await sleep(20);
  }
}

let deployment: EmbeddedDeployment | null = null;
/** The push phase on the monotonic clock the profiler uses, so the profile can leave set-up and the drain out. */
let pushWindow: ProfileWindow | undefined;
const profileDir = resolve(ROOT, 'bench/results/cpu-profile/pos-sync');
process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
process.on('exit', killAllNow);
try {
  log(`starting the embedded platform with --demo`);
  deployment = await startEmbedded({
    adminKey: `bench-admin-${uuidv7()}`,
    demo: true,
    ...(values['cpu-prof'] ? { cpuProfDir: profileDir } : {}),
  });
  const catalog = await readCatalog(deployment.urls.commerce, deployment.adminKey);
  const skus = catalog.map((item) => item.sku);
  log(`${catalog.length} demo SKUs; topping up ${STORES.join(', ')} by ${fixed(TOP_UP)} units each`);
  for (const storeId of STORES) await topUpStock(deployment, skus, storeId, TOP_UP);
  const terminals = await registerTerminals(deployment);
  log(`${terminals.length} terminals registered; generating ${fixed(salesCount)} sales`);
  const sold = generate(terminals, catalog);
  // Everything set up so far must be applied before the baseline is read and the clock starts.
  const settled = await waitDrained(deployment, 60_000);
  if (!settled.drained) throw new Error(`setup did not drain: ${JSON.stringify(settled.state)}`);
  const before = await onHand(deployment, skus);

  log(
    `pushing: ${terminals.length} terminals × ${fixed(terminals[0]!.batches.length)} batches of ≤ ${batchSize}`,
  );
  const pushFrom = monotonicUs();
  const outcome = await push(deployment, terminals);
  pushWindow = { fromUs: pushFrom, toUs: monotonicUs() };
  log(`pushed in ${fixed(outcome.wallMs / 1000, 2)} s; waiting for ERP`);
  const erp = await waitErpApplied(deployment, 600_000);
  const after = await onHand(deployment, skus);

  // Exactly once: per store and SKU, ERP's on-hand dropped by exactly the quantity the sales carried.
  const mismatches: Array<{ key: string; sold: number; drop: number }> = [];
  let unitsSold = 0;
  for (const storeId of STORES) {
    for (const sku of skus) {
      const key = `${storeId}|${sku}`;
      const quantity = sold.get(key) ?? 0;
      const drop = (before.get(key) ?? 0) - (after.get(key) ?? 0);
      unitsSold += quantity;
      if (drop !== quantity) mismatches.push({ key, sold: quantity, drop });
    }
  }

  const acceptedPerSec = outcome.accepted / (outcome.wallMs / 1000);
  const result = {
    at: new Date().toISOString(),
    engine: 'embedded',
    quick: values.quick,
    sales: salesCount,
    terminals: terminalCount,
    batchSize,
    batches: outcome.batchMs.length,
    push: {
      wallS: round(outcome.wallMs / 1000, 3),
      acceptedPerSec: round(acceptedPerSec, 0),
      batchLatencyMs: {
        p50: round(percentile(outcome.batchMs, 50)),
        p99: round(percentile(outcome.batchMs, 99)),
        max: round(Math.max(...outcome.batchMs)),
      },
      accepted: outcome.accepted,
      duplicate: outcome.duplicate,
      rejected: outcome.rejected,
      batchRetries: outcome.batchRetries,
      firstRejection: outcome.firstRejection,
    },
    erp: {
      applied: erp.applied,
      /** From the end of the push until the ERP sales consumer's lag (and POS's outbox backlog) read 0. */
      msAfterPush: round(erp.ms, 0),
      /** Sales fully applied in ERP per second of push plus catch-up. */
      appliedPerSec: round(outcome.accepted / ((outcome.wallMs + erp.ms) / 1000), 0),
      lastLag: erp.lag,
      lastBacklog: erp.backlog,
    },
    exactlyOnce: { ok: mismatches.length === 0, unitsSold, mismatches: mismatches.slice(0, 20) },
    goal: { acceptedPerSec: GOAL_ACCEPTED_PER_SEC, met: acceptedPerSec >= GOAL_ACCEPTED_PER_SEC },
    platformErrors: deployment.errorLines().slice(-5),
  };
  const file = resolve(ROOT, 'bench/results/pos-sync.json');
  await mkdir(resolve(ROOT, 'bench/results'), { recursive: true });
  await writeFile(file, JSON.stringify(result, null, 2) + '\n');

  const allAccepted = outcome.accepted === salesCount && outcome.rejected === 0;
  const rows: Array<[string, string, string]> = [
    [
      'sales/s accepted',
      fixed(acceptedPerSec),
      `≥ ${fixed(GOAL_ACCEPTED_PER_SEC)} ${result.goal.met ? 'ok' : 'MISS'}`,
    ],
    [
      'batch latency p50 / p99',
      `${result.push.batchLatencyMs.p50} / ${result.push.batchLatencyMs.p99} ms`,
      '',
    ],
    [
      'accepted / duplicate / rejected',
      `${fixed(outcome.accepted)} / ${fixed(outcome.duplicate)} / ${fixed(outcome.rejected)}`,
      `${fixed(salesCount)} / 0 / 0 ${allAccepted ? 'ok' : 'MISS'}`,
    ],
    ['push wall time', `${fixed(outcome.wallMs / 1000, 2)} s`, ''],
    ['ERP applied all, after push', erp.applied ? `${fixed(erp.ms / 1000, 2)} s` : 'NOT within 600 s', ''],
    ['sales fully applied in ERP', `${fixed(result.erp.appliedPerSec)} /s`, ''],
    [
      'exactly once (on-hand drop = sold)',
      `${fixed(unitsSold)} units, ${mismatches.length} SKU×store mismatches`,
      mismatches.length === 0 ? 'ok' : 'MISS',
    ],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  const valueWidth = Math.max(...rows.map((row) => row[1].length));
  console.log(
    `POS sync, embedded: ${fixed(salesCount)} sales, ${terminalCount} terminals, batches of ${batchSize}`,
  );
  for (const [name, value, goal] of rows)
    console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${goal}`);
  console.log(`written to ${file}`);
  if (!allAccepted || mismatches.length > 0 || !erp.applied) process.exitCode = 1;
} finally {
  await stopAll();
}
if (values['cpu-prof']) {
  const summary = await summarizeProfile(profileDir, 25, pushWindow);
  if (summary) printProfile('the platform while the terminals push', summary);
}
