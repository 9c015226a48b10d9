import type { ShippingMethod, ShippingMethodBody } from '@tillstream/contracts';
import { unprocessable } from '@tillstream/kernel';

/** Code-unit order, the same in every runtime, so a stored method compares equal whatever order it came in. */
const inCodeUnitOrder = (values: readonly string[]) =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * A shipping method as stored: `enabled` filled in, rates in currency order, channels and countries sorted (a
 * set in another order is the same method, not a new version). Refuses a second rate in one currency with
 * 422 `shipping_rate_duplicate`: the engine would charge whichever came first, a guess the merchant never made.
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
  }
  const rates = [...body.rates]
    .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
    .map((rate) => ({
      currency: rate.currency,
      amount: rate.amount,
      ...(rate.freeFrom === undefined ? {} : { freeFrom: rate.freeFrom }),
    }));
  return {
    id,
    name: body.name,
    enabled: body.enabled ?? true,
    ...(body.channels ? { channels: inCodeUnitOrder(body.channels) } : {}),
    ...(body.countries ? { countries: inCodeUnitOrder(body.countries) } : {}),
    rates,
    taxCategory: body.taxCategory,
  };
}
