import type {
  PriceList,
  PricingSnapshot,
  Promotion,
  QuoteRequest,
  SnapshotProduct,
  TaxRate,
} from '@tillstream/contracts';

/**
 * The pricing benchmark's world, the same in process and over HTTP: 200 products in 10 categories, 3 price
 * lists, 50 promotions that are all live for the benchmark's buyer (a member on the web with a coupon), and
 * 5-line carts drawn with a fixed seed so every run prices the same carts.
 */
export interface PricingWorld {
  products: SnapshotProduct[];
  priceLists: PriceList[];
  promotions: Promotion[];
  taxRates: TaxRate[];
  carts: QuoteRequest[];
}

/** Mulberry32: a small seeded generator, so the world does not change between runs. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sku = (index: number) => `BENCH-${String(index).padStart(3, '0')}`;
const PRODUCTS = 200;
const ALL_DAY = {
  timeZone: 'Europe/Amsterdam',
  slots: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }],
};

function promotionOf(index: number): Promotion {
  const base = {
    id: `bench-promo-${String(index).padStart(2, '0')}`,
    version: 1,
    name: `Promotion ${index}`,
  };
  const category = `cat-${index % 10}`;
  const shared = {
    ...base,
    priority: index % 7,
    stacking: 'stackable' as const,
    enabled: true,
    currency: 'EUR',
  };
  switch (index % 10) {
    case 0:
      return {
        ...shared,
        target: { categories: [category] },
        effect: { type: 'percent_off_lines', basisPoints: 500 },
      };
    case 1:
      return {
        ...shared,
        target: { skus: [sku(index), sku(index + 1)] },
        effect: { type: 'amount_off_units', amount: 50 },
      };
    case 2:
      return {
        ...shared,
        target: { categories: [category, `cat-${(index + 3) % 10}`] },
        effect: { type: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, basisPoints: 10_000 },
      };
    case 3:
      return {
        ...shared,
        effect: {
          type: 'bundle_price',
          items: [{ sku: sku(index) }, { sku: sku(index + 7) }].map((item) => ({ ...item, quantity: 1 })),
          amount: 2500,
        },
      };
    case 4:
      return { ...shared, minSubtotal: 5_000, effect: { type: 'percent_off_order', basisPoints: 300 } };
    case 5:
      return {
        ...shared,
        exclusiveGroup: 'spend-tiers',
        minSubtotal: 2_000 * (index % 4),
        effect: { type: 'amount_off_order', amount: 200 },
      };
    case 6:
      return {
        ...shared,
        schedule: ALL_DAY,
        target: { categories: [category] },
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
      };
    case 7:
      return {
        ...shared,
        couponCodes: [`BENCH${index}`],
        effect: { type: 'percent_off_order', basisPoints: 500 },
      };
    case 8:
      return {
        ...shared,
        customerGroups: ['members'],
        target: { categories: [category] },
        effect: { type: 'percent_off_lines', basisPoints: 200 },
      };
    default:
      return {
        ...shared,
        stacking: 'exclusive',
        priority: -1,
        target: { skus: [sku(index)] },
        effect: { type: 'percent_off_lines', basisPoints: 3000 },
      };
  }
}

export function pricingWorld(cartCount = 256): PricingWorld {
  const random = seeded(20_260_610);
  const products: SnapshotProduct[] = Array.from({ length: PRODUCTS }, (_, index) => ({
    sku: sku(index),
    price: { amount: 500 + Math.floor(random() * 5_000), currency: 'EUR' },
    taxCategory: index % 5 === 0 ? 'reduced' : 'standard',
    categories: [`cat-${index % 10}`],
  }));
  const listed = (offset: number, discount: number, tiers: boolean) =>
    products
      .filter((_, index) => index % 2 === offset % 2)
      .flatMap((product) => [
        { sku: product.sku, amount: product.price.amount - discount, minQuantity: 1 },
        ...(tiers ? [{ sku: product.sku, amount: product.price.amount - 2 * discount, minQuantity: 3 }] : []),
      ]);
  const priceLists: PriceList[] = [
    {
      id: 'bench-web',
      version: 1,
      name: 'Web',
      currency: 'EUR',
      priority: 1,
      enabled: true,
      channels: ['web'],
      prices: listed(0, 20, false),
    },
    {
      id: 'bench-members',
      version: 1,
      name: 'Members',
      currency: 'EUR',
      priority: 5,
      enabled: true,
      customerGroups: ['members'],
      prices: listed(1, 40, true),
    },
    {
      id: 'bench-clearance',
      version: 1,
      name: 'Clearance',
      currency: 'EUR',
      priority: 3,
      enabled: true,
      startsAt: '2020-01-01T00:00:00.000Z',
      endsAt: '2100-01-01T00:00:00.000Z',
      prices: listed(0, 100, false).slice(0, 40),
    },
  ];
  const taxRates: TaxRate[] = [
    {
      id: 'bench-standard',
      version: 1,
      name: 'Standard',
      taxCategory: 'standard',
      locationId: null,
      ratePpm: 210_000,
      inclusive: true,
    },
    {
      id: 'bench-reduced',
      version: 1,
      name: 'Reduced',
      taxCategory: 'reduced',
      locationId: null,
      ratePpm: 90_000,
      inclusive: true,
    },
  ];
  const carts: QuoteRequest[] = Array.from({ length: cartCount }, () => ({
    channel: 'web',
    currency: 'EUR',
    customerGroups: ['members'],
    couponCodes: ['BENCH7'],
    lines: Array.from({ length: 5 }, () => ({
      sku: sku(Math.floor(random() * PRODUCTS)),
      quantity: 1 + Math.floor(random() * 3),
    })),
  }));
  return {
    products,
    priceLists,
    promotions: Array.from({ length: 50 }, (_, index) => promotionOf(index)),
    taxRates,
    carts,
  };
}

export function worldSnapshot(world: PricingWorld): PricingSnapshot {
  return {
    version: 1,
    createdAt: '2026-06-10T00:00:00.000Z',
    products: world.products,
    priceLists: world.priceLists,
    promotions: world.promotions,
    taxRates: world.taxRates,
  };
}
