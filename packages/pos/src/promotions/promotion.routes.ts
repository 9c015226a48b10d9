import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { conflict, unavailable } from '@tillstream/kernel';
import { posterOf } from '../poster.js';
import { authorizePoster } from '../sales/sale.decide.js';
import type { ErpPromotions } from './promotion.port.js';
import { PromotionRedemptionBody, PromotionRedemptionView } from './promotion.schemas.js';

/**
 * Limited coupons at an online till: the till redeems them in ERP under the sale's id just before it stores the
 * sale, so the last use goes to exactly one customer across every till and the web shop. Offline, it sells
 * anyway and ERP counts the uses when the sale arrives (a use past the limit is a mismatch for review).
 */
export function promotionRoutes(deps: { erp: ErpPromotions | undefined }): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/promotion-redemptions',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: "Redeem a sale's limited promotions in ERP before the sale completes (online tills)",
          description:
            'ERP prices the cart now and takes one use of each limited promotion it applies, all or nothing, ' +
            "under the sale's id (so ERP does not count them again when the sale arrives). 409 " +
            '`promotion_usage_exhausted` naming `promotionIds` when a coupon has no use left: nothing was taken, ' +
            'ring the sale up without it. 503 `service_unavailable` when ERP does not answer: sell offline. ' +
            "Idempotent by the sale's id.",
          body: PromotionRedemptionBody,
          response: { 200: PromotionRedemptionView },
        },
      },
      async (request) => {
        const { saleId, terminalId: _terminalId, ...cart } = request.body;
        authorizePoster(posterOf(request), request.body);
        if (!deps.erp) throw unavailable('service_unavailable', 'POS has no connection to ERP');
        const result = await deps.erp.redeem({ id: saleId, channel: 'pos', ...cart });
        if (!result.redeemed)
          throw conflict('promotion_usage_exhausted', 'A coupon of this sale has no use left', {
            promotionIds: result.promotionIds,
          });
        return { saleId, promotionIds: result.promotionIds };
      },
    );
  };
}
