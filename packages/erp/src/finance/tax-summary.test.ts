import { describe, expect, it } from 'vitest';
import { taxSummary } from './tax-summary.js';

describe('taxSummary', () => {
  const bases = [
    { currency: 'EUR', returns: false, ratePpm: 210_000, net: 2000, tax: 420 },
    { currency: 'EUR', returns: true, ratePpm: 210_000, net: -1000, tax: -210 },
    { currency: 'EUR', returns: false, ratePpm: null, net: 500, tax: 0 },
    { currency: 'EUR', returns: false, ratePpm: 0, net: 300, tax: 0 },
    { currency: 'DKK', returns: false, ratePpm: 250_000, net: 800, tax: 200 },
  ];

  it('sums per currency and rate, returns as given back, zero rate apart from no rate, no rate last', () => {
    const [dkk, eur] = taxSummary(bases, [
      { currency: 'EUR', net: 1800, tax: 210 },
      { currency: 'DKK', net: 800, tax: 200 },
    ]);
    expect(dkk).toMatchObject({ currency: 'DKK', net: 800, tax: 200, reconciled: true });
    expect(eur!.rates).toEqual([
      { ratePpm: 0, sales: { net: 300, tax: 0 }, returns: { net: 0, tax: 0 }, net: 300, tax: 0 },
      {
        ratePpm: 210_000,
        sales: { net: 2000, tax: 420 },
        returns: { net: 1000, tax: 210 },
        net: 1000,
        tax: 210,
      },
      { ratePpm: null, sales: { net: 500, tax: 0 }, returns: { net: 0, tax: 0 }, net: 500, tax: 0 },
    ]);
    expect(eur).toMatchObject({ net: 1800, tax: 210, journal: { net: 1800, tax: 210 }, reconciled: true });
  });

  it('says so when the accounts hold other sums than the rates', () => {
    const [, eur] = taxSummary(bases, [
      { currency: 'EUR', net: 1800, tax: 211 },
      { currency: 'DKK', net: 800, tax: 200 },
    ]);
    expect(eur).toMatchObject({ tax: 210, journal: { tax: 211 }, reconciled: false });
  });

  it('shows a currency the accounts have but no rates (a gift card sold only) as zeros that agree', () => {
    expect(taxSummary([], [{ currency: 'EUR', net: 0, tax: 0 }])).toEqual([
      { currency: 'EUR', rates: [], net: 0, tax: 0, journal: { net: 0, tax: 0 }, reconciled: true },
    ]);
  });
});
