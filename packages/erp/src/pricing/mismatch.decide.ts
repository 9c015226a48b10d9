import type { PriceMismatchDetectedV1Data, Quote, SaleCompletedV1Data } from '@tillstream/contracts';
import type { PricingInput } from '@tillstream/pricing';

export type MismatchLine = PriceMismatchDetectedV1Data['lines'][number];

/** The engine input a store sale stands for: the till's channel, its store, its instant and its customer. */
export function saleQuoteInput(sale: SaleCompletedV1Data): PricingInput {
  const pricing = sale.pricing ?? {};
  return {
    channel: 'pos',
    currency: sale.currency,
    storeId: sale.storeId,
    at: sale.occurredAt,
    lines: sale.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    ...(pricing.couponCodes ? { couponCodes: pricing.couponCodes } : {}),
    ...(pricing.customerId ? { customerId: pricing.customerId } : {}),
    ...(pricing.customerGroups ? { customerGroups: pricing.customerGroups } : {}),
  };
}

/**
 * The lines where the till and the engine disagree: on the unit price (price lists) or on the line total
 * (the unit price less promotions). Both are before added tax: a sale line carries what was paid for the goods,
 * and tax added on top is compared apart (`taxDifferingLines`).
 */
export function differingLines(sale: SaleCompletedV1Data, expected: Quote): MismatchLine[] {
  return sale.lines.flatMap((line, index) => {
    const priced = expected.lines[index]!;
    if (priced.unitPrice === line.unitPrice && priced.netAmount === line.lineTotal) return [];
    return [lineOf(line, priced)];
  });
}

/**
 * The lines whose tax added on top differs from the engine's, in rate or amount. A sale line without `tax`
 * added none; where no rate applies, none is due. Where the engine's tax is included in the price, the sale line
 * carries none and nothing compares.
 */
export function taxDifferingLines(sale: SaleCompletedV1Data, expected: Quote): MismatchLine[] {
  return sale.lines.flatMap((line, index) => {
    const priced = expected.lines[index]!;
    if (priced.tax.inclusive && priced.tax.rateId !== null) return [];
    const expectedTax = { ratePpm: priced.tax.ratePpm, amount: priced.tax.amount };
    const actualTax = { ratePpm: line.tax?.ratePpm ?? 0, amount: line.tax?.amount ?? 0 };
    if (expectedTax.ratePpm === actualTax.ratePpm && expectedTax.amount === actualTax.amount) return [];
    return [{ ...lineOf(line, priced), expectedTax, actualTax }];
  });
}

/**
 * How a sale differs from the engine's quote, if it does: prices first (a wrong price makes its tax wrong too),
 * else the tax added on top.
 */
export function saleDifference(
  sale: SaleCompletedV1Data,
  expected: Quote,
): { reason: 'price_differs' | 'tax_differs'; lines: MismatchLine[] } | null {
  const prices = differingLines(sale, expected);
  if (prices.length > 0) return { reason: 'price_differs', lines: prices };
  const taxes = taxDifferingLines(sale, expected);
  return taxes.length > 0 ? { reason: 'tax_differs', lines: taxes } : null;
}

function lineOf(line: SaleCompletedV1Data['lines'][number], priced: Quote['lines'][number]): MismatchLine {
  return {
    lineNo: line.lineNo,
    sku: line.sku,
    quantity: line.quantity,
    expectedUnitPrice: priced.unitPrice,
    actualUnitPrice: line.unitPrice,
    expectedLineTotal: priced.netAmount,
    actualLineTotal: line.lineTotal,
  };
}
