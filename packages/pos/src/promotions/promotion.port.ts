/** A sale about to complete, for ERP to price now and take one use of each limited promotion it applies. */
export interface PromotionRedeemRequest {
  /** The sale's own id: ERP's sale consumer then knows the uses were taken and does not count them again. */
  id: string;
  channel: 'pos';
  currency: string;
  storeId: string;
  lines: Array<{ sku: string; quantity: number }>;
  couponCodes?: string[];
  customerId?: string;
  customerGroups?: string[];
}

/**
 * `redeemed`: the uses were taken, `promotionIds` the limited promotions ERP counted. Refused (ERP's 409
 * `promotion_usage_exhausted`): nothing was taken, `promotionIds` are the ones with no use left.
 */
export type PromotionRedeemResult = { redeemed: boolean; promotionIds: string[] };

/**
 * `released`: the uses are given back (now, or by an earlier release), `promotionIds` the ones ERP had taken;
 * `not_redeemed`: ERP took nothing under the id (the till stopped before its redemption reached ERP).
 */
export type PromotionReleaseResult = { status: 'released' | 'not_redeemed'; promotionIds: string[] };

/**
 * POS's synchronous calls onto ERP's promotion redemptions (in-process on the embedded engine, HTTP with a
 * timeout on scale-out). Each throws a 503 `service_unavailable` DomainError when ERP does not answer, and ERP's
 * own 4xx refusals with ERP's code: the terminal then sells offline and ERP counts the uses when the sale lands.
 */
export interface ErpPromotions {
  /** POST /erp/v1/redemptions, idempotent by the sale's id. */
  redeem(request: PromotionRedeemRequest): Promise<PromotionRedeemResult>;
  /**
   * POST /erp/v1/redemptions/{saleId}/release, idempotent. ERP's 409 `redemption_sale_recorded` (the sale has
   * reached ERP, which counts its uses for good) is thrown with that code.
   */
  release(saleId: string): Promise<PromotionReleaseResult>;
}
