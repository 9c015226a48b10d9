import { ratio } from './valuation.decide.js';

/** What one channel sold and what the goods cost, in one currency, as the journal's accounts have it. */
export interface ChannelSalesAndCosts {
  currency: string;
  channel: string;
  /** Revenue without tax: 4000 less discounts (4050) and returns (4100). */
  netSales: number;
  /** Cost of goods sold (5000): the average cost of what went out, less what came back. */
  costOfSales: number;
}

const BASIS_POINTS = 10_000;

/** A channel's (or a currency's) figures and their difference, with the margin as a share of net sales. */
function withMargin<T extends { netSales: number; costOfSales: number }>(figures: T) {
  const grossMargin = figures.netSales - figures.costOfSales;
  return {
    ...figures,
    grossMargin,
    // A share of nothing, or of more given back than sold, is no margin to report.
    marginBasisPoints: figures.netSales > 0 ? ratio(grossMargin, BASIS_POINTS, figures.netSales) : null,
  };
}

/**
 * Gross margin per currency and channel: net sales less the cost of the goods sold, each channel apart and
 * the currency's total. Channels in name order; `inventory` holds cost of sales whose channel is not known
 * (movements valued before channels were kept, returns taken through ERP's own API), with no sales of its own.
 */
export function grossMargins(rows: readonly ChannelSalesAndCosts[]) {
  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  return currencies.map((currency) => {
    const channels = rows
      .filter((row) => row.currency === currency)
      .sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
      .map(({ channel, netSales, costOfSales }) => withMargin({ channel, netSales, costOfSales }));
    const total = withMargin({
      netSales: channels.reduce((sum, row) => sum + row.netSales, 0),
      costOfSales: channels.reduce((sum, row) => sum + row.costOfSales, 0),
    });
    return { currency, channels, ...total };
  });
}
