import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { packCursor } from '@tillstream/kernel';
import { reportBuckets, reportWindow } from './report-period.decide.js';
import { decodeCursor, salesRow } from './report.decide.js';
import { reportTimeZone } from './report-zone.js';
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
            'of then. `from` and `to` are instants or dates (a date is the start of that day in the zone); the ' +
            'hours or days starting in `[from, to)` are reported, each whole. An unknown zone is ' +
            `\`unknown_time_zone\`. ${LAG_NOTE}`,
          querystring: SalesQuery,
          response: { 200: SalesPage },
        },
      },
      async (request) => {
        const { from, to, granularity, timeZone: _asked, after, limit, ...filters } = request.query;
        const zone = await reportTimeZone(store, request.query);
        const buckets = reportBuckets(from, to, granularity, zone);
        const rows = await store.sales({
          ...filters,
          buckets,
          after: after === undefined ? null : decodeCursor(after),
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const periods = new Map(buckets.map((bucket) => [bucket.starts, bucket.period]));
        return {
          granularity,
          timeZone: zone.name,
          rows: page.map((row) => salesRow(periods.get(row.key[0]!)!, row.key, row.figures, row.taxByRate)),
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
        const { from, to, timeZone: _asked, by, limit, currency, ...filters } = request.query;
        const zone = await reportTimeZone(store, request.query);
        const window = reportWindow(from, to, zone);
        return {
          timeZone: zone.name,
          currency,
          by,
          products: await store.topProducts({ ...window, ...filters, currency, by, limit }),
        };
      },
    );
  };
}
