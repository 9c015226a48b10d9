import { conflict } from '@tillstream/kernel';

/** Where POS holds a sale: stored, or quarantined (refused for now, to be fixed and sent again). */
export type SaleRecord = 'stored' | 'quarantined' | null;

/**
 * A till may give back the coupon uses it redeemed for a sale only while POS holds no sale of that id. A sale POS
 * holds happened and used them (quarantined too: it is fixed and sent again, not dropped), and ERP counts them
 * when it arrives. Throws `redemption_sale_recorded`.
 */
export function assertReleasable(saleId: string, record: SaleRecord): void {
  if (record !== null)
    throw conflict('redemption_sale_recorded', `POS holds sale ${saleId} (${record}): its coupon uses stand`);
}
