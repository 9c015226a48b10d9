import type { Db } from '@tillstream/kernel';
import type { RedemptionOwner } from './promotion.decide.js';

/** The till each online coupon redemption was made for, by sale id: the first claim of an id keeps it. */
export function createRedemptionOwnerStore(db: Db) {
  const ownerOf = async (saleId: string): Promise<RedemptionOwner | null> => {
    const [row] = await db.query<{ store_id: string; terminal_id: string }>(
      'SELECT store_id, terminal_id FROM coupon_redemption_owners WHERE sale_id = $1',
      [saleId],
    );
    return row ? { storeId: row.store_id, terminalId: row.terminal_id } : null;
  };
  return {
    ownerOf,
    /**
     * Claims the sale id for the till (nothing is written when it is claimed already) and answers whose it is
     * now: the caller's, or the till's that claimed it first.
     */
    async claim(saleId: string, owner: RedemptionOwner, at: string): Promise<RedemptionOwner> {
      await db.transaction((tx) =>
        tx.execute(
          `INSERT INTO coupon_redemption_owners (sale_id, store_id, terminal_id, claimed_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (sale_id) DO NOTHING`,
          [saleId, owner.storeId, owner.terminalId, at],
        ),
      );
      return (await ownerOf(saleId))!;
    },
  };
}

export type RedemptionOwnerStore = ReturnType<typeof createRedemptionOwnerStore>;
