/** Where a channel sells from and what it keeps back at each location, as ERP's events describe it. */
export interface ChannelConfig {
  locations: readonly string[];
  /** Units kept back at every location of the channel. */
  safetyStock: number;
}

export interface KnownLocation {
  locationId: string;
  kind: string;
}

export interface KitComponent {
  sku: string;
  quantity: number;
}

/**
 * The channel as it runs: its configuration from `erp.channel.updated`, or, for a channel nobody configured,
 * the default the event's contract documents (every warehouse in location-id order, no safety stock).
 */
export function resolveChannel(
  configured: ChannelConfig | null,
  locations: readonly KnownLocation[],
): ChannelConfig {
  if (configured) return configured;
  const warehouses = locations
    .filter((location) => location.kind === 'warehouse')
    .map((location) => location.locationId)
    .sort();
  return { locations: warehouses, safetyStock: 0 };
}

/**
 * Units of one stock SKU the channel can promise: at each channel location on-hand − reserved (ERP's
 * `available`) − safety stock, never below zero, summed. A location sold into the negative by a store sale
 * owes nothing to the others, and locations outside the channel do not count.
 *
 * @param levels on-hand − reserved per location id.
 */
export function stockAvailable(
  levels: ReadonlyMap<string, number> | undefined,
  channel: ChannelConfig,
): number {
  if (!levels) return 0;
  let total = 0;
  for (const locationId of channel.locations) {
    const units = (levels.get(locationId) ?? 0) - channel.safetyStock;
    if (units > 0) total += units;
  }
  return total;
}

/**
 * A kit has no stock of its own: it is available as often as every component covers its quantity, the
 * minimum over components of floor(component units / units per kit). A kit without components makes none.
 */
export function kitAvailable(components: readonly KitComponent[], unitsOf: (sku: string) => number): number {
  if (components.length === 0) return 0;
  let kits = Infinity;
  for (const component of components)
    kits = Math.min(kits, Math.floor(unitsOf(component.sku) / component.quantity));
  return Math.max(0, kits);
}

/**
 * Units of a product a shopper could collect at one location: what a checkout hold there may take, on-hand −
 * reserved − the channel's safety stock (ERP's rule for a hold at a named location), through its components for
 * a kit. The location need not be one the channel sells from: a collection is held at its store whatever the
 * channel's locations.
 */
export function availableAt(
  product: { sku: string; kind: string; components: readonly KitComponent[] | null },
  levelsOf: (sku: string) => ReadonlyMap<string, number> | undefined,
  locationId: string,
  safetyStock: number,
): number {
  const there = { locations: [locationId], safetyStock };
  const unitsOf = (sku: string) => stockAvailable(levelsOf(sku), there);
  return product.kind === 'kit' ? kitAvailable(product.components ?? [], unitsOf) : unitsOf(product.sku);
}
