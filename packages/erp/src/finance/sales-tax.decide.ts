import type { ReturnCompletedV1Data, SaleCompletedV1Data, SalesTaxBookedV1Data } from '@tillstream/contracts';
import type { LineTax } from './journal.decide.js';
import type { ReturnedTax } from './store-documents.decide.js';

/**
 * The sales tax a store sale's entry books, for the `erp.sales_tax.booked` published with it: the same line
 * taxes `saleEntry` posts, split by how they were charged, so that a report can take the included part (which
 * no POS event states) without adding the part the till added on top twice.
 */
export function saleTaxBooked(sale: SaleCompletedV1Data, taxes: readonly LineTax[]): SalesTaxBookedV1Data {
  let included = 0;
  let added = 0;
  sale.lines.forEach((_line, index) => {
    const tax = taxes[index];
    if (!tax) return;
    if (tax.included) included += tax.amount;
    else added += tax.amount;
  });
  return {
    kind: 'sale',
    documentId: sale.saleId,
    storeId: sale.storeId,
    occurredAt: sale.occurredAt,
    currency: sale.currency,
    included,
    added,
    total: included + added,
  };
}

/**
 * The sales tax a store return's entry gives back: `taxes[i]` as `returnEntry` posts it, the till's own
 * figure where the line states added tax, else the share of what its sale booked inside the price.
 */
export function returnTaxBooked(
  ret: ReturnCompletedV1Data,
  taxes: readonly ReturnedTax[],
): SalesTaxBookedV1Data {
  let included = 0;
  let added = 0;
  ret.lines.forEach((line, index) => {
    const tax = taxes[index]?.amount ?? 0;
    if (line.tax !== undefined) added += tax;
    else included += tax;
  });
  return {
    kind: 'return',
    documentId: ret.returnId,
    storeId: ret.storeId,
    occurredAt: ret.occurredAt,
    currency: ret.currency,
    included,
    added,
    total: included + added,
  };
}
