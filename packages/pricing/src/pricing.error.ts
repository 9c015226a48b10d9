/**
 * The engine is pure and imports no kernel, so it throws its own error with a stable snake_case code; the ERP
 * maps it to a DomainError, a terminal shows it. Codes: `unknown_sku`, `price_not_found`, `invalid_instant`, `amount_out_of_range`,
 * `shipping_method_unknown`, `shipping_not_available`.
 */
export class PricingError extends Error {
  constructor(
    readonly code:
      | 'unknown_sku'
      | 'price_not_found'
      | 'invalid_instant'
      | 'amount_out_of_range'
      | 'shipping_method_unknown'
      | 'shipping_not_available',
    detail: string,
    /** Machine-readable context, e.g. the SKUs without a price. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'PricingError';
  }
}

export const isPricingError = (error: unknown): error is PricingError => error instanceof PricingError;
