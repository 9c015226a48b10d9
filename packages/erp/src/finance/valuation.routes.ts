import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, type Db } from '@tillstream/kernel';
import {
  locationSummary,
  totalsByLocation,
  valueHoldings,
  type ValuedHolding,
} from './location-valuation.decide.js';
import type { LocationValuationStore } from './location-valuation.store.js';
import { MICROS } from './valuation.decide.js';
import type { ValuationStore } from './valuation.store.js';
import {
  LocationValuationQuery,
  LocationValuationView,
  ValuationQuery,
  ValuationView,
} from './valuation.schemas.js';

const itemOf = (item: {
  sku: string;
  currency: string;
  quantity: number;
  value: number;
  unitCostMicros: number;
}) => ({
  sku: item.sku,
  currency: item.currency,
  quantity: item.quantity,
  value: item.value,
  averageUnitCost: item.unitCostMicros / MICROS,
});

/** The stock's value at moving average cost: per SKU for the chain or one location, and per location. */
export function valuationRoutes(deps: {
  db: Db;
  valuations: ValuationStore;
  locations: LocationValuationStore;
}): FastifyPluginAsync {
  const { db, valuations, locations } = deps;

  /** One location's SKUs and totals, from one read of every location's units of the SKUs it holds. */
  const atLocation = async (query: {
    locationId: string;
    currency?: string;
    after?: string;
    limit: number;
  }) => {
    const { locationId, currency, after, limit } = query;
    if (!(await locations.locationExists(db, locationId)))
      throw notFound('location_not_found', `No location ${locationId}`);
    const held: ValuedHolding[] = valueHoldings(await locations.atLocation(db, locationId, currency)).filter(
      (holding) => holding.locationId === locationId,
    );
    const rows = held.filter((holding) => after === undefined || holding.sku > after).slice(0, limit + 1);
    const page = rows.slice(0, limit);
    return {
      locationId,
      currency: currency ?? null,
      items: page.map((holding) => itemOf(holding)),
      next: rows.length > limit ? page[page.length - 1]!.sku : null,
      currencies: totalsByLocation(held).map(({ locationId: _location, ...total }) => total),
    };
  };

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'finance'];

    app.get(
      '/finance/inventory-valuation',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'What the stock cost: units and value per SKU at moving average cost',
          description:
            'Every SKU the books have valued, in SKU order (page with `after` = `next`), its units owned and ' +
            'their cost. Receipts come in at what they cost (a purchase order’s agreed cost, or `unitCost` ' +
            'on a received adjustment), everything else at the average. Per currency, the totals over every ' +
            'SKU and the inventory account’s balance, read in one statement, and whether they are `reconciled`. ' +
            'With `locationId`, one location’s SKUs (those with units there: on hand, and in transit to it) ' +
            'and its totals: each SKU’s value split over its locations at the one average, so the ' +
            'locations add up to the SKU to the minor unit (404 `location_not_found` for an unknown ' +
            'location). Valued from `erp.stock.changed`, so the figures follow the stock ledger by the ' +
            'valuation consumer’s lag.',
          querystring: ValuationQuery,
          response: { 200: ValuationView },
        },
      },
      async (request) => {
        const { locationId, currency, after, limit } = request.query;
        if (locationId !== undefined)
          return atLocation({
            locationId,
            limit,
            ...(currency ? { currency } : {}),
            ...(after !== undefined ? { after } : {}),
          });
        const [rows, totals] = await Promise.all([
          // One more than asked: whether there is a next page, without an empty last one.
          valuations.page(db, {
            limit: limit + 1,
            ...(after !== undefined ? { after } : {}),
            ...(currency ? { currency } : {}),
          }),
          valuations.totals(db, currency),
        ]);
        const page = rows.slice(0, limit);
        return {
          locationId: null,
          currency: currency ?? null,
          items: page.map((item) => itemOf(item)),
          next: rows.length > limit ? page[page.length - 1]!.sku : null,
          currencies: totals.map((total) => ({ ...total, reconciled: total.value === total.books })),
        };
      },
    );

    app.get(
      '/finance/inventory-valuation/locations',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'What the stock at each location cost, and how the locations add up to the books',
          description:
            'Per currency, each location’s units (on hand there and in transit to it) and their value: ' +
            'each SKU’s value split over its locations at the one average (see finance.md). Their sum, the ' +
            'chain’s valuation and the inventory account (1300), read in one statement, and whether they ' +
            'are `reconciled`.',
          querystring: LocationValuationQuery,
          response: { 200: LocationValuationView },
        },
      },
      async (request) => {
        const { currency } = request.query;
        const { holdings, chain } = await locations.everywhere(db, currency);
        return {
          currency: currency ?? null,
          currencies: locationSummary(totalsByLocation(valueHoldings(holdings)), chain),
        };
      },
    );
  };
}
