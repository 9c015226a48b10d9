import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { reportBuckets, reportWindow } from './report-period.decide.js';
import { decodeCursor, encodeCursor, salesRow } from './report.decide.js';
import { UTC } from './time-zone.decide.js';
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
          description: `Store sales and returns, online orders and refunds, summed per UTC hour or day. ${LAG_NOTE}`,
          querystring: SalesQuery,
          response: { 200: SalesPage },
        },
      },
      async (request) => {
        const { from, to, granularity, after, limit, ...filters } = request.query;
        const buckets = reportBuckets(from, to, granularity, UTC);
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
          rows: page.map((row) => salesRow(periods.get(row.key[0]!)!, row.key, row.figures)),
          next: rows.length > limit ? encodeCursor(page[page.length - 1]!.key) : null,
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
          description: `One currency at a time; all stores and channels unless filtered. ${LAG_NOTE}`,
          querystring: TopProductsQuery,
          response: { 200: TopProducts },
        },
      },
      async (request) => {
        const { from, to, by, limit, currency, ...filters } = request.query;
        const window = reportWindow(from, to, UTC);
        return {
          currency,
          by,
          products: await store.topProducts({ ...window, ...filters, currency, by, limit }),
        };
      },
    );
  };
}
