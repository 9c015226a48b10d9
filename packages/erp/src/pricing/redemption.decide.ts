import { conflict, notFound } from '@tillstream/kernel';
import type { Redemption } from './redemption.store.js';

/**
 * Whether a redemption's uses may be given back. Those of a sale that has arrived never may: the sale happened
 * and used the promotions, whether a till redeemed them online first (the sale then adopted that redemption)
 * or ERP counted them when the sale arrived. Giving back twice answers the first result. Throws
 * `redemption_not_found` (nothing was ever taken under the id) or `redemption_sale_recorded`.
 */
export function decideRelease(id: string, redemption: Redemption | null): 'release' | 'released_already' {
  if (!redemption) throw notFound('redemption_not_found', `No redemption ${id}`);
  if (redemption.source === 'sale')
    throw conflict('redemption_sale_recorded', `Sale ${id} has arrived: the uses it took stand`);
  return redemption.status === 'released' ? 'released_already' : 'release';
}

/**
 * What an arriving store sale that used limited promotions does about the redemption stored under its id:
 * - `count`: none (sold offline, or online without a limited coupon): take the uses now;
 * - `adopt`: a till redeemed them online before storing the sale: they become the sale's, so no release can give
 *   them back any more, and nothing is taken twice;
 * - `recount`: the till redeemed them and then gave them back (it took the sale for lost: a crash, a void), yet
 *   the sale exists: take the uses again, as for a sale sold offline (one past the limit is raised);
 * - `counted`: the sale's uses are counted already.
 */
export type SaleUsageStep = 'count' | 'adopt' | 'recount' | 'counted';

export function saleUsageStep(redemption: Pick<Redemption, 'source' | 'status'> | null): SaleUsageStep {
  if (!redemption) return 'count';
  if (redemption.source === 'sale') return 'counted';
  return redemption.status === 'redeemed' ? 'adopt' : 'recount';
}
