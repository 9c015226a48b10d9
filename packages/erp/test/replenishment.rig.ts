import { type HarnessDialect, uniqueName } from '@tillstream/kernel/testing';
import { S1, S2, startedErp, W1 } from './started-erp.js';

export { pgUrl } from './started-erp.js';

/**
 * ERP on a real database of the dialect with a warehouse W1 and stores S1 and S2, and the calls the
 * replenishment suites make. Call inside a describe: it starts ERP before the suite and closes it after.
 */
export function replenishmentRig(dialect: HarnessDialect) {
  const { erp, call, ok, receive, storeSale } = startedErp(dialect, {
    holdSweepIntervalMs: 60_000,
    locations: [W1, S1, S2],
  });
  const product = async (extra: object = {}) => {
    const sku = uniqueName('RP-SKU');
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 900, currency: 'EUR' }, ...extra });
    return sku;
  };
  const policy = (sku: string, locationId: string, body: object) =>
    ok('PUT', `/inventory/${sku}/reorder-policies/${locationId}`, body);
  /** The suggestion for the SKU at the location, or undefined when none is listed. */
  const suggestion = async (sku: string, locationId: string) => {
    const page = await ok('GET', `/replenishment?locationId=${locationId}&limit=500`);
    return (page.items as any[]).find((item) => item.sku === sku);
  };
  /**
   * A purchase order of the lines for the location from the supplier (acme unless told), left a draft unless
   * `submit`.
   */
  const purchaseOrder = async (
    locationId: string,
    lines: Array<{ sku: string; quantity: number; unitCost: number }>,
    submit = true,
    supplier: { id: string; name?: string } = { id: 'acme' },
  ) => {
    const id = uniqueName('po');
    await ok('POST', '/purchase-orders', {
      id,
      supplier,
      locationId,
      currency: 'EUR',
      lines,
    });
    // A second apart: the latest order placed is told by when it was submitted.
    erp().clock.advance(1_000);
    if (submit) await ok('POST', `/purchase-orders/${id}/submit`);
    return id;
  };

  /** A location of its own for a test, so what it raises or lists is its alone. */
  const location = async () => {
    const locationId = uniqueName('LOC');
    await ok('PUT', `/locations/${locationId}`, { name: locationId, kind: 'store' });
    return locationId;
  };

  return {
    call,
    ok,
    product,
    receive,
    policy,
    suggestion,
    storeSale,
    purchaseOrder,
    location,
    erpOf: erp,
  };
}
