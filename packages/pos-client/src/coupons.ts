import { TerminalError } from './errors.js';
import { NetworkError, type HttpPort } from './http.port.js';

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
