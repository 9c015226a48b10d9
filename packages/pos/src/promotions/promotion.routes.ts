import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { conflict, keepOrigin, unavailable, withOrigin, type Clock } from '@tillstream/kernel';
import { posterOf } from '../poster.js';
import { readerOf } from '../read-scope.js';
import { authorizePoster } from '../sales/sale.decide.js';
import type { SaleStore } from '../sales/sale.store.js';
import type { QuarantineStore } from '../sync/quarantine.store.js';
import {
  assertMayRelease,
  assertRedeemingOwn,
  assertReleasable,
  type SaleRecord,
} from './promotion.decide.js';
import type { ErpPromotions } from './promotion.port.js';
import type { RedemptionOwnerStore } from './redemption-owner.store.js';
import {
  PromotionRedemptionBody,
  PromotionRedemptionView,
  PromotionReleaseBody,
  PromotionReleaseParams,
  PromotionReleaseView,
} from './promotion.schemas.js';

/**
 * Limited coupons at an online till: the till redeems them in ERP under the sale's id just before it stores the
 * sale, so the last use goes to exactly one customer across every till and the web shop. Offline, it sells
 * anyway and ERP counts the uses when the sale arrives (a use past the limit is a mismatch for review). A till
 * that redeemed and then lost the sale (a crash, a void) gives the uses back while POS holds no such sale. POS
 * records which till each redemption is for (before asking ERP), so that no other till can give its uses back.
 */
export function promotionRoutes(deps: {
  erp: ErpPromotions | undefined;
  sales: Pick<SaleStore, 'find' | 'reader'>;
  quarantine: Pick<QuarantineStore, 'get'>;
  owners: RedemptionOwnerStore;
  clock: Clock;
}): FastifyPluginAsync {
  const recordOf = async (saleId: string, terminalId: string): Promise<SaleRecord> => {
    if (await deps.sales.find(deps.sales.reader, saleId)) return 'stored';
    return (await deps.quarantine.get(terminalId, saleId)) ? 'quarantined' : null;
  };
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
            "Idempotent by the sale's id; 409 `id_conflict` when another till redeemed under that id.",
          body: PromotionRedemptionBody,
          response: { 200: PromotionRedemptionView },
        },
      },
      async (request) => {
        const { saleId, terminalId, ...cart } = request.body;
        authorizePoster(posterOf(request), request.body);
        if (!deps.erp) throw unavailable('service_unavailable', 'POS has no connection to ERP');
        const erp = withOrigin(deps.erp, keepOrigin());
        // Claimed before ERP takes anything, so every use ERP holds under the id has its till on record.
        const claimant = { storeId: cart.storeId, terminalId };
        const at = deps.clock.now().toISOString();
        assertRedeemingOwn(saleId, claimant, await deps.owners.claim(saleId, claimant, at));
        const result = await erp.redeem({ id: saleId, channel: 'pos', ...cart });
        if (!result.redeemed)
          throw conflict('promotion_usage_exhausted', 'A coupon of this sale has no use left', {
            promotionIds: result.promotionIds,
          });
        return { saleId, promotionIds: result.promotionIds };
      },
    );

    app.post(
      '/promotion-redemptions/:saleId/release',
      {
        config: { scope: 'pos:write' },
        schema: {
          tags: ['pos'],
          summary: 'Give back the coupon uses a till redeemed for a sale it never completed (crash, void)',
          description:
            "Forwards to ERP's release. 409 `redemption_sale_recorded` when POS holds the sale (stored or " +
            'quarantined) or it has reached ERP: it used the coupons, so the uses stand. A sale that arrives after ' +
            'its uses were given back has them counted again, so a release racing its sale never loses a use nor ' +
            'counts one twice. `not_redeemed` when ERP took nothing under the id; releasing twice answers ' +
            '`released` again. 503 `service_unavailable` when ERP does not answer: try again later. Only the ' +
            'till the coupons were redeemed for may give them back, or a back-office key (`pos:manage` or ' +
            "admin, not a terminal's own; bound to a store: its tills' only): anyone else gets 404 " +
            '`coupon_redemption_not_found`, as for an id never redeemed through POS.',
          params: PromotionReleaseParams,
          body: PromotionReleaseBody,
          response: { 200: PromotionReleaseView },
        },
      },
      async (request) => {
        const { saleId } = request.params;
        authorizePoster(posterOf(request), request.body);
        // Kept before the first await: ERP hears the release under this request's trace.
        const erp = deps.erp ? withOrigin(deps.erp, keepOrigin()) : null;
        const owner = await deps.owners.ownerOf(saleId);
        assertMayRelease(saleId, readerOf(request), request.body, owner);
        // The owner's quarantine: a back-office key may name any till in the body.
        assertReleasable(saleId, await recordOf(saleId, owner?.terminalId ?? request.body.terminalId));
        if (!erp) throw unavailable('service_unavailable', 'POS has no connection to ERP');
        return { saleId, ...(await erp.release(saleId)) };
      },
    );
  };
}
