import { describe, expect, it } from 'vitest';
import { grossMargins } from './gross-margin.js';

describe('gross margin per channel', () => {
  it('takes the cost of the goods from each channel’s net sales, and adds the channels up per currency', () => {
    const report = grossMargins([
      { currency: 'EUR', channel: 'web', netSales: 12_100, costOfSales: 5_000 },
      { currency: 'EUR', channel: 'pos', netSales: 30_000, costOfSales: 18_000 },
      { currency: 'EUR', channel: 'inventory', netSales: 0, costOfSales: 450 },
      { currency: 'USD', channel: 'web', netSales: 999, costOfSales: 0 },
    ]);

    expect(report.map((currency) => currency.currency)).toEqual(['EUR', 'USD']);
    const [eur] = report;
    expect(eur!.channels).toEqual([
      { channel: 'inventory', netSales: 0, costOfSales: 450, grossMargin: -450, marginBasisPoints: null },
      { channel: 'pos', netSales: 30_000, costOfSales: 18_000, grossMargin: 12_000, marginBasisPoints: 4000 },
      // 7,100 ÷ 12,100 = 58.677 %: rounded to the nearest hundredth of a percent.
      { channel: 'web', netSales: 12_100, costOfSales: 5_000, grossMargin: 7_100, marginBasisPoints: 5868 },
    ]);
    expect(eur).toMatchObject({
      netSales: 42_100,
      costOfSales: 23_450,
      grossMargin: 18_650,
      marginBasisPoints: 4430,
    });
  });

  it('reports no margin where more was given back than sold', () => {
    const [eur] = grossMargins([{ currency: 'EUR', channel: 'pos', netSales: -500, costOfSales: -250 }]);
    expect(eur).toMatchObject({ grossMargin: -250, marginBasisPoints: null });
  });
});
