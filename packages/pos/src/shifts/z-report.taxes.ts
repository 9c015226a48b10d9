import type { ZReport } from '@tillstream/contracts';
import type { Sale } from '../sales/sale.decide.js';
import type { SaleReturn } from '../returns/return.decide.js';

type TaxRow = NonNullable<ZReport['taxes']>['rates'][number];

/**
 * A shift's goods and tax per tax rate, sales less returns, as fiscal Z-reports list them: from the rate each
 * sale line states (added on top, or inside its price) and each return line carries from the line it returns.
 * What states no rate counts as `unstated`, with any tax of it, so the parts add up to sales net + tax −
 * returns. Absent when no line of the shift states a rate.
 */
export function taxesByRate(sales: readonly Sale[], returns: readonly SaleReturn[]): ZReport['taxes'] {
  const rows = new Map<string, TaxRow>();
  let unstated = 0;
  const add = (ratePpm: number, included: boolean, net: number, tax: number) => {
    const key = `${ratePpm}/${included}`;
    const row = rows.get(key) ?? { ratePpm, included, net: 0, tax: 0 };
    rows.set(key, row);
    row.net += net;
    row.tax += tax;
  };
  for (const sale of sales)
    for (const line of sale.lines) {
      if (line.tax) add(line.tax.ratePpm, false, line.lineTotal, line.tax.amount);
      else if (line.includedTax)
        add(
          line.includedTax.ratePpm,
          true,
          line.lineTotal - line.includedTax.amount,
          line.includedTax.amount,
        );
      else unstated += line.lineTotal;
    }
  for (const saleReturn of returns)
    for (const line of saleReturn.lines) {
      if (line.taxRatePpm !== undefined && line.tax !== undefined)
        add(line.taxRatePpm, false, -line.lineTotal, -line.tax);
      else if (line.taxRatePpm !== undefined && line.includedTax !== undefined)
        add(line.taxRatePpm, true, -(line.lineTotal - line.includedTax), -line.includedTax);
      // Returns kept before they carried a rate: their added tax is refunded, but at no stated rate.
      else unstated -= line.lineTotal + (line.tax ?? 0);
    }
  if (rows.size === 0) return undefined;
  const rates = [...rows.values()].sort(
    (left, right) => left.ratePpm - right.ratePpm || Number(left.included) - Number(right.included),
  );
  return { rates, unstated };
}
