import { startPlatform, type TestPlatform } from './platform.js';
import type { EngineName } from './engines.js';
import { v7 as uuidv7 } from 'uuid';
import { uniqueName } from '@tillstream/kernel/testing';

/** The body of a 2xx answer, or an error naming what failed. */
export const ok = (response: { status: number; body: unknown }, what: string) => {
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as any;
};

/**
 * A platform with standard VAT at 21 %, inclusive. Two ERP processes on scale-out: usage limits and snapshot
 * versions must hold across processes, not just inside one.
 */
export async function startPricingPlatform(engine: EngineName): Promise<TestPlatform> {
  const platform = await startPlatform(engine, engine === 'scale-out' ? { instances: { erp: 2 } } : {});
  ok(
    await platform.request('PUT', '/erp/v1/tax-rates/vat-standard', {
      name: 'VAT 21 %',
      taxCategory: 'standard',
      ratePpm: 210_000,
      inclusive: true,
    }),
    'tax rate',
  );
  return platform;
}

/** A store's own tax rate for standard goods: `inclusive` inside its prices (VAT), else added on top. */
export async function putStoreTaxRate(
  platform: TestPlatform,
  storeId: string,
  rate: { ratePpm: number; inclusive: boolean },
) {
  return ok(
    await platform.request('PUT', `/erp/v1/tax-rates/${uniqueName(`${storeId}-tax`)}`, {
      name: `${rate.inclusive ? 'VAT' : 'Sales tax'} ${rate.ratePpm / 10_000} %`,
      taxCategory: 'standard',
      locationId: storeId,
      ...rate,
    }),
    'tax rate',
  );
}

/** A store, and products with their own prices and a category unique to the test. */
export async function seedPriced<Name extends string>(platform: TestPlatform, prices: Record<Name, number>) {
  const storeId = uniqueName('store');
  ok(
    await platform.request('PUT', `/erp/v1/locations/${storeId}`, { name: 'Store', kind: 'store' }),
    'store',
  );
  const category = uniqueName('cat');
  const skus = {} as Record<Name, string>;
  for (const [name, amount] of Object.entries(prices) as Array<[Name, number]>) {
    const sku = uniqueName(name);
    skus[name] = sku;
    ok(
      await platform.request('PUT', `/erp/v1/products/${sku}`, {
        name,
        price: { amount, currency: 'EUR' },
      }),
      'product',
    );
  }
  return { storeId, category, skus };
}

/** A promotion taking `basisPoints` off with `code`, limited to `totalUses`; its id is `<code>-promo`. */
export async function limitedCoupon(platform: TestPlatform, totalUses: number, basisPoints = 5000) {
  const code = uniqueName('ONCE');
  const promotionId = `${code}-promo`;
  ok(
    await platform.request('PUT', `/erp/v1/promotions/${promotionId}`, {
      name: 'Limited coupon',
      priority: 0,
      stacking: 'stackable',
      couponCodes: [code],
      limits: { totalUses },
      effect: { type: 'percent_off_lines', basisPoints },
    }),
    'promotion',
  );
  return { code, promotionId };
}

export const usageOf = async (platform: TestPlatform, promotionId: string) =>
  (await platform.request('GET', `/erp/v1/promotions/${promotionId}/usage`)).body.used as number;

/** A store sale of `lines` at `storeId` (from a till of that store), paid in full by card, naming `pricing`. */
export const storeSale = (
  storeId: string,
  lines: Array<{
    sku: string;
    quantity: number;
    unitPrice: number;
    discount?: number;
    tax?: { ratePpm: number; amount: number };
    includedTax?: { ratePpm: number; amount: number };
  }>,
  pricing: Record<string, unknown>,
) => ({
  id: uuidv7(),
  storeId,
  terminalId: `${storeId}-till`,
  occurredAt: new Date().toISOString(),
  currency: 'EUR',
  lines,
  payments: [
    {
      method: 'card',
      amount: lines.reduce(
        (sum, line) => sum + line.quantity * line.unitPrice - (line.discount ?? 0) + (line.tax?.amount ?? 0),
        0,
      ),
    },
  ],
  pricing,
});

/** Posts a store sale to POS; anything but 201 fails the test with the answer. */
export async function postSale(platform: TestPlatform, body: ReturnType<typeof storeSale>) {
  const posted = await platform.request('POST', '/pos/v1/sales', body);
  if (posted.status !== 201) throw new Error(`store sale: ${posted.status} ${JSON.stringify(posted.body)}`);
}

/** The open price mismatches ERP raised of a sale. */
export const mismatchesOf = async (platform: TestPlatform, saleId: string) =>
  (await platform.request('GET', `/erp/v1/price-mismatches?saleId=${saleId}`)).body.mismatches as any[];
