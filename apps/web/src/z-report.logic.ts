import type { ZReport } from '@tillstream/contracts';

export interface ReportCheck {
  label: string;
  holds: boolean;
}

/**
 * The sums a manager checks on a Z-report, computed from its own figures: the server builds every figure as a
 * sum over the shift's documents, so these hold; the screen says so, and flags one that does not.
 */
export function reportChecks(report: ZReport): ReportCheck[] {
  const { sales, returns, tenders, cash } = report;
  const checks: ReportCheck[] = [
    { label: 'sales gross − discounts = sales net', holds: sales.gross - sales.discounts === sales.net },
    {
      label:
        'sales net + tax + gift cards sold − returns' +
        (returns.uncollected ? ' + returns never paid' : '') +
        (report.cashRounding ? ' + cash rounding' : '') +
        ' = net',
      holds:
        sales.net +
          (sales.tax ?? 0) +
          (report.storedValue?.sold.amount ?? 0) -
          returns.total +
          (returns.uncollected ?? 0) +
          (report.cashRounding?.net ?? 0) ===
        report.net,
    },
    ...(report.cashRounding
      ? [
          {
            label: 'cash rounding of sales − of returns = its net',
            holds: report.cashRounding.sales - report.cashRounding.returns === report.cashRounding.net,
          },
        ]
      : []),
    ...(report.taxes
      ? [
          {
            label: 'each rate’s goods + tax, and what states none = sales net + tax − returns',
            holds:
              report.taxes.rates.reduce((sum, rate) => sum + rate.net + rate.tax, report.taxes.unstated) ===
              sales.net + (sales.tax ?? 0) - returns.total,
          },
        ]
      : []),
    {
      label: 'tenders add up to net',
      holds: tenders.reduce((sum, tender) => sum + tender.net, 0) === report.net,
    },
    {
      label: 'each tender: taken − refunded = net',
      holds: tenders.every((tender) => tender.sales - tender.refunds === tender.net),
    },
  ];
  if (cash.openingFloat !== null && cash.expected !== null)
    checks.push({
      label: 'float + cash taken − cash refunded = expected',
      holds: cash.openingFloat + cash.sales - cash.refunds === cash.expected,
    });
  if (cash.expected !== null && cash.counted !== null && cash.overShort !== null)
    checks.push({
      label: 'counted − expected = over/short',
      holds: cash.counted - cash.expected === cash.overShort,
    });
  return checks;
}

/** "over", "short" or "exact" for the cash difference; a positive difference is cash over. */
export const overShortWord = (difference: number) =>
  difference > 0 ? 'over' : difference < 0 ? 'short' : 'exact';
