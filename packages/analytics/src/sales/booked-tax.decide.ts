import type { SalesTaxBookedV1Data } from '@tillstream/contracts';
import { quarterHourKey } from './buckets.decide.js';
import { NO_FIGURES, STORE_CHANNEL, type SalesEffect } from './sales.decide.js';
import { bookedTaxRates } from './tax-rates.decide.js';

/**
 * The tax ERP's journal booked inside a store document's prices, added to the document's own bucket: its
 * store, currency and quarter hour by the document's business time, the bucket its POS event counts in. Only
 * the included part: the POS event states the tax added on top, and counts it. Sums only add, so the POS event
 * and this one count the same whichever arrives first. Analytics computes no tax: it takes ERP's figure,
 * and ERP's split of it per rate.
 */
export function bookedTaxEffect(booked: SalesTaxBookedV1Data): SalesEffect {
  return {
    key: {
      quarterHour: quarterHourKey(booked.occurredAt),
      channel: STORE_CHANNEL,
      locationId: booked.storeId,
      currency: booked.currency,
    },
    figures:
      booked.kind === 'sale'
        ? { ...NO_FIGURES, tax: booked.included }
        : { ...NO_FIGURES, returnsTax: booked.included },
    products: [],
    promotions: [],
    taxRates: bookedTaxRates(booked),
  };
}
