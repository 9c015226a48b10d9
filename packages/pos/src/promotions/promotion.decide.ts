import { conflict, notFound } from '@tillstream/kernel';
import type { Reader } from '../read-scope.js';

/** Where POS holds a sale: stored, or quarantined (refused for now, to be fixed and sent again). */
export type SaleRecord = 'stored' | 'quarantined' | null;

/** The till a sale's coupons were redeemed online for (POS records it as the redemption goes to ERP). */
export interface RedemptionOwner {
  storeId: string;
  terminalId: string;
}

/**
 * A till may give back the coupon uses it redeemed for a sale only while POS holds no sale of that id. A sale POS
 * holds happened and used them (quarantined too: it is fixed and sent again, not dropped), and ERP counts them
 * when it arrives. Throws `redemption_sale_recorded`.
 */
export function assertReleasable(saleId: string, record: SaleRecord): void {
  if (record !== null)
    throw conflict('redemption_sale_recorded', `POS holds sale ${saleId} (${record}): its coupon uses stand`);
}

/**
 * A sale id's coupons are redeemed for one till: the one that claimed the id first. Another till naming the
 * same id (only a forged or replayed id does: tills make UUIDv7s) is refused `id_conflict`.
 */
export function assertRedeemingOwn(saleId: string, claimant: RedemptionOwner, owner: RedemptionOwner): void {
  if (owner.terminalId !== claimant.terminalId || owner.storeId !== claimant.storeId)
    throw conflict('id_conflict', `Sale ${saleId} is another till's`);
}

/**
 * Who may give back a sale's coupon uses: the till they were redeemed for (`acting` is the till the request
 * names, which a terminal's own key can only name itself), or a back-office key (`pos:manage` or admin, not a
 * terminal's own): any till's when unbound, its store's tills' when bound to a store. Redemptions POS has no
 * owner for (made before owners were recorded, or not through POS at all, e.g. a web order's) only an unbound
 * back-office key may release. Anyone else is answered `coupon_redemption_not_found`, exactly as for an id
 * nobody redeemed, so a till learns nothing of other tills' sales.
 */
export function assertMayRelease(
  saleId: string,
  key: Reader,
  acting: RedemptionOwner,
  owner: RedemptionOwner | null,
): void {
  const backOffice = key.manager && key.terminalId === null;
  const allowed = backOffice
    ? key.storeId === null || owner?.storeId === key.storeId
    : owner !== null && owner.terminalId === acting.terminalId && owner.storeId === acting.storeId;
  if (!allowed)
    throw notFound('coupon_redemption_not_found', `This till redeemed no coupons for sale ${saleId}`);
}
