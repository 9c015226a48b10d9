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
 * The lines whose tax differs from the engine's, in rate or amount: the tax added on top (a sale line without
 * `tax` added none; where no rate applies or ERP's rate includes it, none is due), and the tax inside the price
 * where the sale line states one (`includedTax`; older tills state none, and then only what they added counts).
 */
export function taxDifferingLines(sale: SaleCompletedV1Data, expected: Quote): MismatchLine[] {
  return sale.lines.flatMap((line, index) => {
    const priced = expected.lines[index]!;
    const engineTax = { ratePpm: priced.tax.ratePpm, amount: priced.tax.amount };
    const includes = priced.tax.inclusive && priced.tax.rateId !== null;
    const expectedTax = includes ? NO_TAX : engineTax;
    const actualTax = line.tax ?? NO_TAX;
    const expectedIncludedTax = includes ? engineTax : NO_TAX;
    const addedDiffers = !sameTax(expectedTax, actualTax);
    const includedDiffers = line.includedTax !== undefined && !sameTax(expectedIncludedTax, line.includedTax);
    if (!addedDiffers && !includedDiffers) return [];
    return [
      {
        ...lineOf(line, priced),
        expectedTax,
        actualTax: { ratePpm: actualTax.ratePpm, amount: actualTax.amount },
        ...(includes ? { expectedIncludedTax } : {}),
        ...(line.includedTax
          ? { actualIncludedTax: { ratePpm: line.includedTax.ratePpm, amount: line.includedTax.amount } }
          : {}),
      },
    ];
  });
}

type LineTax = { ratePpm: number; amount: number };
const NO_TAX: LineTax = { ratePpm: 0, amount: 0 };
const sameTax = (left: LineTax, right: LineTax) =>
  left.ratePpm === right.ratePpm && left.amount === right.amount;

/**
 * How a sale differs from the engine's quote, if it does: prices first (a wrong price makes its tax wrong too),
 * else its tax.
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
