import type { Product } from '../catalog/catalog.decide.js';
import { kitUnits } from './kit.decide.js';
import { availableOf, emptyBalance, type StockBalance } from './stock.decide.js';

export const balanceView = (balance: StockBalance) => ({
  locationId: balance.locationId,
  onHand: balance.onHand,
  reserved: balance.reserved,
  available: availableOf(balance),
  inTransit: balance.inTransit,
  damaged: balance.damaged,
  version: balance.version,
});

/**
 * A standard product's stock per location and in total, with `onOrder`: units open purchase orders still owe
 * each location. A location with units on order but no stock yet shows zeros beside them.
 */
export function stockView(
  sku: string,
  balances: readonly StockBalance[],
  onOrder: ReadonlyMap<string, number>,
) {
  // Locations with stock in the order read, then those with only units on order.
  const stocked = balances.map((balance) => balance.locationId);
  const locationIds = [...stocked, ...[...onOrder.keys()].filter((id) => !stocked.includes(id)).sort()];
  const locations = locationIds.map((locationId) => ({
    ...balanceView(balances.find((b) => b.locationId === locationId) ?? emptyBalance(sku, locationId)),
    onOrder: onOrder.get(locationId) ?? 0,
  }));
  const totals = locations.reduce(
    (sum, row) => ({
      onHand: sum.onHand + row.onHand,
      reserved: sum.reserved + row.reserved,
      available: sum.available + Math.max(0, row.available),
      inTransit: sum.inTransit + row.inTransit,
      damaged: sum.damaged + row.damaged,
      onOrder: sum.onOrder + row.onOrder,
    }),
    { onHand: 0, reserved: 0, available: 0, inTransit: 0, damaged: 0, onOrder: 0 },
  );
  return { sku, kind: 'standard', locations, totals };
}

/**
 * A kit has no stock: per location it shows the kit units its components there make (on-hand, available,
 * in-transit), with `reserved` the units the components' holds take out. Kits may be reserved from
 * components at several locations, so the total available is the minimum over components of their totals,
 * not the sum of the per-location figures.
 */
export function kitView(kit: Product, balances: readonly StockBalance[]) {
  const locations = [...new Set(balances.map((balance) => balance.locationId))].map((locationId) => {
    const at = (sku: string) => balances.find((b) => b.sku === sku && b.locationId === locationId);
    const units = (figure: (balance: StockBalance) => number) =>
      kitUnits(kit.components, (sku) => {
        const balance = at(sku);
        return balance ? figure(balance) : 0;
      });
    const onHand = units((balance) => balance.onHand);
    const available = units((balance) => availableOf(balance));
    return {
      locationId,
      onHand,
      reserved: onHand - available,
      available,
      inTransit: units((balance) => balance.inTransit),
      damaged: 0,
      version: balances
        .filter((balance) => balance.locationId === locationId)
        .reduce((sum, balance) => sum + balance.version, 0),
    };
  });
  const total = (figure: (balance: StockBalance) => number) =>
    kitUnits(kit.components, (sku) =>
      balances
        .filter((balance) => balance.sku === sku)
        .reduce((sum, balance) => sum + Math.max(0, figure(balance)), 0),
    );
  const onHand = total((balance) => balance.onHand);
  const available = total((balance) => availableOf(balance));
  return {
    sku: kit.sku,
    kind: kit.kind,
    components: kit.components,
    locations,
    totals: {
      onHand,
      reserved: onHand - available,
      available,
      inTransit: total((balance) => balance.inTransit),
      damaged: 0,
    },
  };
}
