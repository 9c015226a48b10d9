import type { CartLine } from './cart.js';
import type { TerminalStorage } from './storage.port.js';

/** The state key of the basket being rung up. */
export const BASKET_KEY = 'basket';

/** A line as kept: a SKU and a whole, positive number of units. Anything else is dropped when read. */
const isLine = (line: unknown): line is CartLine =>
  typeof line === 'object' &&
  line !== null &&
  typeof (line as CartLine).sku === 'string' &&
  Number.isSafeInteger((line as CartLine).quantity) &&
  (line as CartLine).quantity > 0;

/**
 * The basket being rung up, kept in the terminal's storage as it changes, so that a reload (an app update, a
 * crash, a tab closed by mistake) does not send the cashier back to scan it again. A sale clears it in the
 * commit that queues the sale, so a reload after the sale never brings the sold basket back. Tenders are not
 * kept: a gift card hold placed by a lost tab is given back by the release of stranded holds.
 */
export function basketOf(storage: TerminalStorage) {
  return {
    /** The lines kept, in the order they were rung up; none when there is no basket. */
    load: async (): Promise<CartLine[]> => {
      const kept = await storage.get<unknown>(BASKET_KEY);
      return Array.isArray(kept) ? kept.filter(isLine).map(({ sku, quantity }) => ({ sku, quantity })) : [];
    },
    keep: (lines: readonly CartLine[]): Promise<void> =>
      storage.commit({ state: { [BASKET_KEY]: lines.map(({ sku, quantity }) => ({ sku, quantity })) } }),
  };
}
