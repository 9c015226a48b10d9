// Reservation benchmark: POST /erp/v1/reservations over HTTP on the embedded engine, spread over 10,000 SKUs
// and on one hot SKU, beside the bare database's own conditional-update rate for the same rows (better-sqlite3
// on a copy of ERP's file), measured in the same run; plus a race that must hold exactly the stock.
//   node apps/server/bin/run-ts.mjs bench/reservations.ts [--skus 10000] [--spread 20000] [--hot 10000] [--connections 32]
//     [--cpu-prof DIR]   (profiles the platform process; the summary covers the spread phase only)
import { parseArgs } from 'node:util';
import { measureReservations } from './reservations.measure.js';
import { stopAll } from './processes.js';
import { printProfile, summarizeProfile } from './profile.js';

const { values } = parseArgs({
  options: {
    skus: { type: 'string', default: '10000' },
    spread: { type: 'string', default: '20000' },
    hot: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '32' },
    'cpu-prof': { type: 'string' },
  },
});
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

try {
  const result = await measureReservations({
    skus: Number(values.skus),
    spreadRequests: Number(values.spread),
    hotRequests: Number(values.hot),
    connections: Number(values.connections),
    log: (line) => console.error(`… ${line}`),
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  });
  const phase = (name: string, p: typeof result.spread, bare: number, share: number) =>
    `${name}: ${fixed(p.perSec)} reservations/s over HTTP (p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms, ` +
    `${p.held} held, ${p.refused} refused, ${p.errors} errors) | bare UPDATE ${fixed(bare)}/s | ` +
    `${fixed(share * 100, 1)} % of bare`;
  console.log(
    phase(
      `spread over ${fixed(result.skus)} SKUs`,
      result.spread,
      result.bare.spreadPerSec,
      result.spreadShareOfBare,
    ),
  );
  console.log(phase('one hot SKU', result.hot, result.bare.hotPerSec, result.hotShareOfBare));
  console.log(
    `bare UPDATEs in one transaction (no commit each, for scale): ${fixed(result.bare.batchedPerSec)}/s`,
  );
  console.log(
    `race: ${result.race.requests} at once against ${result.race.stock} units → ${result.race.held} held, ` +
      `${result.race.refused} refused`,
  );
  console.log(`oversold units: ${result.oversoldUnits}; ledger check: ${result.ledgerOk ? 'ok' : 'FAILED'}`);
  console.log(
    `goal: HTTP spread ≥ 50 % of the bare rate: ${result.spreadShareOfBare >= 0.5 ? 'met' : 'missed'}`,
  );
  console.log(JSON.stringify(result));
  if (values['cpu-prof']) {
    const summary = await summarizeProfile(values['cpu-prof'], 25, result.spreadWindow);
    if (summary) printProfile('the platform, spread phase', summary);
  }
  if (result.oversoldUnits !== 0 || !result.ledgerOk || result.race.held !== result.race.stock)
    process.exitCode = 1;
} finally {
  await stopAll();
}
