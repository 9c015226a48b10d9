import type { Product } from '../catalog/catalog.decide.js';
import { stockQuantities } from './kit.decide.js';
import { changeOf, type Movement } from './stock.decide.js';

export type Disposition = 'restock' | 'damaged';

export interface ReturnCommand {
  id: string;
  locationId: string;
  occurredAt: string;
  /** The channel the goods were sold through; null when the return does not say (ERP's own return API). */
  channel: string | null;
  lines: Array<{ sku: string; quantity: number; disposition: Disposition }>;
}

/**
 * A returned item goes back on the shelf (`returned`: on-hand) or aside as damaged (`returned_damaged`: the
 * damaged balance, never sellable). A returned kit returns its components; lines of one SKU and disposition
 * are summed into one movement.
 */
export function returnMovements(command: ReturnCommand, products: ReadonlyMap<string, Product>): Movement[] {
  const reference = `return/${command.id}`;
  return (['restock', 'damaged'] as const).flatMap((disposition) => {
    const lines = command.lines.filter((line) => line.disposition === disposition);
    const kind = disposition === 'restock' ? 'returned' : 'returned_damaged';
    return [...stockQuantities(lines, products)]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([sku, quantity]) => ({
        id: `${reference}/${kind}/${sku}@${command.locationId}`,
        sku,
        locationId: command.locationId,
        kind,
        change: changeOf(disposition === 'restock' ? { onHand: quantity } : { damaged: quantity }),
        occurredAt: command.occurredAt,
        reference,
        channel: command.channel,
      }));
  });
}
