import type { ShippingMethod, ShippingMethodBody } from '@tillstream/contracts';
import { unprocessable } from '@tillstream/kernel';
import { postcodeKey } from '@tillstream/pricing';

/** Code-unit order, the same in every runtime, so a stored method compares equal whatever order it came in. */
const inCodeUnitOrder = (values: readonly string[]) =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

type Rate = ShippingMethodBody['rates'][number];

/**
 * Refuses weight bands that are not heavier one after the other, or that start past the rate's `maxGrams`, with
 * 422 `shipping_weight_bands_invalid`: which band applies would otherwise depend on how they were listed, or
 * never happen.
 */
function assertWeightBands(id: string, rate: Rate): void {
  let previous = 0;
  for (const band of rate.byWeight ?? []) {
    const problem =
      band.fromGrams <= previous
        ? `band from ${band.fromGrams} g is not heavier than the one before it`
        : rate.maxGrams !== undefined && band.fromGrams > rate.maxGrams
          ? `band from ${band.fromGrams} g starts past the rate's maxGrams (${rate.maxGrams} g)`
          : null;
    if (problem)
      throw unprocessable(
        'shipping_weight_bands_invalid',
        `Shipping method ${id}, rate in ${rate.currency}: ${problem}`,
        { currency: rate.currency, fromGrams: band.fromGrams },
      );
    previous = band.fromGrams;
  }
}

/**
 * Postcode rules as stored: one per country (422 `shipping_postcode_rule_duplicate` for a second), in country
 * order, each prefix as the engine compares it (capitals, no spaces or dashes), once and sorted.
 */
function normalizePostcodes(id: string, rules: NonNullable<ShippingMethodBody['postcodes']>) {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.country))
      throw unprocessable(
        'shipping_postcode_rule_duplicate',
        `Shipping method ${id} lists two postcode rules for ${rule.country}; give one per country`,
        { country: rule.country },
      );
    seen.add(rule.country);
  }
  const keys = (prefixes: readonly string[]) => inCodeUnitOrder([...new Set(prefixes.map(postcodeKey))]);
  return [...rules]
    .sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0))
    .map((rule) => ({
      country: rule.country,
      ...(rule.include ? { include: keys(rule.include) } : {}),
      ...(rule.exclude ? { exclude: keys(rule.exclude) } : {}),
    }));
}

/**
 * A shipping method as stored: `enabled` filled in, rates in currency order, channels and countries sorted (a
 * set in another order is the same method, not a new version). Refuses a second rate in one currency with
 * 422 `shipping_rate_duplicate`: the engine would charge whichever came first, a guess the merchant never made;
 * and weight bands out of order (`assertWeightBands`).
 */
export function normalizeShippingMethod(
  id: string,
  body: ShippingMethodBody,
): Omit<ShippingMethod, 'version'> {
  const seen = new Set<string>();
  for (const rate of body.rates) {
    if (seen.has(rate.currency))
      throw unprocessable(
        'shipping_rate_duplicate',
        `Shipping method ${id} lists two rates in ${rate.currency}; give one per currency`,
        { currency: rate.currency },
      );
    seen.add(rate.currency);
    assertWeightBands(id, rate);
  }
  const rates = [...body.rates]
    .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
    .map((rate) => ({
      currency: rate.currency,
      amount: rate.amount,
      ...(rate.freeFrom === undefined ? {} : { freeFrom: rate.freeFrom }),
      ...(rate.byWeight
        ? { byWeight: rate.byWeight.map(({ fromGrams, amount }) => ({ fromGrams, amount })) }
        : {}),
      ...(rate.maxGrams === undefined ? {} : { maxGrams: rate.maxGrams }),
    }));
  return {
    id,
    name: body.name,
    enabled: body.enabled ?? true,
    ...(body.channels ? { channels: inCodeUnitOrder(body.channels) } : {}),
    ...(body.countries ? { countries: inCodeUnitOrder(body.countries) } : {}),
    ...(body.postcodes ? { postcodes: normalizePostcodes(id, body.postcodes) } : {}),
    rates,
    taxCategory: body.taxCategory,
  };
}
