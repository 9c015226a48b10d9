#!/usr/bin/env node
// `npm test`: every suite on the embedded engine, and on the scale-out engine when its servers are configured.
import { spawnSync } from 'node:child_process';

const pg = process.env.TILLSTREAM_TEST_PG_URL;
const nats = process.env.TILLSTREAM_TEST_NATS_URL;
if (pg && nats) {
  console.log(`scale-out suites: ON (PostgreSQL ${pg.replace(/\/\/[^@]*@/, '//')}, NATS ${nats})`);
} else {
  console.log(
    'scale-out suites: SKIPPED — set TILLSTREAM_TEST_PG_URL and TILLSTREAM_TEST_NATS_URL to run them ' +
      '(bash .ci/run does, against the servers scripts/services.sh starts)',
  );
}
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (!(pg && nats)) console.log('\nnote: scale-out suites were SKIPPED (see the first line).');
process.exit(result.status ?? 1);
