// Only the ingest phase of `npm run bench`, on either engine, for A/B runs of one change (about 30 s each):
//   node apps/server/bin/run-ts.mjs bench/ingest-only.ts [--engine embedded|scale-out] [--seconds N] [--cpu-prof]
// `--cpu-prof` (embedded) profiles the platform into bench/results/cpu-profile/ingest and prints its self time
// during the measured load only (set-up and the demo's seeding left out).
// Prints the ingest and fully-applied rates and, each second, the CPU ticks (user/system) of the platform's
// first process and of this one (the load generator). Scale-out needs TILLSTREAM_BENCH_PG_URL and
// TILLSTREAM_BENCH_NATS_URL, as `npm run bench` does.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded } from './embedded.js';
import { measureIngest } from './ingest.js';
import { ROOT, stopAll } from './processes.js';
import { monotonicUs, printProfile, summarizeProfile, type ProfileWindow } from './profile.js';
import { startScaleOut } from './scale-out.js';
import { readCatalog } from './support.js';

const { values: flags } = parseArgs({
  options: {
    engine: { type: 'string', default: 'embedded' },
    seconds: { type: 'string', default: '10' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const profileDir = resolve(ROOT, 'bench/results/cpu-profile/ingest');
if (flags['cpu-prof']) await rm(profileDir, { recursive: true, force: true });
const adminKey = `bench-${randomBytes(16).toString('hex')}`;
const pgUrl = process.env.TILLSTREAM_BENCH_PG_URL ?? '';
const natsUrl = process.env.TILLSTREAM_BENCH_NATS_URL ?? '';
if (flags.engine === 'scale-out' && !(pgUrl && natsUrl)) {
  console.error('--engine scale-out needs TILLSTREAM_BENCH_PG_URL and TILLSTREAM_BENCH_NATS_URL');
  process.exit(2);
}

/** utime and stime of a process, in clock ticks. */
const cpuTicks = (pid: number | 'self') => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
};

const deployment =
  flags.engine === 'scale-out'
    ? await startScaleOut({ pgUrl, natsUrl, adminKey })
    : await startEmbedded({ adminKey, demo: true, ...(flags['cpu-prof'] ? { cpuProfDir: profileDir } : {}) });
let loadWindow: ProfileWindow | undefined;
try {
  const catalog = (await readCatalog(deployment.urls.commerce, adminKey)).filter(
    (item) => !item.sku.startsWith('BENCH-'),
  );
  const pid = deployment.services[0]!.pid;
  let last = { platform: cpuTicks(pid), generator: cpuTicks('self') };
  const perSecond = setInterval(() => {
    const now = { platform: cpuTicks(pid), generator: cpuTicks('self') };
    console.log(
      `cpu ticks: ${deployment.services[0]!.name} user ${now.platform.user - last.platform.user} ` +
        `system ${now.platform.system - last.platform.system}; load generator user ` +
        `${now.generator.user - last.generator.user} system ${now.generator.system - last.generator.system}`,
    );
    last = now;
  }, 1000);
  const loadFrom = monotonicUs();
  const result = await measureIngest(deployment, catalog, {
    connections: 50,
    durationS: Number(flags.seconds),
    warmupS: 2,
  });
  clearInterval(perSecond);
  loadWindow = { fromUs: loadFrom, toUs: monotonicUs() };
  console.log(
    `${flags.engine} ingest: ${result.load.okPerSec.toFixed(0)} sales/s (p99 ${result.load.latency.p99} ms), ` +
      `${result.appliedPerSec.toFixed(0)}/s fully applied; 201s ${result.created}, stored ${result.stored}, ` +
      `lost ${result.missing}, doubled ${result.duplicates}`,
  );
} finally {
  await deployment.stop();
  await stopAll();
}
if (flags['cpu-prof'] && flags.engine === 'embedded') {
  const summary = await summarizeProfile(profileDir, 30, loadWindow);
  if (summary) printProfile('the platform during the ingest load', summary);
}
