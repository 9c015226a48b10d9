// Pricing benchmark: quotes/s in process (one core, 5-line carts, 50 live promotions, 3 price lists) and
// `POST /erp/v1/quotes` over HTTP beside bare Fastify measured in the same run.
//   node apps/server/bin/run-ts.mjs bench/pricing.ts [--in-process-only] [--duration 10] [--connections 32]
import { parseArgs } from 'node:util';
import { measureHttp, measureInProcess } from './pricing.measure.js';
import { stopAll } from './processes.js';

const { values } = parseArgs({
  options: {
    'in-process-only': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
  },
});
const durationS = Number(values.duration);
const warmupS = Number(values.warmup);
const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

const inProcess = measureInProcess({ durationS, warmupS });
console.log(
  `in process: ${fixed(inProcess.quotesPerSec)} quotes/s on one core (median round ${fixed(inProcess.medianRoundPerSec)}, ` +
    `best ${fixed(inProcess.bestRoundPerSec)}; ${fixed(inProcess.microsPerQuote, 1)} µs/quote; ` +
    `${fixed(inProcess.appliedPerQuote, 1)} of 50 promotions applied per quote; goal 20,000)`,
);

let http: Awaited<ReturnType<typeof measureHttp>> | null = null;
if (!values['in-process-only']) {
  try {
    const measured = await measureHttp({ connections: Number(values.connections), durationS, warmupS });
    http = measured;
    const line = (name: string, load: typeof measured.quotes) =>
      `${name}: ${fixed(load.okPerSec)} /s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ` +
      `errors ${load.errors}, statuses ${JSON.stringify(load.byStatus)}`;
    console.log(line('POST /erp/v1/quotes (embedded)', measured.quotes));
    console.log(line('bare Fastify ceiling', measured.ceiling));
    console.log(`quotes over HTTP reach ${fixed(measured.shareOfCeiling * 100, 1)} % of the ceiling`);
  } finally {
    await stopAll();
  }
}
console.log(JSON.stringify({ inProcess, http }));
