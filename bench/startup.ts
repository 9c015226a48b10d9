import { startEmbedded } from './embedded.js';
import { idleMemory, type ProcMemory } from './memory.js';
import { median } from './support.js';

export interface StartupResult {
  /** Spawn to first /healthz 200 of each run, ms. */
  runsMs: number[];
  medianMs: number;
  /** A fresh platform without demo data, `idleSettleMs` after /healthz. */
  idle: ProcMemory;
}

/** `tillstream start` on a fresh data dir, `runs` times in a row (no demo: a new install's first start). */
export async function measureStartup(options: {
  runs: number;
  adminKey: string;
  idleSettleMs: number;
}): Promise<StartupResult> {
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
  return { runsMs, medianMs: median(runsMs), idle };
}
