export type TerminalErrorCode =
  | 'no_open_shift'
  | 'shift_already_open'
  | 'empty_cart'
  | 'unknown_sku'
  | 'price_not_found'
  | 'tender_short'
  | 'tender_over'
  | 'sale_not_found'
  | 'return_exceeds_sold'
  | 'not_registered'
  | 'offline_card_limit'
  | 'insufficient_balance'
  | 'stored_value_not_found'
  | 'stored_value_refused'
  | 'stored_value_offline'
  | 'coupon_exhausted'
  | 'invalid_amount'
  | 'invalid_reference';

/**
 * A refusal of the terminal itself (before anything is stored), with a stable code the UI can branch on. Where
 * the code gathers several refusals of the server (`stored_value_refused`), `reason` is the server's own code
 * (`stored_value_expired`, `stored_value_currency_mismatch`, …), for a till that words them apart.
 */
export class TerminalError extends Error {
  constructor(
    readonly code: TerminalErrorCode,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}
