import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PromotionUsage, PromotionUsageQuery } from './sales.schemas.js';
import type { ReportStore } from './report.store.js';
import { zonedReportWindow } from './report-zone.js';

export function promotionRoutes(deps: { store: ReportStore }): FastifyPluginAsync {
  const { store } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/promotions',
      {
        config: { scope: 'analytics:read' },
        schema: {
          tags: ['analytics'],
          summary: 'How often each promotion was applied in a period, and what it took off',
          description:
            'Counted from the store sale and online order lines that name their promotions (tills and the ' +
            'storefront send them from the pricing engine’s explanation); a discount without them counts in ' +
            'the sales report’s `discounts` only. Each use counts in the quarter hour of its sale or order, and ' +
            'the hours of `timeZone` (if none is named: the store’s for a report of one store, else UTC) ' +
            'starting in `[from, to)` count (a date is the start of that day there). ' +
            'Most used first, per currency; all stores and channels unless filtered.',
          querystring: PromotionUsageQuery,
          response: { 200: PromotionUsage },
        },
      },
      async (request) => {
        const { from: _from, to: _to, timeZone: _asked, limit, ...filters } = request.query;
        const { timeZone, window } = await zonedReportWindow(store, request.query);
        return {
          timeZone,
          promotions: await store.promotionUsage({ ...window, ...filters, limit }),
        };
      },
    );
  };
}
