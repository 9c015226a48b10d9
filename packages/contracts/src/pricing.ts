/**
 * The published language of pricing: price lists, promotions, tax rates, and the quote every channel gets back
 * (the versioned snapshot terminals price with offline is in pricing-snapshot.ts, shipping methods in
 * shipping.ts). The engine that reads them is @tillstream/pricing.
 *
 * The schemas live by what they describe: shared ids in pricing-common.ts, price lists, tax rates and product
 * pricing in pricing-catalog.ts, promotions in pricing-promotions.ts, quotes in pricing-quote.ts. This file
 * publishes them as one module; pricing-common.ts's building blocks (amounts, priorities, audience) stay inside.
 */
export { Channel, CouponCode, Filter, PricingId } from './pricing-common.js';
export * from './pricing-catalog.js';
export * from './pricing-promotions.js';
export * from './pricing-quote.js';
