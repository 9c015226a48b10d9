// GET /analytics/v1/sales's query on a seeded month: the report store read as the route reads it, on SQLite
// and (when TILLSTREAM_BENCH_PG_URL is set) PostgreSQL. Seeded through the consumer, so that every table the
// consumer keeps is as full as events make it: a sale per store and quarter hour with a 21 % and a 9 % line
// added on top, and ERP's booking of it.
//   node apps/server/bin/run-ts.mjs bench/analytics-report.ts [--stores 20] [--days 31] [--runs 15]
import { applyEvents, kernelMigrations, runMigrations } from '@tillstream/kernel';
import { foreignEvent, openEmptyDatabase, type HarnessDialect } from '@tillstream/kernel/testing';
import { analyticsMigrations } from '../packages/analytics/src/analytics.migrations.js';
import { createReportStore } from '../packages/analytics/src/sales/report.store.js';
import { reportBuckets } from '../packages/analytics/src/sales/report-period.decide.js';
import { salesConsumer } from '../packages/analytics/src/sales/sales.consumer.js';
import { createSalesStore } from '../packages/analytics/src/sales/sales.store.js';
import { timeZoneNamed, UTC } from '../packages/analytics/src/sales/time-zone.decide.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const STORES = arg('stores', 20);
const DAYS = arg('days', 31);
const RUNS = arg('runs', 15);
const START_MS = Date.parse('2026-03-01T00:00:00Z');

function eventsOf(store: string, atMs: number, n: number) {
  const occurredAt = new Date(atMs).toISOString();
  const saleId = `sale-${store}-${n}`;
  const lines = [
    {
      lineNo: 1,
      sku: 'TEE',
      quantity: 1,
      unitPrice: 1000,
      lineTotal: 1000,
      tax: { ratePpm: 210_000, amount: 210 },
    },
    {
      lineNo: 2,
      sku: 'BREAD',
      quantity: 2,
      unitPrice: 250,
      lineTotal: 500,
      tax: { ratePpm: 90_000, amount: 45 },
    },
  ];
  const sale = foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
    saleId,
    storeId: store,
    terminalId: 't1',
    occurredAt,
    currency: 'EUR',
    lines,
    payments: [{ method: 'card', amount: 1755 }],
    tax: 255,
    total: 1755,
  });
  const booked = foreignEvent('erp', 'erp.sales_tax.booked', `sales-tax/sale/${saleId}`, 1, {
    kind: 'sale',
    documentId: saleId,
    storeId: store,
    occurredAt,
    currency: 'EUR',
    included: 0,
    added: 255,
    total: 255,
    rates: [
      { ratePpm: 90_000, charged: 'added', net: 500, tax: 45 },
      { ratePpm: 210_000, charged: 'added', net: 1000, tax: 210 },
    ],
  });
  return { sale, booked };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(dialect: HarnessDialect, pgUrl: string | undefined) {
  const database = await openEmptyDatabase(dialect, 'analytics', pgUrl);
  const { db } = database;
  try {
    await runMigrations(db, kernelMigrations);
    await runMigrations(db, analyticsMigrations);
    const consumer = salesConsumer({ db, store: createSalesStore() });
    let position = 0;
    for (let day = 0; day < DAYS; day += 1) {
      const pos = [];
      const erp = [];
      for (let quarter = 0; quarter < 96; quarter += 1)
        for (let store = 0; store < STORES; store += 1) {
          const { sale, booked } = eventsOf(`S${store}`, START_MS + (day * 96 + quarter) * 900_000, position);
          position += 1;
          pos.push({ event: sale, position });
          erp.push({ event: booked, position });
        }
      await applyEvents(consumer, 'pos', pos, new Date().toISOString());
      await applyEvents(consumer, 'erp', erp, new Date().toISOString());
    }
    const reports = createReportStore(db);
    const lastDay = new Date(START_MS + DAYS * 86_400_000).toISOString().slice(0, 10);
    // `timeZone=store`: the stores spread over UTC and three other zones, a quarter in each.
    const zones = [UTC, ...['America/New_York', 'Europe/Amsterdam', 'Asia/Kolkata'].map(timeZoneNamed)];
    const groupOf = new Map(
      Array.from({ length: STORES }, (_, store) => [`S${store}`, store % zones.length] as const).filter(
        ([, group]) => group !== 0,
      ),
    );
    const cases = {
      [`${DAYS} days by the day, all stores`]: reportBuckets('2026-03-01', lastDay, 'day', UTC),
      [`${DAYS} days by the day, all stores, each in its own of 4 zones`]: zones.flatMap((zone, group) =>
        reportBuckets('2026-03-01', lastDay, 'day', zone).map((bucket) => ({ ...bucket, group })),
      ),
      '1 day by the hour, all stores': reportBuckets('2026-03-02', '2026-03-03', 'hour', UTC),
      '30 days by the hour, one store': reportBuckets('2026-03-01', '2026-03-31', 'hour', UTC),
    };
    const results: Record<string, string> = {};
    for (const [name, buckets] of Object.entries(cases)) {
      const one = name.includes('one store');
      const times: number[] = [];
      let rows = 0;
      for (let run = 0; run < RUNS + 2; run += 1) {
        const started = performance.now();
        const page = await reports.sales({
          buckets,
          after: null,
          limit: 1001,
          ...(one ? { locationId: 'S3' } : {}),
          ...(name.includes('own of') ? { groupOf } : {}),
        });
        if (run >= 2) times.push(performance.now() - started);
        rows = page.length;
      }
      results[name] = `${median(times).toFixed(1)} ms median of ${RUNS} (${rows} rows)`;
    }
    console.log(dialect, `${STORES} stores × ${DAYS} days, ${position} sales`, results);
  } finally {
    await database.drop();
  }
}

await measure('sqlite', undefined);
if (process.env.TILLSTREAM_BENCH_PG_URL) await measure('postgres', process.env.TILLSTREAM_BENCH_PG_URL);
