import { measureIngest, type IngestResult } from './ingest.js';
import { idleMemory, type ProcMemory } from './memory.js';
import { createWatchPool, measurePropagation, type PropagationResult } from './propagation.js';
import { readCatalog, round, type Deployment } from './support.js';

export interface Settings {
  quick: boolean;
  connections: number;
  loadS: number;
  warmupS: number;
  ratePerSec: number;
  propagationS: number;
  sampleEvery: number;
  pollGapMs: number;
  startupRuns: number;
  idleSettleMs: number;
}

export interface EngineResult {
  engine: Deployment['engine'];
  /** Each process's resident set with the demo chain loaded, before any load. */
  idle: Record<string, ProcMemory>;
  ingest?: IngestResult;
  watchSetupMs?: number;
  propagation?: PropagationResult;
  /**
   * When the platform cannot sustain the target rate, the 1,000/s figure is mostly queueing: this second run at
   * half the rate at which sales were fully applied during ingest shows the propagation delay itself.
   */
  propagationBelowCapacity?: PropagationResult;
  errors: string[];
  /** The platform's last error log lines when something failed, for the cause. */
  platformErrors?: string[];
}

/** Ingest, then propagation, on one running deployment; a failing phase is recorded and the rest still run. */
export async function runEngineSuite(deployment: Deployment, settings: Settings): Promise<EngineResult> {
  const result: EngineResult = { engine: deployment.engine, idle: {}, errors: [] };
  const label = `[${deployment.engine}]`;
  for (const service of deployment.services) {
    result.idle[service.name] = await idleMemory(
      service.pid,
      service === deployment.services[0] ? settings.idleSettleMs : 0,
    );
  }
  const catalog = (await readCatalog(deployment.urls.commerce, deployment.adminKey)).filter(
    (item) => !item.sku.startsWith('BENCH-'),
  );
  console.log(
    `${label} ${catalog.length} SKUs in the catalog; ingest at ${settings.connections} connections for ${settings.loadS} s`,
  );

  try {
    result.ingest = await measureIngest(deployment, catalog, {
      connections: settings.connections,
      durationS: settings.loadS,
      warmupS: settings.warmupS,
    });
    const ingest = result.ingest;
    console.log(
      `${label} ingest: ${round(ingest.load.okPerSec)} sales/s, p99 ${ingest.load.latency.p99} ms; ` +
        `201s ${ingest.created}, client timeouts ${ingest.load.timeouts}, stored ${ingest.stored}, drained in ${round(ingest.drain.ms / 1000)} s ` +
        `(${round(ingest.appliedPerSec)} sales/s fully applied)`,
    );
    const problems = [
      ingest.firstFailure &&
        `${ingest.load.okCount === 0 ? 'NO SALE SUCCEEDED' : 'some sales failed'}: ` +
          `${JSON.stringify(ingest.load.byStatus)}, first: ${ingest.firstFailure}`,
      ingest.missing && `${ingest.missing} sales answered 201 are NOT STORED (lost)`,
      ingest.duplicates && `${ingest.duplicates} sales are stored MORE THAN ONCE`,
      // Only a request still in flight when the run stopped, or one the client gave up on (10 s timeout), may be
      // stored without its 201 having been seen.
      ingest.storedWithoutAnswer > settings.connections + ingest.load.timeouts &&
        `${ingest.storedWithoutAnswer} sales stored without a 201, more than the ${settings.connections} in flight ` +
          `and ${ingest.load.timeouts} timed out`,
      !ingest.drain.drained && `the pipeline did not drain: ${JSON.stringify(ingest.drain.state)}`,
      ingest.drain.state.deadLetters && `${ingest.drain.state.deadLetters} events dead-lettered`,
    ].filter((problem): problem is string => Boolean(problem));
    for (const problem of problems) {
      console.error(`${label} !!! SALE CHECK FAILED: ${problem}`);
      result.errors.push(`ingest: ${problem}`);
    }
  } catch (error) {
    result.errors.push(`ingest: ${String(error)}`);
    console.error(`${label} ingest failed: ${String(error)}`);
  }

  try {
    const watchCount = Math.min(
      1_000,
      Math.ceil((settings.ratePerSec * settings.propagationS) / settings.sampleEvery),
    );
    const started = performance.now();
    const pool = await createWatchPool(deployment, watchCount);
    result.watchSetupMs = performance.now() - started;
    console.log(
      `${label} ${watchCount} watch SKUs ready in ${round(result.watchSetupMs / 1000)} s; ` +
        `${settings.ratePerSec} sales/s for ${settings.propagationS} s`,
    );
    const paced = (ratePerSec: number) =>
      measurePropagation(deployment, catalog, pool, {
        ratePerSec,
        durationS: settings.propagationS,
        sampleEvery: settings.sampleEvery,
        pollGapMs: settings.pollGapMs,
      });
    result.propagation = await paced(settings.ratePerSec);
    logPropagation(label, result.propagation);
    if (Object.keys(result.propagation.failures).length > 0) {
      const problem = `paced sales failed: ${JSON.stringify(result.propagation.failures)}`;
      console.error(`${label} !!! ${problem}`);
      result.errors.push(`propagation: ${problem}`);
    }
    const capacity = result.ingest?.load.okCount
      ? Math.min(result.ingest.load.okPerSec, result.ingest.appliedPerSec)
      : 0;
    if (result.propagation.achievedPerSec < 0.98 * settings.ratePerSec && capacity > 0) {
      const rate = Math.max(10, Math.min(settings.ratePerSec, Math.round(capacity / 2)));
      console.log(`${label} ${settings.ratePerSec} sales/s is past capacity; again at ${rate} sales/s`);
      result.propagationBelowCapacity = await paced(rate);
      logPropagation(label, result.propagationBelowCapacity);
    }
  } catch (error) {
    result.errors.push(`propagation: ${String(error)}`);
    console.error(`${label} propagation failed: ${String(error)}`);
  }
  if (result.errors.length > 0) {
    result.platformErrors = deployment
      .errorLines()
      .slice(-3)
      .map((line) => line.slice(0, 1_000));
    for (const line of result.platformErrors) console.error(`${label} platform error log: ${line}`);
  }
  return result;
}

function logPropagation(label: string, propagation: PropagationResult) {
  console.log(
    `${label} propagation: p50 ${round(propagation.propagationMs.p50)} ms, p99 ${round(propagation.propagationMs.p99)} ms ` +
      `over ${propagation.samples} samples at ${round(propagation.achievedPerSec)} of ${propagation.targetPerSec} sales/s`,
  );
}
