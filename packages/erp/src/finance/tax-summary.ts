import type { Figures, TaxBaseTotals } from './journal-reports.store.js';

/**
 * What a tax return asks, per currency: per rate, the goods (and deliveries) sold and given back without their
 * tax and the tax on them, and the net of both. Next to it, the same two sums as the journal's accounts have
 * them (revenue: 4000 less 4050 and 4100, with 4070 shipping income and what online orders paid into deposits
 * for goods and delivery not shipped yet, 2400, since their tax falls due at payment; tax: 2100), so the report
 * shows that it agrees with the books.
 */
export function taxSummary(
  bases: readonly TaxBaseTotals[],
  journals: ReadonlyArray<{ currency: string } & Figures>,
) {
  const currencies = [...new Set([...bases, ...journals].map((row) => row.currency))].sort();
  return currencies.map((currency) => {
    const byRate = new Map<number | null, { sales: Figures; returns: Figures }>();
    for (const base of bases.filter((row) => row.currency === currency)) {
      const rate = byRate.get(base.ratePpm) ?? { sales: { net: 0, tax: 0 }, returns: { net: 0, tax: 0 } };
      // Returns are stored as negative sales and reported as what was given back.
      if (base.returns) rate.returns = { net: rate.returns.net - base.net, tax: rate.returns.tax - base.tax };
      else rate.sales = { net: rate.sales.net + base.net, tax: rate.sales.tax + base.tax };
      byRate.set(base.ratePpm, rate);
    }
    const rates = [...byRate]
      .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
      .map(([ratePpm, { sales, returns }]) => ({
        ratePpm,
        sales,
        returns,
        net: sales.net - returns.net,
        tax: sales.tax - returns.tax,
      }));
    const { net: journalNet = 0, tax: journalTax = 0 } =
      journals.find((row) => row.currency === currency) ?? {};
    const journal = { net: journalNet, tax: journalTax };
    const net = rates.reduce((sum, rate) => sum + rate.net, 0);
    const tax = rates.reduce((sum, rate) => sum + rate.tax, 0);
    return { currency, rates, net, tax, journal, reconciled: net === journal.net && tax === journal.tax };
  });
}
