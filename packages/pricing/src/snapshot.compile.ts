import type {
  PriceList,
  PricingSnapshot,
  Promotion,
  PromotionEffect,
  ShippingMethod,
  SnapshotProduct,
  TaxRate,
} from '@tillstream/contracts';
import { compileSchedule, compileWindow, type CompiledSchedule, type Window } from './time-window.js';

/** Who a price list or promotion is for, as sets; null matches anyone. */
export interface CompiledAudience {
  enabled: boolean;
  channels: ReadonlySet<string> | null;
  storeIds: ReadonlySet<string> | null;
  customerGroups: ReadonlySet<string> | null;
  window: Window;
}

export interface CompiledPriceList extends CompiledAudience {
  definition: PriceList;
  id: string;
  version: number;
  priority: number;
  currency: string;
  /** Tiers of one SKU, largest `minQuantity` first. */
  tiers: ReadonlyMap<string, ReadonlyArray<{ minQuantity: number; amount: number }>>;
}

/**
 * An effect with every field present (0 or empty where its type has none): the hot loop then reads objects of
 * one shape only, which keeps V8's property access fast.
 */
export interface CompiledEffect {
  type: PromotionEffect['type'];
  basisPoints: number;
  amount: number;
  buyQuantity: number;
  getQuantity: number;
  maxApplications: number;
  items: ReadonlyArray<{ sku: string; quantity: number }>;
  /** Buy X get Y: the lines the Y units are given from, when not the ones bought. */
  getTarget: CompiledLineSet | null;
  /** Free shipping: the delivery methods it waives; null for any. */
  methodIds: ReadonlySet<string> | null;
}

/** Lines by SKU or by any of the product's categories; a null member matches nothing by itself. */
export interface CompiledLineSet {
  skus: ReadonlySet<string> | null;
  categories: ReadonlySet<string> | null;
}

export interface CompiledPromotion extends CompiledAudience {
  definition: Promotion;
  id: string;
  version: number;
  name: string;
  priority: number;
  exclusive: boolean;
  exclusiveGroup: string | null;
  currency: string | null;
  minSubtotal: number | null;
  /** Limited per customer: applies only to a known customer. */
  perCustomer: boolean;
  effect: CompiledEffect;
  /** Upper-cased; null for an automatic promotion. */
  codes: ReadonlySet<string> | null;
  schedule: CompiledSchedule | null;
  targetSkus: ReadonlySet<string> | null;
  targetCategories: ReadonlySet<string> | null;
  /** For a bundle, the SKUs it is made of: only their lines qualify. */
  bundleSkus: ReadonlySet<string> | null;
  limited: boolean;
}

/** Price lists, promotions and tax rates indexed for quoting; built once per version, reused for every quote. */
export interface CompiledRules {
  /** Per SKU, the price lists that price it, highest priority first, then by id. */
  priceListsBySku: ReadonlyMap<string, readonly CompiledPriceList[]>;
  /** Promotions on the lines, in stacking order: highest priority first, then by id. */
  promotions: readonly CompiledPromotion[];
  /** `free_shipping` promotions, in stacking order: tried after the lines' (`applyPromotions`). */
  shippingPromotions: readonly CompiledPromotion[];
  promotionsByCode: ReadonlyMap<string, CompiledPromotion>;
  /**
   * Which promotions a cart can touch at all, by position in `promotions`: the ones that target nothing in
   * particular, and per SKU and per category the ones that target it. A quote only tries those.
   */
  promotionIndex: {
    everyCart: readonly number[];
    bySku: ReadonlyMap<string, readonly number[]>;
    byCategory: ReadonlyMap<string, readonly number[]>;
  };
  /** Keyed `taxCategory@locationId`, or `taxCategory@*` for the rate that applies everywhere. */
  taxRates: ReadonlyMap<string, TaxRate>;
  /** Delivery methods by id, disabled ones included (a quote refuses them by name). */
  shippingMethods: ReadonlyMap<string, ShippingMethod>;
}

/** Everything a quote reads. `version` is the snapshot's, or null for live data. */
export interface CompiledPricing extends CompiledRules {
  version: number | null;
  products: ReadonlyMap<string, SnapshotProduct>;
  /**
   * Promotions the snapshot says are used up in total: every quote on it skips them, so a till or a
   * storefront pricing offline leaves them out as ERP's own quotes do. Empty for live data (ERP passes what
   * it reads per quote instead).
   */
  exhausted: ReadonlySet<string>;
}

const setOf = (values: readonly string[] | undefined) => (values ? new Set(values) : null);
const byPriorityThenId = (left: { priority: number; id: string }, right: { priority: number; id: string }) =>
  right.priority - left.priority || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);

function audienceOf(definition: PriceList | Promotion): CompiledAudience {
  return {
    enabled: definition.enabled !== false,
    channels: setOf(definition.channels),
    storeIds: setOf(definition.storeIds),
    customerGroups: setOf(definition.customerGroups),
    window: compileWindow(definition.startsAt, definition.endsAt),
  };
}

function compileEffect(effect: PromotionEffect): CompiledEffect {
  return {
    type: effect.type,
    basisPoints: 'basisPoints' in effect ? effect.basisPoints : 0,
    amount: 'amount' in effect ? effect.amount : 0,
    buyQuantity: effect.type === 'buy_x_get_y' ? effect.buyQuantity : 0,
    getQuantity: effect.type === 'buy_x_get_y' ? effect.getQuantity : 0,
    maxApplications:
      (effect.type === 'buy_x_get_y' || effect.type === 'bundle_price'
        ? effect.maxApplications
        : undefined) ?? Infinity,
    items: effect.type === 'bundle_price' ? effect.items : [],
    getTarget:
      effect.type === 'buy_x_get_y' && effect.getTarget
        ? { skus: setOf(effect.getTarget.skus), categories: setOf(effect.getTarget.categories) }
        : null,
    methodIds: effect.type === 'free_shipping' ? setOf(effect.methodIds) : null,
  };
}

function compilePromotion(definition: Promotion): CompiledPromotion {
  const { effect } = definition;
  return {
    ...audienceOf(definition),
    definition,
    id: definition.id,
    version: definition.version,
    name: definition.name,
    priority: definition.priority,
    exclusive: definition.stacking === 'exclusive',
    exclusiveGroup: definition.exclusiveGroup ?? null,
    currency: definition.currency ?? null,
    minSubtotal: definition.minSubtotal ?? null,
    perCustomer: definition.limits?.perCustomer !== undefined,
    effect: compileEffect(effect),
    codes: definition.couponCodes ? new Set(definition.couponCodes.map(normalizeCode)) : null,
    schedule: definition.schedule ? compileSchedule(definition.schedule) : null,
    targetSkus: setOf(definition.target?.skus),
    targetCategories: setOf(definition.target?.categories),
    bundleSkus: effect.type === 'bundle_price' ? new Set(effect.items.map((item) => item.sku)) : null,
    limited: Boolean(definition.limits?.totalUses ?? definition.limits?.perCustomer),
  };
}

function indexPromotions(promotions: readonly CompiledPromotion[]): CompiledRules['promotionIndex'] {
  const everyCart: number[] = [];
  const bySku = new Map<string, number[]>();
  const byCategory = new Map<string, number[]>();
  const add = (index: Map<string, number[]>, key: string, position: number) =>
    index.set(key, [...(index.get(key) ?? []), position]);
  promotions.forEach((promotion, position) => {
    const skus = promotion.targetSkus ?? (promotion.targetCategories ? null : promotion.bundleSkus);
    if (!skus && !promotion.targetCategories) everyCart.push(position);
    for (const sku of skus ?? []) add(bySku, sku, position);
    for (const category of promotion.targetCategories ?? []) add(byCategory, category, position);
  });
  return { everyCart, bySku, byCategory };
}

export const normalizeCode = (code: string) => code.toUpperCase();
export const taxRateKey = (taxCategory: string, locationId: string | null | undefined) =>
  `${taxCategory}@${locationId ?? '*'}`;

export function compileRules(rules: {
  priceLists: readonly PriceList[];
  promotions: readonly Promotion[];
  taxRates: readonly TaxRate[];
  shippingMethods?: readonly ShippingMethod[];
}): CompiledRules {
  const priceListsBySku = new Map<string, CompiledPriceList[]>();
  for (const definition of rules.priceLists) {
    const tiers = new Map<string, Array<{ minQuantity: number; amount: number }>>();
    for (const price of definition.prices) {
      const list = tiers.get(price.sku) ?? [];
      list.push({ minQuantity: price.minQuantity ?? 1, amount: price.amount });
      tiers.set(price.sku, list);
    }
    for (const list of tiers.values()) list.sort((left, right) => right.minQuantity - left.minQuantity);
    const compiled: CompiledPriceList = {
      ...audienceOf(definition),
      definition,
      id: definition.id,
      version: definition.version,
      priority: definition.priority,
      currency: definition.currency,
      tiers,
    };
    if (!compiled.enabled) continue;
    for (const sku of tiers.keys()) priceListsBySku.set(sku, [...(priceListsBySku.get(sku) ?? []), compiled]);
  }
  for (const lists of priceListsBySku.values()) lists.sort(byPriorityThenId);

  const enabled = rules.promotions
    .map(compilePromotion)
    .filter((promotion) => promotion.enabled)
    .sort(byPriorityThenId);
  const promotions = enabled.filter((promotion) => promotion.effect.type !== 'free_shipping');
  const shippingPromotions = enabled.filter((promotion) => promotion.effect.type === 'free_shipping');
  const promotionIndex = indexPromotions(promotions);
  const promotionsByCode = new Map<string, CompiledPromotion>();
  for (const promotion of enabled) {
    for (const code of promotion.codes ?? []) promotionsByCode.set(code, promotion);
  }

  const taxRates = new Map<string, TaxRate>();
  for (const rate of rules.taxRates) taxRates.set(taxRateKey(rate.taxCategory, rate.locationId), rate);
  const shippingMethods = new Map((rules.shippingMethods ?? []).map((method) => [method.id, method]));
  return {
    priceListsBySku,
    promotions,
    shippingPromotions,
    promotionsByCode,
    promotionIndex,
    taxRates,
    shippingMethods,
  };
}

const NOTHING_EXHAUSTED: ReadonlySet<string> = new Set();

export function withProducts(
  rules: CompiledRules,
  products: Iterable<SnapshotProduct>,
  version: number | null,
  exhausted: ReadonlySet<string> = NOTHING_EXHAUSTED,
): CompiledPricing {
  const bySku = new Map<string, SnapshotProduct>();
  for (const product of products) bySku.set(product.sku, product);
  // Built field by field, not spread: a quote reads these objects on its hot path, so they keep one shape.
  return {
    priceListsBySku: rules.priceListsBySku,
    promotions: rules.promotions,
    shippingPromotions: rules.shippingPromotions,
    promotionsByCode: rules.promotionsByCode,
    promotionIndex: rules.promotionIndex,
    taxRates: rules.taxRates,
    shippingMethods: rules.shippingMethods,
    products: bySku,
    version,
    exhausted,
  };
}

/** What a terminal does with the snapshot it downloaded: compile once, then quote offline. */
export function compileSnapshot(snapshot: PricingSnapshot): CompiledPricing {
  const exhausted = snapshot.exhaustedPromotionIds?.length
    ? new Set(snapshot.exhaustedPromotionIds)
    : NOTHING_EXHAUSTED;
  return withProducts(compileRules(snapshot), snapshot.products, snapshot.version, exhausted);
}
