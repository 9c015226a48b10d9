import type { KitComponent } from '../catalog/catalog.decide.js';
import type { Channel } from './channel.decide.js';
import { kitUnits } from './kit.decide.js';
import type { StockBalance } from './stock.decide.js';

export type ChannelBalance = Pick<StockBalance, 'sku' | 'locationId' | 'onHand' | 'reserved'>;

export interface LocationUnits {
  locationId: string;
  available: number;
}

/**
 * What a channel can promise of one stock SKU: at each of its locations, on-hand − reserved − the channel's
 * safety stock, never below zero (a location sold into the negative by a store sale owes nothing to the
 * others), summed. Locations outside the channel do not count. Reservations use the same figures.
 */
export function stockUnits(
  sku: string,
  balances: readonly ChannelBalance[],
  channel: Pick<Channel, 'locations' | 'safetyStock'>,
): { available: number; locations: LocationUnits[] } {
  const locations = channel.locations.map((locationId) => {
    const balance = balances.find((each) => each.sku === sku && each.locationId === locationId);
    const units = balance ? balance.onHand - balance.reserved - channel.safetyStock : 0;
    return { locationId, available: Math.max(0, units) };
  });
  return { available: locations.reduce((sum, each) => sum + each.available, 0), locations };
}

/**
 * A kit's units for a channel: the minimum over its components of floor(component units / units per kit).
 * A reservation may take each component from another location, so the components' channel totals count,
 * not what any single location could assemble.
 */
export function kitChannelUnits(
  components: readonly KitComponent[],
  balances: readonly ChannelBalance[],
  channel: Pick<Channel, 'locations' | 'safetyStock'>,
): { available: number; components: Array<KitComponent & { available: number }> } {
  const perComponent = components.map((component) => ({
    ...component,
    available: stockUnits(component.sku, balances, channel).available,
  }));
  const unitsOf = new Map(perComponent.map((component) => [component.sku, component.available]));
  return {
    available: kitUnits(components, (sku) => unitsOf.get(sku) ?? 0),
    components: perComponent,
  };
}
