import type { ErpLookup, KnownLocation, KnownProduct } from '@tillstream/pos';
import { unavailable } from '@tillstream/kernel';
import {
  erpSender,
  readPricingSnapshot,
  readSnapshotDelta,
  type ErpAnswer,
  type ErpCall,
} from './erp-caller.js';

/**
 * POS's synchronous view of ERP. A 404 is a real "unknown"; anything else unexpected (timeout, 5xx, even a
 * 4xx) fails the sale with 503 so the terminal retries, instead of wrongly calling a real SKU unknown.
 */
export function createErpLookup(call: ErpCall): ErpLookup {
  const sender = erpSender(call);
  const { send } = sender;
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
    pricingSnapshot: (held) => readPricingSnapshot(sender, held),
    pricingSnapshotDelta: (since) => readSnapshotDelta(sender, since),
  };
}
