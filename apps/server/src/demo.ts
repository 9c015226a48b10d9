import type { HttpApp } from '@tillstream/kernel';

/** Code, name, shelf price, weight packed for delivery in grams, variants. */
const CATEGORIES: Array<[string, string, number, number, string[]]> = [
  ['TEE', 'T-shirt', 1999, 250, ['White', 'Black', 'Navy', 'Heather grey', 'Forest green']],
  ['HOOD', 'Hoodie', 4999, 750, ['Black', 'Charcoal', 'Sand', 'Burgundy', 'Olive']],
  ['JEAN', 'Slim jeans', 6999, 800, ['Indigo 30', 'Indigo 32', 'Indigo 34', 'Black 32', 'Black 34']],
  ['SOCK', 'Merino socks', 1299, 100, ['Grey', 'Navy', 'Black', 'Striped', 'Red']],
  ['CAP', 'Baseball cap', 2499, 200, ['Black', 'Navy', 'Khaki', 'White', 'Camo']],
  ['BAG', 'Canvas tote', 2999, 350, ['Natural', 'Black', 'Navy', 'Olive', 'Rust']],
  ['SCRF', 'Wool scarf', 3499, 300, ['Grey', 'Camel', 'Navy', 'Red', 'Check']],
  ['BELT', 'Leather belt', 3999, 350, ['Brown 85', 'Brown 95', 'Black 85', 'Black 95', 'Tan 90']],
  ['BTL', 'Steel bottle', 2199, 450, ['Silver', 'Black', 'Sage', 'Blue', 'Coral']],
  ['MUG', 'Stoneware mug', 1499, 550, ['Cream', 'Slate', 'Terracotta', 'Moss', 'Sky']],
];

/** What the demo chain paid its suppliers, as a share of the shelf price (a markup of about 2.2). */
const DEMO_COST_SHARE = 0.45;

export const DEMO_LOCATIONS = [
  { id: 'store-amsterdam', name: 'Amsterdam Kalverstraat', kind: 'store' },
  { id: 'store-utrecht', name: 'Utrecht Oudegracht', kind: 'store' },
  { id: 'wh-tilburg', name: 'Tilburg distribution centre', kind: 'warehouse' },
] as const;

/**
 * How the web shop delivers, priced by parcel weight as Dutch carriers price it: standard to the Netherlands and
 * Belgium (4.95, 6.95 from 2 kg, up to a carrier's 23 kg), free from 50 euros of goods (after promotions); and
 * next-day in the Netherlands (9.95, 12.95 from 5 kg, up to 10 kg); and free collection at the Amsterdam store
 * (click and collect: checkout holds the goods on its shelves). Delivery takes the VAT of the goods it
 * brings (the high rate, included in the charge), since every demo product is at that rate.
 */
const DEMO_SHIPPING_METHODS = {
  standard: {
    name: 'Standard delivery, 2–3 working days',
    channels: ['web'],
    countries: ['NL', 'BE'],
    rates: [
      {
        currency: 'EUR',
        amount: 495,
        freeFrom: 5000,
        byWeight: [{ fromGrams: 2000, amount: 695 }],
        maxGrams: 23_000,
      },
    ],
    taxCategory: 'standard',
  },
  express: {
    name: 'Next-day delivery',
    channels: ['web'],
    countries: ['NL'],
    rates: [
      { currency: 'EUR', amount: 995, byWeight: [{ fromGrams: 5000, amount: 1295 }], maxGrams: 10_000 },
    ],
    taxCategory: 'standard',
  },
  'collect-amsterdam': {
    name: 'Collect in store: Amsterdam Kalverstraat',
    channels: ['web'],
    pickup: {
      locationId: 'store-amsterdam',
      address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
    },
    rates: [{ currency: 'EUR', amount: 0 }],
    taxCategory: 'standard',
  },
};

/**
 * Seeds a small, believable chain through the public API (so it exercises validation, outbox and events like
 * any client would): two stores, a warehouse, Dutch VAT, two web delivery methods and a collection in store, 50
 * SKUs with stock.
 * Idempotent: a second run changes nothing.
 */
export async function seedDemo(app: HttpApp, adminKey: string): Promise<{ skus: number }> {
  /** `done`: a problem code that means the request was made before, in another form (see the receipts). */
  const call = async (method: 'PUT' | 'POST', url: string, payload: object, done?: string) => {
    const response = await app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${adminKey}` },
    });
    if (response.statusCode < 300) return;
    if (done !== undefined && (JSON.parse(response.body) as { code?: string }).code === done) return;
    throw new Error(`demo seed ${method} ${url}: ${response.statusCode} ${response.body}`);
  };
  for (const location of DEMO_LOCATIONS) {
    // Dutch shops keep Dutch time: a store's daily report counts Amsterdam's days. They round cash to 5 cents,
    // as Dutch shops do since the 1- and 2-cent coins left circulation.
    await call('PUT', `/erp/v1/locations/${location.id}`, {
      name: location.name,
      kind: location.kind,
      timeZone: 'Europe/Amsterdam',
      ...(location.kind === 'store' ? { cashRoundingIncrement: 5 } : {}),
    });
  }
  // Dutch shelf prices include VAT: the books take the 21 % out of revenue as tax owed.
  await call('PUT', '/erp/v1/tax-rates/nl-vat-high', {
    name: 'Dutch VAT, high rate (included in prices)',
    taxCategory: 'standard',
    ratePpm: 210_000,
    inclusive: true,
  });
  for (const [id, method] of Object.entries(DEMO_SHIPPING_METHODS))
    await call('PUT', `/erp/v1/shipping-methods/${id}`, method);
  let skus = 0;
  for (const [code, name, price, weightGrams, variants] of CATEGORIES) {
    for (const [index, variant] of variants.entries()) {
      const sku = `${code}-${String(index + 1).padStart(3, '0')}`;
      await call('PUT', `/erp/v1/products/${sku}`, {
        name: `${name}, ${variant}`,
        price: { amount: price, currency: 'EUR' },
      });
      await call('PUT', `/erp/v1/product-pricing/${sku}`, {
        taxCategory: 'standard',
        categories: [],
        weightGrams,
      });
      const quantities = [40 + ((index * 7) % 25), 12 + ((index * 5) % 9), 3 + ((index * 3) % 6)];
      for (const [position, location] of [
        DEMO_LOCATIONS[2],
        DEMO_LOCATIONS[0],
        DEMO_LOCATIONS[1],
      ].entries()) {
        // A data dir seeded before receipts took a cost has this receipt without one: it is in, so it is done.
        await call(
          'POST',
          '/erp/v1/inventory/adjustments',
          {
            id: `demo-receipt-${sku}-${location.id}`,
            sku,
            locationId: location.id,
            delta: quantities[position],
            reason: 'received',
            occurredAt: '2026-01-05T08:00:00Z',
            // Bought in at a retailer's usual margin, so ERP values the stock and costs what is sold.
            unitCost: Math.round(price * DEMO_COST_SHARE),
          },
          'adjustment_id_conflict',
        );
      }
      skus += 1;
    }
  }
  return { skus };
}
