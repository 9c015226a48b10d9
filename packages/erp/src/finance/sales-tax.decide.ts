import type { ReturnCompletedV1Data, SaleCompletedV1Data, SalesTaxBookedV1Data } from '@tillstream/contracts';
import type { LineTax } from './journal.decide.js';
import type { ReturnedTax } from './store-documents.decide.js';

type BookedRate = NonNullable<SalesTaxBookedV1Data['rates']>[number];

/** One line's goods and tax, as the entry's tax base books it (`net` without the tax, both positive). */
interface LineBase {
  ratePpm: number | null;
  charged: BookedRate['charged'];
  net: number;
  tax: number;
}

/**
 * The lines summed per rate and way of charging, as the entry's tax bases sum them (those that come to nothing
 * dropped), in rate order (no rate last), added before included: the same per document every time.
 */
function ratesOf(lines: readonly LineBase[]): BookedRate[] {
  const rates = new Map<string, BookedRate>();
  for (const line of lines) {
    const key = `${line.ratePpm}/${line.charged}`;
    const sum = rates.get(key) ?? { ratePpm: line.ratePpm, charged: line.charged, net: 0, tax: 0 };
    rates.set(key, { ...sum, net: sum.net + line.net, tax: sum.tax + line.tax });
  }
  return [...rates.values()]
    .filter((rate) => rate.net !== 0 || rate.tax !== 0)
    .sort(
      (a, b) =>
        (a.ratePpm ?? Infinity) - (b.ratePpm ?? Infinity) ||
        (a.charged < b.charged ? -1 : a.charged > b.charged ? 1 : 0),
    );
}

/**
 * The sales tax a store sale's entry books, for the `erp.sales_tax.booked` published with it: the same line
 * taxes `saleEntry` posts, split by how they were charged, so that a report can take the included part (which
 * no POS event states) without adding the part the till added on top twice; and per rate, as the entry's tax
 * bases have them, so that a report per rate agrees with ERP's tax summary.
 */
export function saleTaxBooked(sale: SaleCompletedV1Data, taxes: readonly LineTax[]): SalesTaxBookedV1Data {
  let included = 0;
  let added = 0;
  const bases: LineBase[] = [];
  sale.lines.forEach((line, index) => {
    const tax = taxes[index];
    if (!tax) return;
    if (tax.included) included += tax.amount;
    else added += tax.amount;
    // As `saleEntry` books it: what the line cost, its tax however charged, less that tax.
    const paid = line.lineTotal + (line.tax?.amount ?? 0);
    const charged = line.tax ? 'added' : 'included';
    bases.push({ ratePpm: tax.ratePpm, charged, net: paid - tax.amount, tax: tax.amount });
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
    rates: ratesOf(bases),
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
  const bases: LineBase[] = [];
  ret.lines.forEach((line, index) => {
    const tax = taxes[index] ?? { amount: 0, ratePpm: null };
    if (line.tax !== undefined) added += tax.amount;
    else included += tax.amount;
    // As `returnEntry` books it: what was refunded for the line, its added tax included, less the tax.
    const refunded = line.lineTotal + (line.tax ?? 0);
    const charged = line.tax !== undefined ? 'added' : 'included';
    bases.push({ ratePpm: tax.ratePpm, charged, net: refunded - tax.amount, tax: tax.amount });
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
    rates: ratesOf(bases),
  };
}
