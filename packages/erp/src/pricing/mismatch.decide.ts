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
 * (the unit price less promotions). Both are before added tax: a sale carries what the customer paid for the
 * goods, and an exclusive tax is not part of a POS line.
 */
export function differingLines(sale: SaleCompletedV1Data, expected: Quote): MismatchLine[] {
  return sale.lines.flatMap((line, index) => {
    const priced = expected.lines[index]!;
    if (priced.unitPrice === line.unitPrice && priced.netAmount === line.lineTotal) return [];
    return [
      {
        lineNo: line.lineNo,
        sku: line.sku,
        quantity: line.quantity,
        expectedUnitPrice: priced.unitPrice,
        actualUnitPrice: line.unitPrice,
        expectedLineTotal: priced.netAmount,
        actualLineTotal: line.lineTotal,
      },
    ];
  });
}
