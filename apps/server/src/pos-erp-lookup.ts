import type { ErpLookup, KnownLocation, KnownProduct } from '@tillstream/pos';
import type { PricingSnapshot } from '@tillstream/contracts';
import { unavailable } from '@tillstream/kernel';
import {
  erpSender,
  PRICING_SNAPSHOT_PATH,
  unlessVersion,
  type ErpAnswer,
  type ErpCall,
} from './erp-caller.js';

/**
 * POS's synchronous view of ERP. A 404 is a real "unknown"; anything else unexpected (timeout, 5xx, even a
 * 4xx) fails the sale with 503 so the terminal retries, instead of wrongly calling a real SKU unknown.
 */
export function createErpLookup(call: ErpCall): ErpLookup {
  const { send } = erpSender(call);
  const bodyOrNull = <T>(answer: ErpAnswer): T | null => {
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw unavailable('service_unavailable', `ERP answered ${answer.status}`);
    return answer.body as T;
  };
  return {
    location: async (locationId) =>
      bodyOrNull<KnownLocation>(await send('GET', `/erp/v1/locations/${encodeURIComponent(locationId)}`)),
    product: async (sku) =>
      bodyOrNull<KnownProduct>(await send('GET', `/erp/v1/products/${encodeURIComponent(sku)}`)),
    async pricingSnapshot(knownVersion) {
      const answer = await send('GET', PRICING_SNAPSHOT_PATH, undefined, unlessVersion(knownVersion));
      return answer.status === 304 ? 'unchanged' : bodyOrNull<PricingSnapshot>(answer);
    },
  };
}
