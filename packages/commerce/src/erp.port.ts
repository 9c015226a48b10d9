import type { PricingSnapshot } from '@tillstream/contracts';

export interface HoldRequest {
  id: string;
  channel: string;
  /** `locationId`: hold the line there and only there (a collection's store), not where the channel allocates. */
  lines: Array<{ sku: string; quantity: number; locationId?: string }>;
  expiresInSeconds: number;
}

/** Lines ERP could not hold, as its `insufficient_stock` problem names them. */
export type ShortLine = Record<string, unknown> & { sku: string };

export type HoldResult = { held: true; expiresAt: string } | { held: false; lines: ShortLine[] };

/**
 * ERP's answer to a snapshot read: the snapshot, `'unchanged'` when the version the caller holds is still the
 * current one (ERP sent no body), or `null` when ERP has none yet.
 */
export type SnapshotRead = PricingSnapshot | 'unchanged' | null;

/** An order's cart, for ERP to price now and take one use of each limited promotion it applies. */
export interface RedeemRequest {
  /** The order's id (a UUID): one redemption per checkout attempt, so a retry never meets a released one. */
  id: string;
  channel: string;
  currency: string;
  couponCodes: string[];
  lines: Array<{ sku: string; quantity: number }>;
  /** The delivery chosen, so that a limited free-shipping promotion the quote applied is counted too. */
  shipping?: { methodId: string; country: string };
}

/**
 * `redeemed`: the uses were taken; `promotionIds` are the limited promotions ERP counted. Refused (ERP's 409
 * `promotion_usage_exhausted`): nothing was taken; `promotionIds` are the ones with no use left.
 */
export type RedeemResult =
  { redeemed: true; promotionIds: string[] } | { redeemed: false; promotionIds: string[] };

/**
 * Commerce's synchronous view of ERP (in-process on the embedded engine, HTTP with a timeout on scale-out).
 * Every method throws a 503 `service_unavailable` DomainError when ERP does not answer: checkout fails closed.
 */
export interface ErpPort {
  /**
   * The current pricing snapshot for a caller holding `held`: ERP sends what changed since that version (GET
   * /erp/v1/pricing/snapshot/delta), applied here, so a price change costs its own bytes rather than the whole
   * catalog's; `'unchanged'` while that version is current. The whole snapshot only when nothing is held or ERP
   * no longer keeps that version.
   */
  pricingSnapshot(held: PricingSnapshot | null): Promise<SnapshotRead>;
  /** All-or-nothing hold with an expiry (POST /erp/v1/reservations). */
  hold(request: HoldRequest): Promise<HoldResult>;
  commit(reservationId: string): Promise<void>;
  release(reservationId: string): Promise<void>;
  /** Takes the uses of the cart's limited promotions, all or nothing (POST /erp/v1/redemptions). */
  redeem(request: RedeemRequest): Promise<RedeemResult>;
  /** Gives an order's uses back (POST /erp/v1/redemptions/{id}/release); nothing to do when it took none. */
  releaseRedemption(orderId: string): Promise<void>;
  /** Whether ERP knows this location (GET /erp/v1/locations/{id}): where a return's units may be booked. */
  locationExists(locationId: string): Promise<boolean>;
}
