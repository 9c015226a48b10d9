import type { ErpLookup, KnownLocation, KnownProduct } from '@tillstream/pos';
import type { PricingSnapshot } from '@tillstream/contracts';
import { unavailable } from '@tillstream/kernel';

/** Sends a GET to ERP and answers the status and JSON body; embedded uses in-process inject, scale-out HTTP. */
export type ErpGet = (path: string) => Promise<{ status: number; body: unknown }>;

export function httpErpGet(baseUrl: string, apiKey: () => string, timeoutMs: number): ErpGet {
  return async (path) => {
    const response = await fetch(new URL(path, baseUrl), {
      headers: { authorization: `Bearer ${apiKey()}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: response.status === 200 ? await response.json() : null };
  };
}

/**
 * POS's synchronous view of ERP. A 404 is a real "unknown"; anything else unexpected (timeout, 5xx) fails the
 * sale with 503 so the terminal retries, instead of wrongly calling a real SKU unknown.
 */
export function createErpLookup(get: ErpGet): ErpLookup {
  const fetchOrNull = async <T>(path: string): Promise<T | null> => {
    let response: { status: number; body: unknown };
    try {
      response = await get(path);
    } catch {
      throw unavailable('service_unavailable', 'ERP did not answer in time', { retryAfterSeconds: 1 });
    }
    if (response.status === 404) return null;
    if (response.status !== 200) throw unavailable('service_unavailable', `ERP answered ${response.status}`);
    return response.body as T;
  };
  return {
    location: (locationId) =>
      fetchOrNull<KnownLocation>(`/erp/v1/locations/${encodeURIComponent(locationId)}`),
    product: (sku) => fetchOrNull<KnownProduct>(`/erp/v1/products/${encodeURIComponent(sku)}`),
    pricingSnapshot: () => fetchOrNull<PricingSnapshot>('/erp/v1/pricing/snapshot'),
  };
}
