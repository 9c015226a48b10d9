import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SaleCompletedV1Data } from '@tillstream/contracts';
import { addEffect, emptyBatch, type BatchTotals } from './batch.decide.js';
import type { Granularity } from './buckets.decide.js';
import { reportBuckets, type ReportBucket } from './report-period.decide.js';
import { saleEffect } from './sales.decide.js';
import { timeZoneNamed } from './time-zone.decide.js';

/**
 * Figures are kept per UTC quarter hour and reports add them up into a zone's hours or days. Whatever order
 * and however often the sales arrive, a report's buckets must hold exactly the sales whose own local time,
 * told by `Intl` on its own (not by the code under test), is in them.
 */

const sale = (saleId: string, occurredAtMs: number, amount: number): SaleCompletedV1Data => ({
  saleId,
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: new Date(occurredAtMs).toISOString(),
  currency: 'EUR',
  lines: [{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: amount, lineTotal: amount }],
  payments: [{ method: 'card', amount }],
  total: amount,
});

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local date and hour of an instant and the offset then (`GMT-05:00`), as `Intl` alone tells them. */
function localTime(zone: string, instantMs: number) {
  if (!formats.has(zone))
    formats.set(
      zone,
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        timeZoneName: 'longOffset',
      }),
    );
  const parts = Object.fromEntries(
    formats
      .get(zone)!
      .formatToParts(instantMs)
      .map(({ type, value }) => [type, value]),
  );
  // `GMT`, `GMT+00:00` or `GMT+05:45`: the report writes a zero offset as `Z`.
  const offset = parts.timeZoneName!.slice(3).replace(/^(\+00:00)?$/, 'Z');
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour!, offset };
}

/** The label a sale's own local time gives its bucket: the date, or the date, hour and offset. */
function expectedLabel(zone: string, granularity: Granularity, instantMs: number): string {
  const { date, hour, offset } = localTime(zone, instantMs);
  return granularity === 'day' ? date : `${date}T${hour} ${offset}`;
}

/** The same label read off a report bucket's start (`2026-11-01T01:00:00-05:00`). */
const bucketLabel = (granularity: Granularity, period: string) =>
  granularity === 'day' ? period.slice(0, 10) : `${period.slice(0, 13)} ${period.slice(19)}`;

/** Net per report bucket, from the quarter-hour sums, as the report store adds them up. */
function reportNet(totals: BatchTotals, buckets: readonly ReportBucket[], granularity: Granularity) {
  const net = new Map<string, number>();
  for (const { key, figures } of totals.buckets.values()) {
    const bucket = buckets.find(({ starts, ends }) => starts <= key.quarterHour && key.quarterHour < ends);
    if (!bucket) continue;
    const label = bucketLabel(granularity, bucket.period);
    net.set(label, (net.get(label) ?? 0) + figures.net);
  }
  return net;
}

// Zones whose hours are whole hours of the local clock; by the day also Lord Howe (clocks move 30 minutes).
const HOUR_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'America/Santiago',
];
const DAY_ZONES = [...HOUR_ZONES, 'Australia/Lord_Howe'];
/** When clocks changed in 2026 in the zones above (UTC): sales are drawn close to them as well. */
const CHANGES = [
  '2026-03-08T07:00:00Z', // New York
  '2026-03-29T01:00:00Z', // Berlin
  '2026-04-04T14:00:00Z', // Auckland and Chatham
  '2026-04-04T15:00:00Z', // Lord Howe
  '2026-04-04T16:30:00Z', // Adelaide
  '2026-04-05T03:00:00Z', // Santiago
  '2026-09-06T04:00:00Z', // Santiago
  '2026-09-26T14:00:00Z', // Auckland and Chatham
  '2026-10-03T15:30:00Z', // Lord Howe
  '2026-10-03T16:30:00Z', // Adelaide
  '2026-10-25T01:00:00Z', // Berlin
  '2026-11-01T06:00:00Z', // New York
].map((instant) => Date.parse(instant));

// Months with DST changes in the zones above, each within the 31 days an hourly report may cover.
const MONTHS = [
  ['2026-03-01', '2026-03-31'],
  ['2026-03-20', '2026-04-19'],
  ['2026-09-01', '2026-10-01'],
  ['2026-09-20', '2026-10-20'],
  ['2026-10-15', '2026-11-14'],
] as const;

describe('local hours and days from quarter-hour sums', () => {
  it('hold the sales whose local time is in them, whatever the order and repetition they arrived in', () => {
    const scenario = fc
      .record({
        granularity: fc.constantFrom<Granularity>('hour', 'day'),
        month: fc.constantFrom(...MONTHS),
        hourZone: fc.constantFrom(...HOUR_ZONES),
        dayZone: fc.constantFrom(...DAY_ZONES),
      })
      .chain(({ granularity, month, hourZone, dayZone }) => {
        const fromMs = Date.parse(`${month[0]}T12:00:00Z`);
        const toMs = Date.parse(`${month[1]}T12:00:00Z`);
        const seconds = (min: number, max: number) =>
          fc.integer({ min: min / 1000, max: max / 1000 - 1 }).map((second) => second * 1000);
        const nearChanges = CHANGES.filter((changeMs) => fromMs < changeMs && changeMs < toMs).map(
          (changeMs) => seconds(changeMs - 3 * 3_600_000, changeMs + 3 * 3_600_000),
        );
        const instant = fc.oneof(seconds(fromMs, toMs), ...nearChanges);
        return fc.record({
          granularity: fc.constant(granularity),
          month: fc.constant(month),
          zone: fc.constant(granularity === 'hour' ? hourZone : dayZone),
          sales: fc.array(fc.tuple(instant, fc.integer({ min: 1, max: 100_000 })), {
            minLength: 1,
            maxLength: 30,
          }),
          repeats: fc.array(fc.nat(), { maxLength: 20 }),
          order: fc.infiniteStream(fc.nat()),
        });
      });
    fc.assert(
      fc.property(scenario, ({ granularity, month, zone, sales, repeats, order }) => {
        const effects = sales.map(([instantMs, amount], index) =>
          saleEffect(sale(`s${index}`, instantMs, amount)),
        );
        const arrived = [...effects.keys(), ...repeats.map((repeat) => repeat % effects.length)];
        for (let index = arrived.length - 1; index > 0; index -= 1) {
          const other = order.next().value % (index + 1);
          [arrived[index], arrived[other]] = [arrived[other]!, arrived[index]!];
        }
        // The inbox drops what was applied before: each sale once, in the order it first arrived.
        const totals = emptyBatch();
        for (const index of new Set(arrived)) addEffect(totals, effects[index]!);

        // The sales before the first bucket or after the last are not in the report.
        const buckets = reportBuckets(month[0], month[1], granularity, timeZoneNamed(zone));
        const inside = sales.filter(([instantMs]) =>
          buckets.some(
            ({ starts, ends }) => Date.parse(`${starts}Z`) <= instantMs && instantMs < Date.parse(`${ends}Z`),
          ),
        );
        const expected = new Map<string, number>();
        for (const [instantMs, amount] of inside) {
          const label = expectedLabel(zone, granularity, instantMs);
          expected.set(label, (expected.get(label) ?? 0) + amount);
        }
        expect(new Map([...reportNet(totals, buckets, granularity)].sort())).toEqual(
          new Map([...expected].sort()),
        );
      }),
      { numRuns: 200 },
    );
  });
});
