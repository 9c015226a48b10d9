import type { ErpPromotions } from '@tillstream/pos';
import { erpSender, redeemInErp, type ErpCall } from './erp-caller.js';

/**
 * POS's port onto ERP's promotion redemptions: what commerce's checkout does for an order, a till does for a
 * sale. ERP's 409 `promotion_usage_exhausted` is an answer (nothing taken); no answer is 503.
 */
export function createPosPromotions(call: ErpCall): ErpPromotions {
  const sender = erpSender(call);
  const { send, expectOk } = sender;
  return {
    redeem: (request) => redeemInErp(sender, request),
    async release(saleId) {
      const answer = await send('POST', `/erp/v1/redemptions/${encodeURIComponent(saleId)}/release`);
      const body = (answer.body ?? {}) as { code?: string; promotionIds?: string[] };
      // The till stopped before its redemption reached ERP: nothing to give back.
      if (answer.status === 404 && body.code === 'redemption_not_found')
        return { status: 'not_redeemed', promotionIds: [] };
      expectOk(answer, 'a redemption release');
      return { status: 'released', promotionIds: body.promotionIds ?? [] };
    },
  };
}
