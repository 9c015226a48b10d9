import type { ErrorEntry } from './entry.js';

/** Errors of price lists, promotions, coupons, tax rates and quotes. */
export const PRICING_ERRORS = {
  price_list_not_found: {
    kind: 'not_found',
    title: 'Unknown price list',
    description: 'No price list has this id (or it was deleted).',
  },
  price_mismatch_not_found: {
    kind: 'not_found',
    title: 'Unknown price mismatch',
    description: 'No price mismatch has this id (`GET /erp/v1/price-mismatches?status=all` lists them).',
  },
  promotion_not_found: {
    kind: 'not_found',
    title: 'Unknown promotion',
    description: 'No promotion has this id (or it was deleted).',
  },
  tax_rate_not_found: {
    kind: 'not_found',
    title: 'Unknown tax rate',
    description: 'No tax rate has this id (or it was deleted).',
  },
  shipping_method_not_found: {
    kind: 'not_found',
    title: 'Unknown shipping method',
    description: 'No shipping method has this id (or it was deleted).',
  },
  snapshot_not_found: {
    kind: 'not_found',
    title: 'Unknown pricing snapshot',
    description: 'No pricing snapshot was minted with this version.',
  },
  snapshot_version_gone: {
    kind: 'gone',
    title: 'Pricing snapshot no longer kept',
    description:
      'A delta was asked for from a version retention has removed (`pricingSnapshotRetentionHours`); fetch the ' +
      'whole current snapshot instead.',
  },
  redemption_not_found: {
    kind: 'not_found',
    title: 'Unknown redemption',
    description: 'No order or sale with this id redeemed promotions.',
  },
  concurrent_modification: {
    kind: 'conflict',
    title: 'Changed meanwhile',
    description:
      'Another request changed this definition between reading and writing it; read it again and retry.',
  },
  coupon_code_taken: {
    kind: 'conflict',
    title: 'Coupon code in use',
    description: 'Another promotion already has this coupon code (codes ignore case); `couponCode` names it.',
  },
  tax_rate_conflict: {
    kind: 'conflict',
    title: 'Tax rate already defined',
    description: 'Another tax rate covers the same tax category and location; `taxRateId` names it.',
  },
  promotion_usage_exhausted: {
    kind: 'conflict',
    title: 'Promotion used up',
    description:
      'A limited promotion of the cart has no use left (in total or for this customer); nothing was taken. ' +
      '`promotionIds` names them: quote again to drop them.',
  },
  redemption_sale_recorded: {
    kind: 'conflict',
    title: 'Sale recorded: its uses stand',
    description:
      'The store sale these promotion uses were taken for is recorded (POS holds it, or it has reached ERP): it ' +
      'used them, so they cannot be given back.',
  },
  price_not_found: {
    kind: 'unprocessable',
    title: 'No price in this currency',
    description: 'Neither a price list nor the product prices these SKUs in the currency; `skus` lists them.',
  },
  shipping_method_unknown: {
    kind: 'unprocessable',
    title: 'Unknown shipping method',
    description:
      "No enabled shipping method `methodId` is offered in this channel; list the cart's shipping options for " +
      'those that are.',
  },
  shipping_not_available: {
    kind: 'unprocessable',
    title: 'Shipping method not available here',
    description:
      'The shipping method does not deliver to `country` (or to `postalCode` there), has no rate in ' +
      '`currency`, or does not take goods that heavy: `weightGrams` against its `maxGrams` (on a rate with ' +
      '`splitParcels`, the weight of a unit no parcel takes; with `maxParcels`, goods that would need more ' +
      'parcels than that); list the cart’s shipping options for those that do.',
  },
  shipping_pickup_has_destinations: {
    kind: 'unprocessable',
    title: 'A collection method names destinations',
    description:
      'A shipping method with `pickup` (click and collect) also lists `countries` or `postcodes`. The shopper ' +
      'comes to the collection point, wherever they live, so there is no destination to check: drop them, or ' +
      'make the method a delivery one without `pickup`.',
  },
  shipping_postcode_rule_duplicate: {
    kind: 'unprocessable',
    title: 'Two postcode rules for one country',
    description:
      'A shipping method lists a second `postcodes` rule for a country: which to apply would be a guess. ' +
      '`country` names it; give one rule per country, with both its `include` and `exclude` prefixes.',
  },
  shipping_weight_bands_invalid: {
    kind: 'unprocessable',
    title: 'Weight bands out of order',
    description:
      'A rate’s `byWeight` bands must rise by `fromGrams`, each heavier than the one before, and start no ' +
      'heavier than the rate’s `maxGrams` (a band past it could never apply). `currency` names the rate.',
  },
  shipping_parcel_split_invalid: {
    kind: 'unprocessable',
    title: 'Parcel split without a parcel size',
    description:
      'A rate sets `splitParcels` without `maxGrams`: goods are split into parcels no heavier than `maxGrams`, ' +
      'so without one there is nothing to split by. `currency` names the rate; give its `maxGrams`, or drop ' +
      '`splitParcels`.',
  },
  shipping_rate_duplicate: {
    kind: 'unprocessable',
    title: 'Two rates in one currency',
    description:
      'A shipping method lists a second rate in a currency it already has a rate in: which one to charge would ' +
      'be a guess. `currency` names it; give one rate per currency.',
  },
  amount_out_of_range: {
    kind: 'unprocessable',
    title: 'Amount out of range',
    description: 'A line or the cart is too large to price exactly in minor units.',
  },
  discount_exceeds_line: {
    kind: 'unprocessable',
    title: 'Discount larger than the line',
    description: 'A sale line discounts more than its quantity times its unit price.',
  },
  promotion_amounts_mismatch: {
    kind: 'unprocessable',
    title: 'Promotions do not add up to the discount',
    description:
      'A sale line lists `promotions` whose amounts do not add up to its `discount`; `lines` lists each ' +
      'such line with `discount` and `promotions` (their sum).',
  },
} as const satisfies Record<string, ErrorEntry>;
