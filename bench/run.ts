// Tillstream benchmarks: `npm run bench [-- --quick] [--engine embedded|scale-out|both] [--cpu-prof]`.
// Prints a table and writes bench/results/latest.json. Goals are informational: a miss never fails the run.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { measureCeiling } from './ceiling.js';
import { startEmbedded } from './embedded.js';
import { describeEnvironment, probeEnvironment } from './environment.js';
import type { LoadResult } from './load.js';
import { killAllNow, stopAll } from './processes.js';
import { printProfile, summarizeProfile, type ProfileSummary } from './profile.js';
import { figuresFor, printTable, withVerdicts } from './report.js';
import { startScaleOut } from './scale-out.js';
import { measureStartup, type StartupResult } from './startup.js';
import { runEngineSuite, type EngineResult, type Settings } from './suite.js';
import { round, type Deployment } from './support.js';

const RESULTS_DIR = join(import.meta.dirname, 'results');
const SERVICES = ['erp', 'pos', 'commerce', 'hub', 'analytics'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    engine: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const pgUrl = process.env.TILLSTREAM_BENCH_PG_URL ?? '';
const natsUrl = process.env.TILLSTREAM_BENCH_NATS_URL ?? '';
const scaleOutConfigured = Boolean(pgUrl && natsUrl);

function chooseEngines(): { engines: Array<Deployment['engine']>; reason: string } {
  const asked = flags.engine;
  if (asked === 'embedded') return { engines: ['embedded'], reason: '--engine embedded' };
  if (asked === 'scale-out' || asked === 'both') {
    if (!scaleOutConfigured) {
      console.error(`--engine ${asked} needs TILLSTREAM_BENCH_PG_URL and TILLSTREAM_BENCH_NATS_URL`);
      process.exit(2);
    }
    return {
      engines: asked === 'both' ? ['embedded', 'scale-out'] : ['scale-out'],
      reason: `--engine ${asked}`,
    };
  }
  if (asked !== undefined) {
    console.error(`--engine ${asked}: use embedded, scale-out or both`);
    process.exit(2);
  }
  return scaleOutConfigured
    ? {
        engines: ['embedded', 'scale-out'],
        reason: 'TILLSTREAM_BENCH_PG_URL and TILLSTREAM_BENCH_NATS_URL are set',
      }
    : {
        engines: ['embedded'],
        reason: 'embedded only: set TILLSTREAM_BENCH_PG_URL and TILLSTREAM_BENCH_NATS_URL to add scale-out',
      };
}

const settings: Settings = flags.quick
  ? {
      quick: true,
      connections: 50,
      loadS: 3,
      warmupS: 1,
      ratePerSec: 1000,
      propagationS: 3,
      sampleEvery: 10,
      pollGapMs: 1,
      startupRuns: 3,
      idleSettleMs: 2000,
    }
  : {
      quick: false,
      connections: 50,
      loadS: 10,
      warmupS: 2,
      ratePerSec: 1000,
      propagationS: 10,
      sampleEvery: 10,
      pollGapMs: 1,
      startupRuns: 5,
      idleSettleMs: 2000,
    };

// Whatever happens, no server started here outlives the bench.
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping children`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function main() {
  const { engines, reason } = chooseEngines();
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const started = performance.now();
  const errors: string[] = [];
  console.log(
    `Tillstream bench (${settings.quick ? 'quick' : 'full'}), node ${process.version}, ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model ?? 'unknown'})`,
  );
  const environmentAtStart = await probeEnvironment();
  console.log(`machine at the start: ${describeEnvironment(environmentAtStart)}`);
  console.log(`engines: ${engines.join(', ')} (${reason})`);
  await mkdir(RESULTS_DIR, { recursive: true });

  let startup: StartupResult | undefined;
  try {
    startup = await measureStartup({
      runs: settings.startupRuns,
      adminKey,
      idleSettleMs: settings.idleSettleMs,
    });
    console.log(
      `start-up: first after a build ${round(startup.firstMs, 0)} ms, then median ${round(startup.medianMs, 0)} ms; ` +
        `idle RSS ${round(startup.idle.rssMb)} MB`,
    );
  } catch (error) {
    errors.push(`start-up: ${String(error)}`);
    console.error(`start-up failed: ${String(error)}`);
  }

  let ceiling: LoadResult | undefined;
  try {
    ceiling = await measureCeiling({
      connections: settings.connections,
      durationS: settings.loadS,
      warmupS: settings.warmupS,
    });
    console.log(`ceiling: ${round(ceiling.okPerSec, 0)} req/s, p99 ${ceiling.latency.p99} ms`);
  } catch (error) {
    errors.push(`ceiling: ${String(error)}`);
    console.error(`ceiling failed: ${String(error)}`);
  }

  const engineResults: EngineResult[] = [];
  const profiles: Array<{ process: string; summary: ProfileSummary }> = [];
  for (const engine of engines) {
    const profileDir = join(RESULTS_DIR, 'cpu-profile', engine);
    const profiling = flags['cpu-prof'] ? { cpuProfDir: profileDir } : {};
    if (flags['cpu-prof']) await rm(profileDir, { recursive: true, force: true });
    let deployment: Deployment | undefined;
    try {
      deployment =
        engine === 'embedded'
          ? await startEmbedded({ adminKey, demo: true, ...profiling })
          : await startScaleOut({ pgUrl, natsUrl, adminKey, ...profiling });
      console.log(
        `[${engine}] up: ${deployment.services.map((service) => `${service.name} ${service.url}`).join(', ')}`,
      );
      const result = await runEngineSuite(deployment, settings);
      engineResults.push(result);
      errors.push(...result.errors.map((error) => `${engine} ${error}`));
    } catch (error) {
      errors.push(`${engine}: ${String(error)}`);
      console.error(`[${engine}] failed: ${String(error)}`);
      engineResults.push({ engine, idle: {}, errors: [String(error)] });
    } finally {
      await deployment?.stop();
    }
    if (flags['cpu-prof']) {
      // Profiles are written when each process exits, so only now, after stop.
      const dirs =
        engine === 'embedded'
          ? [['tillstream', profileDir]]
          : SERVICES.map((name) => [name, join(profileDir, name)]);
      for (const [name, dir] of dirs) {
        const summary = await summarizeProfile(dir!).catch(() => null);
        if (summary) profiles.push({ process: `${engine} ${name}`, summary });
      }
    }
  }

  const environmentAtEnd = await probeEnvironment();
  const figures = figuresFor({
    environment: [environmentAtStart, environmentAtEnd],
    engines: engineResults,
    ...(startup ? { startup } : {}),
    ...(ceiling ? { ceiling } : {}),
  });
  console.log('');
  printTable(figures);
  for (const { process: name, summary } of profiles) printProfile(name, summary);
  if (errors.length > 0) {
    console.log('\nerrors:');
    for (const error of errors) console.log(`  - ${error}`);
  }
  const file = join(RESULTS_DIR, 'latest.json');
  const json = JSON.stringify({
    generatedAt: new Date().toISOString(),
    mode: settings.quick ? 'quick' : 'full',
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      totalMemMb: round(totalmem() / 2 ** 20, 0),
    },
    engines,
    engineReason: reason,
    settings,
    figures: withVerdicts(figures),
    details: { startup, ceiling, engines: engineResults },
    profiles,
    errors,
    environment: { atStart: environmentAtStart, atEnd: environmentAtEnd },
    wallClockS: round((performance.now() - started) / 1000),
  });
  // Formatted as the repository's prettier would, so a committed result never fails `npm run lint`.
  await writeFile(file, await format(json, { parser: 'json', ...(await resolveConfig(file)) }));
  console.log(`machine at the end: ${describeEnvironment(environmentAtEnd)}`);
  if (
    Math.max(environmentAtStart.cpuPressurePercent ?? 0, environmentAtEnd.cpuPressurePercent ?? 0) > 20 ||
    Math.max(...environmentAtStart.loadAverage.slice(0, 1), ...environmentAtEnd.loadAverage.slice(0, 1)) >
      cpus().length
  ) {
    console.log('other work was competing for this machine: every figure above is pessimistic');
  }
  console.log(`\nwritten ${file} (${round((performance.now() - started) / 1000)} s)`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
