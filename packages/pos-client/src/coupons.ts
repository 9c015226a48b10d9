import { TerminalError } from './errors.js';
import { NetworkError, type HttpPort } from './http.port.js';
import { givenBackBy, openClaims, strandedReleaser, type OpenClaims } from './open-claims.js';
import type { TerminalStorage } from './storage.port.js';

/**
 * Online, redeems a sale's coupons in ERP (through POS) under the sale's id before the sale is stored, so a
 * limited coupon's last use goes to exactly one customer and ERP does not count it again when the sale lands.
 * A coupon with no use left refuses the sale (`coupon_exhausted`, with `promotionIds`): ring it up without.
 * Unreachable, or any other answer: the sale goes ahead as offline, and ERP counts its uses when it arrives
 * (one past the limit is raised for review). Answers whether ERP took the uses.
 */
export async function redeemCoupons(
  http: HttpPort,
  request: {
    saleId: string;
    storeId: string;
    terminalId: string;
    currency: string;
    lines: ReadonlyArray<{ sku: string; quantity: number }>;
    couponCodes: readonly string[];
  },
): Promise<boolean> {
  let response;
  try {
    response = await http.request('POST', '/pos/v1/promotion-redemptions', {
      body: { ...request, lines: request.lines.map(({ sku, quantity }) => ({ sku, quantity })) },
    });
  } catch (error) {
    if (error instanceof NetworkError) return false;
    throw error;
  }
  const problem = (response.body ?? {}) as { code?: string; promotionIds?: string[] };
  if (response.status === 409 && problem.code === 'promotion_usage_exhausted')
    throw Object.assign(new TerminalError('coupon_exhausted', 'A coupon of this sale has no use left'), {
      promotionIds: problem.promotionIds ?? [],
    });
  return response.status === 200;
}

/** The storage key of the sales this terminal redeemed coupons for that it has not queued (nor given back). */
export const OPEN_COUPONS_KEY = 'openCouponRedemptions';

/**
 * The terminal's durable record of the sales it redeemed coupons for (see `openClaims`), by sale id: what is
 * left after a crash holds uses in ERP that no sale will claim, and ERP's redemptions never expire.
 */
export const openCouponRedemptions = (storage: TerminalStorage) => openClaims(storage, OPEN_COUPONS_KEY);

export type OpenCouponRedemptions = OpenClaims;

/**
 * Gives back the coupon uses redeemed for sales that were never stored: answers the sale ids the server settled:
 * given back now or before, never redeemed, or refused because the sale is recorded after all (409
 * `redemption_sale_recorded`: it used them). Best effort: an id the server did not answer for (offline, or ERP
 * not answering POS) stays in the record, to be given back on recovery.
 */
export async function releaseCoupons(
  http: HttpPort,
  terminal: { storeId: string; terminalId: string },
  saleIds: readonly string[],
): Promise<string[]> {
  const settled: string[] = [];
  // Exactly the fields the route takes: a terminal object may carry more (its currency).
  const body = { storeId: terminal.storeId, terminalId: terminal.terminalId };
  for (const saleId of saleIds) {
    const response = await http
      .request('POST', `/pos/v1/promotion-redemptions/${encodeURIComponent(saleId)}/release`, { body })
      .catch(() => null);
    if (givenBackBy(response)) settled.push(saleId);
  }
  return settled;
}

/** Gives coupon uses back at once (the sale will not be stored) and drops what the server settled from the record. */
export async function giveBackCoupons(
  http: HttpPort,
  record: OpenCouponRedemptions,
  terminal: { storeId: string; terminalId: string },
  saleIds: readonly string[],
): Promise<void> {
  if (saleIds.length === 0) return;
  await record.remove(await releaseCoupons(http, terminal, saleIds));
}

/** Gives back the coupon uses a crash left in the record (see `strandedReleaser`). */
export const strandedCouponsReleaser = (deps: {
  http: HttpPort;
  record: OpenCouponRedemptions;
  till: <T>(fn: () => Promise<T>) => Promise<T>;
  terminal: { storeId: string; terminalId: string };
}) =>
  strandedReleaser({
    record: deps.record,
    till: deps.till,
    giveBack: (saleIds) => releaseCoupons(deps.http, deps.terminal, saleIds),
  });
