// Pricing snapshot deltas: what a terminal holding version v pays to catch up after one price change, the delta
// (GET /pos/v1/pricing/snapshot/delta?since=v) beside the whole snapshot (GET /pos/v1/pricing/snapshot with
// If-None-Match: "v"): response bytes and wall time over HTTP, and in this process parse + apply + compile
// against parse + compile. Each round changes one price, waits out POS's 1 s reuse window, has ERP mint the
// version and diff it by reads of its own (timed apart), then reads both through POS in alternating order and
// checks that the delta applied deep-equals the whole snapshot. Then the till's catalog the same way: the
// products changed since its revision (GET /pos/v1/catalog/changes) beside the whole GET /pos/v1/catalog.
//   node apps/server/bin/run-ts.mjs bench/snapshot-delta.ts [--products 20000] [--rounds 5]
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';
import { applySnapshotDelta, compileSnapshot } from '@tillstream/pricing';
import { startEmbedded } from './embedded.js';
import { describeEnvironment, probeEnvironment } from './environment.js';
import { stopAll } from './processes.js';
import { apiOk, inParallel, median, round, waitDrained } from './support.js';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
  },
});
const productCount = Number(values.products);
const rounds = Number(values.rounds);
/** POS reuses what it got from ERP for 1 s (SNAPSHOT_REUSE_MS): wait longer, so every read is fresh. */
const REUSE_WAIT_MS = 1100;
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

const skus = Array.from({ length: productCount }, (_, index) => `SNAP-${String(index + 1).padStart(6, '0')}`);
const product = (index: number, amount: number) => ({
  name: `Snapshot item ${index + 1}`,
  price: { amount, currency: 'EUR' },
});

/** What a terminal holding a version read and made of it: bytes and time to the last byte, then in process. */
interface Read {
  bytes: number;
  httpMs: number;
  clientMs: number;
  snapshot: PricingSnapshot;
}

async function main() {
  const key = `bench-snapshot-delta-${randomBytes(16).toString('hex')}`;
  const environment = await probeEnvironment();
  const platform = await startEmbedded({ adminKey: key, demo: false });
  try {
    const { erp, pos } = platform.urls;
    const put = (index: number, amount: number) =>
      apiOk(erp, key, 'PUT', `/erp/v1/products/${skus[index]}`, product(index, amount));
    /** A GET timed to the last byte of the body; fails unless it answers `expect`. */
    const get = async (url: string, headers: Record<string, string> = {}, expect = 200) => {
      const started = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${key}`, ...headers } });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== expect) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}`);
      return { text, ms };
    };
    /** A terminal's GET through POS, then `use` and compileSnapshot on the body (timed apart). */
    const read = async (
      path: string,
      headers: Record<string, string>,
      use: (text: string) => PricingSnapshot,
    ) => {
      const { text, ms: httpMs } = await get(pos + path, headers);
      const using = performance.now();
      const snapshot = use(text);
      compileSnapshot(snapshot);
      return { bytes: Buffer.byteLength(text), httpMs, clientMs: performance.now() - using, snapshot };
    };
    const parse = (text: string) => JSON.parse(text) as PricingSnapshot;

    const seeding = performance.now();
    await inParallel([...skus.keys()], 8, async (index) => {
      await put(index, 500 + index);
    });
    const drained = await waitDrained(platform, 300_000);
    console.log(
      `seeded ${fixed(productCount)} products in ${fixed((performance.now() - seeding) / 1000, 1)} s` +
        (drained.drained ? '' : ` (consumers NOT drained after 300 s: ${JSON.stringify(drained.state)})`),
    );
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`;
    console.log(`machine: ${machine}; at the start: ${describeEnvironment(environment)}`);
    // The terminal's starting version, compiled as a terminal would (which also warms the compiler up).
    let held = (await read('/pos/v1/pricing/snapshot', {}, parse)).snapshot;
    let catalogRevision = (JSON.parse((await get(`${pos}/pos/v1/catalog`)).text) as { revision: number })
      .revision;
    /** The till's catalog read: the products changed since its revision (once POS applied the change), and the whole. */
    const readCatalog = async (sku: string) => {
      const deadline = performance.now() + 10_000;
      for (;;) {
        const changes = await get(`${pos}/pos/v1/catalog/changes?since=${catalogRevision}`);
        const body = JSON.parse(changes.text) as { products: Array<{ sku: string }>; revision: number };
        if (body.products.some((product) => product.sku === sku)) {
          const whole = await get(`${pos}/pos/v1/catalog`);
          catalogRevision = body.revision;
          const bytes = (text: string) => Buffer.byteLength(text);
          return {
            changes: { bytes: bytes(changes.text), ms: changes.ms },
            whole: { bytes: bytes(whole.text), ms: whole.ms },
          };
        }
        if (performance.now() > deadline) throw new Error(`POS did not list ${sku} as changed within 10 s`);
        await sleep(50);
      }
    };
    console.log(`terminal holds version ${held.version} (${fixed(held.products.length)} products)`);

    type Sized = { bytes: number; ms: number };
    const results: Array<{
      delta: Read;
      whole: Read;
      mintMs: number;
      diffMs: number;
      catalog: { changes: Sized; whole: Sized };
    }> = [];
    for (let turn = 0; turn < rounds; turn += 1) {
      const v = held.version;
      const changedIndex = (turn * 7919) % skus.length;
      await put(changedIndex, 100_000 + turn);
      await sleep(REUSE_WAIT_MS);
      // ERP's own reads first, so both POS reads find the work done: the mint (a whole read naming the version
      // to come, 304 without the body), then the diff from v (computed once, then kept for every holder of v).
      const mintMs = (await get(`${erp}/erp/v1/pricing/snapshot`, { 'if-none-match': `"${v + 1}"` }, 304)).ms;
      const diffMs = (await get(`${erp}/erp/v1/pricing/snapshot/delta?since=${v}`)).ms;

      const base = held;
      const readDelta = () =>
        read(`/pos/v1/pricing/snapshot/delta?since=${v}`, {}, (text) =>
          applySnapshotDelta(base, JSON.parse(text) as PricingSnapshotDelta),
        );
      const readWhole = () => read('/pos/v1/pricing/snapshot', { 'if-none-match': `"${v}"` }, parse);
      const deltaFirst = turn % 2 === 0;
      const delta = deltaFirst ? await readDelta() : null;
      const whole = await readWhole();
      const applied = delta ?? (await readDelta());

      if (whole.snapshot.version <= v || !isDeepStrictEqual(applied.snapshot, whole.snapshot)) {
        throw new Error(
          `round ${turn + 1}: version ${v} + delta (→ ${applied.snapshot.version}) differs from the whole ` +
            `snapshot (version ${whole.snapshot.version})`,
        );
      }
      const catalog = await readCatalog(skus[changedIndex]!);
      results.push({ delta: applied, whole, mintMs, diffMs, catalog });
      console.log(
        `round ${turn + 1} (${deltaFirst ? 'delta' : 'whole'} first), v${v} → v${whole.snapshot.version}: ` +
          `ERP mint ${fixed(mintMs)} ms, diff ${fixed(diffMs)} ms; delta ${fixed(applied.bytes)} B in ` +
          `${fixed(applied.httpMs, 1)} ms + ${fixed(applied.clientMs, 1)} ms; whole ${fixed(whole.bytes)} B in ${fixed(whole.httpMs, 1)} ms + ` +
          `${fixed(whole.clientMs, 1)} ms; applied = whole ✓`,
      );
      held = applied.snapshot;
    }

    const med = (pick: (result: (typeof results)[number]) => number) => round(median(results.map(pick)), 1);
    const figures = {
      productCount,
      rounds,
      wholeBytes: med((r) => r.whole.bytes),
      deltaBytes: med((r) => r.delta.bytes),
      wholeHttpMs: med((r) => r.whole.httpMs),
      deltaHttpMs: med((r) => r.delta.httpMs),
      wholeParseCompileMs: med((r) => r.whole.clientMs),
      deltaParseApplyCompileMs: med((r) => r.delta.clientMs),
      erpMintMs: med((r) => r.mintMs),
      erpDiffMs: med((r) => r.diffMs),
      catalogWholeBytes: med((r) => r.catalog.whole.bytes),
      catalogChangesBytes: med((r) => r.catalog.changes.bytes),
      catalogWholeMs: med((r) => r.catalog.whole.ms),
      catalogChangesMs: med((r) => r.catalog.changes.ms),
    };
    console.log(
      `medians of ${rounds} rounds, each: one price changed, ${REUSE_WAIT_MS} ms waited (POS's reuse window), ` +
        'then ERP minted and diffed by reads of its own (timed apart, below), then both POS reads in alternating ' +
        'order',
    );
    const ratio = (whole: number, delta: number, digits = 0) => `${fixed(whole / delta, digits)}×`;
    const { wholeBytes, deltaBytes, wholeHttpMs, deltaHttpMs } = figures;
    console.log(
      `bytes: whole ${fixed(wholeBytes)} B vs delta ${fixed(deltaBytes)} B (${ratio(wholeBytes, deltaBytes)})`,
    );
    console.log(
      `HTTP: whole ${wholeHttpMs} ms vs delta ${deltaHttpMs} ms (${ratio(wholeHttpMs, deltaHttpMs, 1)})`,
    );
    console.log(
      `client: parse + compile ${figures.wholeParseCompileMs} ms vs parse + apply + compile ` +
        `${figures.deltaParseApplyCompileMs} ms`,
    );
    console.log(
      `ERP, first reads after the change (before the POS reads): mint ${figures.erpMintMs} ms (GET ` +
        `/erp/v1/pricing/snapshot, If-None-Match the next version: 304), diff ${figures.erpDiffMs} ms (GET ` +
        '/erp/v1/pricing/snapshot/delta?since=v)',
    );
    console.log(
      `catalog (GET /pos/v1/catalog/changes?since=r against the whole GET /pos/v1/catalog): ` +
        `${fixed(figures.catalogChangesBytes)} B in ${figures.catalogChangesMs} ms vs ` +
        `${fixed(figures.catalogWholeBytes)} B in ${figures.catalogWholeMs} ms`,
    );
    console.log(JSON.stringify({ ...figures, machine, environment }));
  } finally {
    await platform.stop();
  }
}

try {
  await main();
} finally {
  await stopAll();
}
