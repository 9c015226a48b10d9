import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { packCursor } from '@tillstream/kernel';
import { reportBuckets } from './report-period.decide.js';
import { decodeCursor, salesRow } from './report.decide.js';
import { EACH_STORE, reportTimeZone, storeZones, zonedReportWindow } from './report-zone.js';
import { SalesPage, SalesQuery, TopProducts, TopProductsQuery } from './sales.schemas.js';
import type { ReportStore } from './report.store.js';

const LAG_NOTE =
  'Figures follow the events as the analytics consumer applies them, typically within a second; its lag is ' +
  'in `/metrics`. Each document counts in the bucket of its own time (an offline sale in the hour it was rung ' +
  'up), so a past bucket can still grow when a till syncs late.';

export function salesRoutes(deps: { store: ReportStore }): FastifyPluginAsync {
  const { store } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['analytics'];

    app.get(
      '/sales',
      {
        config: { scope: 'analytics:read' },
        schema: {
          tags,
          summary: 'Sales per period, channel, store and currency',
          description:
            'Store sales and returns, online orders and refunds, summed per hour or day of `timeZone` (if none ' +
            'is named: the store’s own zone for a report of one store whose ERP location names one, else UTC): ' +
            '`timeZone=America/New_York` gives New York’s days, 23 hours long when clocks spring ' +
            'forward and 25 when they go back, each row’s `period` the instant its day starts with the offset ' +
            'of then. `timeZone=store` counts every store in its own zone (each row says which; online sales and ' +
            'stores whose location names none in UTC), so a chain across zones gets each store’s own days in one ' +
            'report. `from` and `to` are instants or dates (a date is the start of that day in the zone); the ' +
            'hours or days starting in `[from, to)` are reported, each whole. An unknown zone is ' +
            `\`unknown_time_zone\`. ${LAG_NOTE}`,
          querystring: SalesQuery,
          response: { 200: SalesPage },
        },
      },
      async (request) => {
        const { from, to, granularity, timeZone: asked, after, limit, ...filters } = request.query;
        const eachStore = asked === EACH_STORE;
        const { zones, groupOf } = eachStore
          ? await storeZones(store)
          : { zones: [await reportTimeZone(store, request.query)], groupOf: new Map<string, number>() };
        const buckets = zones.flatMap((zone, group) =>
          reportBuckets(from, to, granularity, zone).map((bucket) => ({ ...bucket, group })),
        );
        const bucketStarts = buckets.map((bucket) => bucket.starts);
        const rows = await store.sales({
          ...filters,
          buckets,
          groupOf,
          after: after === undefined ? null : decodeCursor(after, bucketStarts),
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const periods = new Map(buckets.map((bucket) => [`${bucket.group} ${bucket.starts}`, bucket.period]));
        return {
          granularity,
          timeZone: eachStore ? EACH_STORE : zones[0]!.name,
          rows: page.map(({ key, figures, taxByRate }) => {
            const group = groupOf.get(key[2]!) ?? 0;
            const row = salesRow(periods.get(`${group} ${key[0]}`)!, key, figures, taxByRate);
            return eachStore ? { ...row, timeZone: zones[group]!.name } : row;
          }),
          next: rows.length > limit ? packCursor(page[page.length - 1]!.key) : null,
        };
      },
    );

    app.get(
      '/products/top',
      {
        config: { scope: 'analytics:read' },
        schema: {
          tags,
          summary: 'Best-selling products of a period, by units or net revenue',
          description:
            'One currency at a time; all stores and channels unless filtered. The hours of `timeZone` (if none ' +
            'is named: the store’s for a report of one store, else UTC) starting in `[from, to)` count; a date ' +
            `is the start of that day in the zone. ${LAG_NOTE}`,
          querystring: TopProductsQuery,
          response: { 200: TopProducts },
        },
      },
      async (request) => {
        const { from: _from, to: _to, timeZone: _asked, by, limit, currency, ...filters } = request.query;
        const { timeZone, window } = await zonedReportWindow(store, request.query);
        return {
          timeZone,
          currency,
          by,
          products: await store.topProducts({ ...window, ...filters, currency, by, limit }),
        };
      },
    );
  };
}
