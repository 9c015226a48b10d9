export type { PricingSnapshot, Quote, QuoteLine, QuoteRequest, QuoteShipping } from '@tillstream/contracts';
export { cartShippingOptions, quote, type PricingInput } from './quote.engine.js';
export {
  compileRules,
  compileSnapshot,
  normalizeCode,
  withProducts,
  type CompiledPricing,
  type CompiledRules,
} from './snapshot.compile.js';
export { PricingError, isPricingError } from './pricing.error.js';
export { allocate, mulDivRound, shareOf } from './rounding.js';
export {
  refundParts,
  refundShares,
  type RatedPart,
  type RefundParts,
  type RefundStep,
} from './refund-split.js';
export { addedTaxOf, includedTaxOf, taxRateFor } from './tax.rules.js';
export { cashRoundingOf, roundToIncrement } from './cash-rounding.js';
export { applySnapshotDelta, diffSnapshots, inSnapshotOrder } from './snapshot.delta.js';
export {
  offersShipping,
  pickupPointOf,
  pickupPoints,
  postcodeKey,
  quoteShipping,
  shippingOptions,
  type Destination,
  type OfferedPickup,
  type ShippingBuyer,
} from './shipping.rules.js';
