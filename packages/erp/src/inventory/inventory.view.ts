import type { Product } from '../catalog/catalog.decide.js';
import { kitUnits } from './kit.decide.js';
import { availableOf, type StockBalance } from './stock.decide.js';

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
