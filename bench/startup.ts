import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbedded } from './embedded.js';
import { idleMemory, type ProcMemory } from './memory.js';
import { ROOT } from './processes.js';
import { median } from './support.js';

export interface StartupResult {
  /** Spawn to first /healthz 200 of the first start after a build: no code cache yet (bin/run-bundle.mjs). */
  firstMs: number;
  /** Spawn to first /healthz 200 of each later run, which compiles from the cache the first one made. */
  runsMs: number[];
  medianMs: number;
  /** A fresh platform without demo data, `idleSettleMs` after /healthz. */
  idle: ProcMemory;
}

const DIST = join(ROOT, 'apps/server/dist');
const codeCaches = () => readdirSync(DIST).filter((name) => name.endsWith('.v8-cache'));

/**
 * `tillstream start` on a fresh data dir (no demo: a new install's first start), once without the bundle's
 * code cache, as the first start after an install or a rebuild, and then `runs` times in a row with it.
 */
export async function measureStartup(options: {
  runs: number;
  adminKey: string;
  idleSettleMs: number;
}): Promise<StartupResult> {
  for (const name of codeCaches()) rmSync(join(DIST, name), { force: true });
  const first = await startEmbedded({ adminKey: options.adminKey, demo: false });
  try {
    // The first start writes the cache 2 s after it loaded: wait for it, so the runs below start from it.
    const until = Date.now() + 10_000;
    while (codeCaches().length === 0 && Date.now() < until)
      await new Promise((done) => setTimeout(done, 100));
    if (codeCaches().length === 0) throw new Error('the first start wrote no code cache');
  } finally {
    await first.stop();
  }
  const runsMs: number[] = [];
  let idle: ProcMemory = { rssMb: NaN, hwmMb: NaN };
  for (let run = 0; run < options.runs; run += 1) {
    const deployment = await startEmbedded({ adminKey: options.adminKey, demo: false });
    try {
      runsMs.push(deployment.healthzMs);
      // Once is enough, and the last run has warm OS caches like a real restart would.
      if (run === options.runs - 1) idle = await idleMemory(deployment.child.pid, options.idleSettleMs);
    } finally {
      await deployment.stop();
    }
  }
  return { firstMs: first.healthzMs, runsMs, medianMs: median(runsMs), idle };
}
