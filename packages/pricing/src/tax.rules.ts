import type { QuoteLine, TaxRate } from '@tillstream/contracts';
import { taxRateKey, type CompiledRules } from './snapshot.compile.js';
import { mulDivRound } from './rounding.js';

const PPM = 1_000_000;

/** Tax added on top of a line's net at an exclusive rate (parts per million), rounded half up per line. */
export const addedTaxOf = (net: number, ratePpm: number) => mulDivRound(net, ratePpm, PPM);

/** Tax inside a line's total at an inclusive rate: total × r / (1 + r), rounded half up per line. */
export const includedTaxOf = (total: number, ratePpm: number) => mulDivRound(total, ratePpm, PPM + ratePpm);

/** The rate for a tax category at a store: the store's own rate if it has one, else the one for everywhere. */
export function taxRateFor(
  rules: CompiledRules,
  taxCategory: string,
  storeId: string | null,
): TaxRate | null {
  return (
    (storeId !== null ? rules.taxRates.get(taxRateKey(taxCategory, storeId)) : undefined) ??
    rules.taxRates.get(taxRateKey(taxCategory, null)) ??
    null
  );
}

/**
 * Tax of one line, worked out on the line's net after every discount and rounded half up per line, so the
 * order's tax is the sum of its lines' and always adds up. An inclusive rate is already in the net
 * (tax = net × r / (1 + r)); an exclusive one is added on top (tax = net × r). No rate means no tax.
 */
export function lineTax(
  net: number,
  taxCategory: string,
  rate: TaxRate | null,
): { tax: QuoteLine['tax']; total: number } {
  if (!rate) {
    return { tax: { rateId: null, taxCategory, ratePpm: 0, inclusive: true, amount: 0 }, total: net };
  }
  const amount = rate.inclusive ? includedTaxOf(net, rate.ratePpm) : addedTaxOf(net, rate.ratePpm);
  return {
    tax: { rateId: rate.id, taxCategory, ratePpm: rate.ratePpm, inclusive: rate.inclusive, amount },
    total: rate.inclusive ? net : net + amount,
  };
}
