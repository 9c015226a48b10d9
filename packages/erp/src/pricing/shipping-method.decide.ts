import type { PickupPoint, ShippingMethod, ShippingMethodBody } from '@tillstream/contracts';
import { unprocessable } from '@tillstream/kernel';
import { postcodeKey } from '@tillstream/pricing';

/**
 * Items in the code-unit order of their key, the same in every runtime, so a stored method compares equal
 * whatever order it came in.
 */
const inCodeUnitOrder = <T>(items: readonly T[], keyOf: (item: T) => string) =>
  [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
const itself = (value: string) => value;

/** The first key that two items share, if any: a method keeps one rate per currency, one rule per country. */
const firstRepeated = (keys: readonly string[]) => keys.find((key, index) => keys.indexOf(key) !== index);

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
 * Refuses `splitParcels` on a rate without `maxGrams` with 422 `shipping_parcel_split_invalid`: parcels are split
 * to be no heavier than it, so without one there is no size to split by.
 */
function assertParcelSplit(id: string, rate: Rate): void {
  if (rate.splitParcels && rate.maxGrams === undefined)
    throw unprocessable(
      'shipping_parcel_split_invalid',
      `Shipping method ${id}, rate in ${rate.currency}: splitParcels needs the rate's maxGrams`,
      { currency: rate.currency },
    );
}

/**
 * Postcode rules as stored: one per country (422 `shipping_postcode_rule_duplicate` for a second), in country
 * order, each prefix as the engine compares it (capitals, no spaces or dashes), once and sorted.
 */
function normalizePostcodes(id: string, rules: NonNullable<ShippingMethodBody['postcodes']>) {
  const country = firstRepeated(rules.map((rule) => rule.country));
  if (country !== undefined)
    throw unprocessable(
      'shipping_postcode_rule_duplicate',
      `Shipping method ${id} lists two postcode rules for ${country}; give one per country`,
      { country },
    );
  const keys = (prefixes: readonly string[]) =>
    inCodeUnitOrder([...new Set(prefixes.map(postcodeKey))], itself);
  return inCodeUnitOrder(rules, (rule) => rule.country).map((rule) => ({
    country: rule.country,
    ...(rule.include ? { include: keys(rule.include) } : {}),
    ...(rule.exclude ? { exclude: keys(rule.exclude) } : {}),
  }));
}

/** A collection point as stored: its address's members in one order, so a PUT of the same point is no change. */
function normalizePickup(pickup: PickupPoint): PickupPoint {
  const { line1, line2, postalCode, city, region, country } = pickup.address;
  return {
    locationId: pickup.locationId,
    address: {
      line1,
      ...(line2 === undefined ? {} : { line2 }),
      postalCode,
      city,
      ...(region === undefined ? {} : { region }),
      country,
    },
  };
}

/**
 * A shipping method as stored: `enabled` filled in, rates in currency order, channels and countries sorted (a
 * set in another order is the same method, not a new version). Refuses a second rate in one currency with
 * 422 `shipping_rate_duplicate`: the engine would charge whichever came first, a guess the merchant never made;
 * weight bands out of order (`assertWeightBands`); a parcel split without a parcel size (`assertParcelSplit`);
 * and a collection method with destinations (422 `shipping_pickup_has_destinations`): the shopper comes to it
 * from anywhere.
 */
export function normalizeShippingMethod(
  id: string,
  body: ShippingMethodBody,
): Omit<ShippingMethod, 'version'> {
  const currency = firstRepeated(body.rates.map((rate) => rate.currency));
  if (currency !== undefined)
    throw unprocessable(
      'shipping_rate_duplicate',
      `Shipping method ${id} lists two rates in ${currency}; give one per currency`,
      { currency },
    );
  for (const rate of body.rates) {
    assertWeightBands(id, rate);
    assertParcelSplit(id, rate);
  }
  if (body.pickup && (body.countries || body.postcodes))
    throw unprocessable(
      'shipping_pickup_has_destinations',
      `Shipping method ${id} is collected at ${body.pickup.locationId}: it takes no countries or postcodes`,
      { locationId: body.pickup.locationId },
    );
  const rates = inCodeUnitOrder(body.rates, (rate) => rate.currency).map((rate) => ({
    currency: rate.currency,
    amount: rate.amount,
    ...(rate.freeFrom === undefined ? {} : { freeFrom: rate.freeFrom }),
    ...(rate.byWeight
      ? { byWeight: rate.byWeight.map(({ fromGrams, amount }) => ({ fromGrams, amount })) }
      : {}),
    ...(rate.maxGrams === undefined ? {} : { maxGrams: rate.maxGrams }),
    // Only when true, so `splitParcels: false` and no `splitParcels` are the same method, not a new version.
    ...(rate.splitParcels ? { splitParcels: true } : {}),
  }));
  return {
    id,
    name: body.name,
    enabled: body.enabled ?? true,
    ...(body.channels ? { channels: inCodeUnitOrder(body.channels, itself) } : {}),
    ...(body.countries ? { countries: inCodeUnitOrder(body.countries, itself) } : {}),
    ...(body.postcodes ? { postcodes: normalizePostcodes(id, body.postcodes) } : {}),
    rates,
    ...(body.pickup ? { pickup: normalizePickup(body.pickup) } : {}),
    taxCategory: body.taxCategory,
  };
}
