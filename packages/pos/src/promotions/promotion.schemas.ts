import { Type } from 'typebox';
import { CouponCode, Currency, LocationId, PricingId, Sku } from '@tillstream/contracts';
import { ClientId, TerminalId } from '../pos.schemas.js';

export const PromotionRedemptionBody = Type.Object(
  {
    saleId: ClientId,
    storeId: LocationId,
    terminalId: TerminalId,
    currency: Currency,
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    couponCodes: Type.Optional(Type.Array(CouponCode, { maxItems: 10 })),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    customerGroups: Type.Optional(Type.Array(PricingId, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const PromotionRedemptionView = Type.Object({
  saleId: Type.String(),
  promotionIds: Type.Array(Type.String(), { description: 'The limited promotions whose uses ERP took' }),
});

export const PromotionReleaseParams = Type.Object({ saleId: ClientId });

/** Who asks: a terminal's key may give back only its own sales' uses, as it may redeem only for itself. */
export const PromotionReleaseBody = Type.Object(
  { storeId: LocationId, terminalId: TerminalId },
  { additionalProperties: false },
);

export const PromotionReleaseView = Type.Object({
  saleId: Type.String(),
  status: Type.Union([Type.Literal('released'), Type.Literal('not_redeemed')], {
    description:
      '`released`: the uses are given back (now or by an earlier release); `not_redeemed`: ERP took none under the id',
  }),
  promotionIds: Type.Array(Type.String(), {
    description: 'The limited promotions whose uses were given back',
  }),
});
