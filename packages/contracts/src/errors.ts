/**
 * The error catalogue: every stable `code` an API can answer with, its kind and a title. Clients branch on
 * `code`; titles are for people. A test checks that every code thrown in the source is listed here.
 */
export interface ErrorEntry {
  kind:
    | 'invalid'
    | 'unauthorized'
    | 'forbidden'
    | 'not_found'
    | 'conflict'
    | 'unprocessable'
    | 'too_large'
    | 'unavailable'
    | 'internal';
  title: string;
  description: string;
  /** The HTTP status when it is not the kind's usual one (414 and 415 are `invalid` requests, but specific). */
  status?: number;
}

export const ERROR_CATALOG = {
  validation_failed: {
    kind: 'invalid',
    title: 'Request failed validation',
    description: 'The body, path or query does not match the route schema; `errors` lists where.',
  },
  malformed_json: { kind: 'invalid', title: 'Malformed JSON', description: 'The body is not valid JSON.' },
  unsupported_media_type: {
    kind: 'invalid',
    title: 'Unsupported media type',
    description: 'Send `Content-Type: application/json`.',
    status: 415,
  },
  body_too_large: {
    kind: 'too_large',
    title: 'Body too large',
    description: 'The body exceeds the configured limit (`bodyLimitBytes`, 1 MiB by default).',
  },
  uri_too_long: {
    kind: 'invalid',
    title: 'URI too long',
    description:
      'The request target exceeds `maxUrlLength` (414), or the request line and headers exceed what the HTTP server reads at all (431).',
    status: 414,
  },
  bad_request: { kind: 'invalid', title: 'Bad request', description: 'The request could not be read.' },
  route_not_found: {
    kind: 'not_found',
    title: 'No such route',
    description: 'No route answers this method and path.',
  },
  unauthorized: {
    kind: 'unauthorized',
    title: 'Missing or invalid API key',
    description: 'Send `Authorization: Bearer <key>` with a valid, unrevoked key.',
  },
  insufficient_scope: {
    kind: 'forbidden',
    title: 'API key lacks the scope',
    description: 'The key is valid but lacks the scope this route needs; `requiredScope` names it.',
  },
  terminal_mismatch: {
    kind: 'forbidden',
    title: 'Key bound to another terminal',
    description: 'A terminal key may only post for its own terminal and store.',
  },
  store_scope_forbidden: {
    kind: 'forbidden',
    title: 'Key may not read store-wide',
    description:
      "Store-wide POS reads (`storeId`) need a key with `pos:manage` that is not a terminal's own, and a key " +
      'bound to a store reads only that store.',
  },
  idempotency_key_invalid: {
    kind: 'invalid',
    title: 'Invalid Idempotency-Key',
    description: 'The key must be 1–255 visible ASCII characters.',
  },
  idempotency_key_reused: {
    kind: 'unprocessable',
    title: 'Idempotency-Key reused with another request',
    description: 'The same key was used before with a different method, path or body.',
  },
  idempotency_request_in_progress: {
    kind: 'conflict',
    title: 'Request with this Idempotency-Key in progress',
    description: 'A request with the same key has not finished; retry after it does.',
  },
  internal_error: {
    kind: 'internal',
    title: 'Internal error',
    description: 'An unexpected error; it is logged with the trace id. Nothing was half-written.',
  },
  location_not_found: {
    kind: 'not_found',
    title: 'Unknown location',
    description: 'No location has this id.',
  },
  product_not_found: { kind: 'not_found', title: 'Unknown product', description: 'No product has this SKU.' },
  invalid_cursor: {
    kind: 'invalid',
    title: 'Invalid page cursor',
    description:
      'The `cursor` is not one this API handed out, or it was made for another sort; start again without it.',
  },
  invalid_price_range: {
    kind: 'invalid',
    title: 'Invalid price range',
    description: '`minPrice` is greater than `maxPrice`.',
  },
  unknown_sku: {
    kind: 'unprocessable',
    title: 'Unknown SKU in request',
    description: 'A line names a SKU the catalog does not know; `skus` lists them.',
  },
  unknown_location: {
    kind: 'unprocessable',
    title: 'Unknown location in request',
    description: 'The request names a location that does not exist.',
  },
  location_kind_mismatch: {
    kind: 'unprocessable',
    title: 'Wrong kind of location',
    description: 'A store was required (e.g. a sale at a warehouse).',
  },
  location_kind_change: {
    kind: 'conflict',
    title: 'Location kind cannot change',
    description: 'A location keeps its kind once created.',
  },
  adjustment_id_conflict: {
    kind: 'conflict',
    title: 'Adjustment id reused',
    description: 'An adjustment with this id exists with different content.',
  },
  payment_mismatch: {
    kind: 'unprocessable',
    title: 'Payments do not cover the total',
    description: 'The sum of payments must equal the sale total.',
  },
  duplicate_line: {
    kind: 'invalid',
    title: 'Duplicate line',
    description: 'The same SKU appears on two lines where one is expected.',
  },
  kit_cycle: {
    kind: 'invalid',
    title: 'Kit cycle',
    description: 'A kit cannot contain itself, directly or through another kit.',
  },
  adjustment_below_zero: {
    kind: 'conflict',
    title: 'Adjustment would make stock negative',
    description:
      'A deliberate adjustment may not take on-hand below zero (only store sales, which are physical fact, may).',
  },
  terminal_store_mismatch: {
    kind: 'conflict',
    title: 'Terminal belongs to another store',
    description: 'A terminal is registered to one store; post its sales with that store id.',
  },
  sale_not_found: { kind: 'not_found', title: 'Unknown sale', description: 'No sale has this id.' },
  id_conflict: {
    kind: 'conflict',
    title: 'Id already used with another body',
    description:
      'A document (sale, reservation, transfer, count, return) with this id exists with different content; ' +
      'a retry must resend the same body.',
  },
  price_list_not_found: {
    kind: 'not_found',
    title: 'Unknown price list',
    description: 'No price list has this id (or it was deleted).',
  },
  promotion_not_found: {
    kind: 'not_found',
    title: 'Unknown promotion',
    description: 'No promotion has this id (or it was deleted).',
  },
  tax_rate_not_found: {
    kind: 'not_found',
    title: 'Unknown tax rate',
    description: 'No tax rate has this id (or it was deleted).',
  },
  snapshot_not_found: {
    kind: 'not_found',
    title: 'Unknown pricing snapshot',
    description: 'No pricing snapshot was minted with this version.',
  },
  redemption_not_found: {
    kind: 'not_found',
    title: 'Unknown redemption',
    description: 'No order or sale with this id redeemed promotions.',
  },
  concurrent_modification: {
    kind: 'conflict',
    title: 'Changed meanwhile',
    description:
      'Another request changed this definition between reading and writing it; read it again and retry.',
  },
  coupon_code_taken: {
    kind: 'conflict',
    title: 'Coupon code in use',
    description: 'Another promotion already has this coupon code (codes ignore case); `couponCode` names it.',
  },
  tax_rate_conflict: {
    kind: 'conflict',
    title: 'Tax rate already defined',
    description: 'Another tax rate covers the same tax category and location; `taxRateId` names it.',
  },
  promotion_usage_exhausted: {
    kind: 'conflict',
    title: 'Promotion used up',
    description:
      'A limited promotion of the cart has no use left (in total or for this customer); nothing was taken. ' +
      '`promotionIds` names them: quote again to drop them.',
  },
  price_not_found: {
    kind: 'unprocessable',
    title: 'No price in this currency',
    description: 'Neither a price list nor the product prices these SKUs in the currency; `skus` lists them.',
  },
  amount_out_of_range: {
    kind: 'unprocessable',
    title: 'Amount out of range',
    description: 'A line or the cart is too large to price exactly in minor units.',
  },
  discount_exceeds_line: {
    kind: 'unprocessable',
    title: 'Discount larger than the line',
    description: 'A sale line discounts more than its quantity times its unit price.',
  },
  service_unavailable: {
    kind: 'unavailable',
    title: 'Service unavailable',
    description:
      'A dependency did not answer in time; the answer carries `Retry-After` (seconds): retry then.',
  },
  insufficient_stock: {
    kind: 'conflict',
    title: 'Insufficient stock',
    description:
      'Not enough available stock for every line; nothing was reserved (all or nothing). `lines` names each ' +
      'short line with `requested` and `available` (and its kit `components`).',
  },
  reservation_not_found: {
    kind: 'not_found',
    title: 'Unknown reservation',
    description: 'No reservation has this id.',
  },
  reservation_not_held: {
    kind: 'conflict',
    title: 'Reservation not held',
    description: 'Only a held reservation can be committed or released; this one is committed or released.',
  },
  reservation_expired: {
    kind: 'conflict',
    title: 'Reservation expired',
    description: 'The hold passed its `expiresAt` before the commit; its stock is (or is being) released.',
  },
  nested_kit: {
    kind: 'unprocessable',
    title: 'Kits cannot be nested',
    description:
      'A kit component must be a standard product, and a product used as a kit component cannot become a kit.',
  },
  kit_has_no_stock: {
    kind: 'unprocessable',
    title: 'Kits have no stock of their own',
    description: 'Adjust, count or transfer the components of a kit, not the kit.',
  },
  product_has_stock: {
    kind: 'conflict',
    title: 'Product has stock',
    description: 'A product with stock, holds or units in transit cannot become a kit.',
  },
  transfer_not_found: {
    kind: 'not_found',
    title: 'Unknown transfer',
    description: 'No transfer has this id.',
  },
  transfer_state: {
    kind: 'conflict',
    title: 'Transfer is in the wrong state',
    description: 'Ship a draft transfer; receive a shipped, not yet fully received one.',
  },
  transfer_same_location: {
    kind: 'invalid',
    title: 'Transfer to its own source',
    description: 'A transfer needs two different locations.',
  },
  count_in_future: {
    kind: 'unprocessable',
    title: 'Count dated in the future',
    description: '`countedAt` may be at most a minute ahead of the server clock.',
  },
  count_superseded: {
    kind: 'conflict',
    title: 'A later count exists',
    description:
      'A count of one of these SKUs at this location was taken after `countedAt`; the older count changes nothing, ' +
      'so it is refused. `skus` lists them.',
  },
  terminal_not_found: {
    kind: 'not_found',
    title: 'Unknown terminal',
    description: 'No terminal is registered under this id.',
  },
  terminal_already_registered: {
    kind: 'conflict',
    title: 'Terminal already has a key',
    description:
      'The terminal is registered with an active key; rotate it with POST /pos/v1/terminals/{id}/keys instead.',
  },
  terminal_keys_unavailable: {
    kind: 'unavailable',
    title: 'Terminal keys cannot be issued here',
    description: 'This POS instance was started without access to API key creation.',
  },
  shift_not_found: { kind: 'not_found', title: 'Unknown shift', description: 'No shift has this id.' },
  shift_seq_taken: {
    kind: 'conflict',
    title: 'Shift number used',
    description: 'Another shift of this terminal has this sequence number.',
  },
  shift_already_closed: {
    kind: 'conflict',
    title: 'Shift closed with another count',
    description: 'The shift was closed already with a different close (id or counted cash).',
  },
  shift_terminal_mismatch: {
    kind: 'conflict',
    title: 'Shift of another terminal',
    description: 'The transaction names a shift that belongs to another terminal or store.',
  },
  receipt_number_taken: {
    kind: 'conflict',
    title: 'Receipt number used',
    description: 'Another sale or return of this terminal carries this receipt number.',
  },
  return_not_found: { kind: 'not_found', title: 'Unknown return', description: 'No return has this id.' },
  original_sale_not_found: {
    kind: 'unprocessable',
    title: 'Original sale unknown',
    description: 'The return names a receipt (`originalSaleId`) that POS has not recorded.',
  },
  return_line_mismatch: {
    kind: 'unprocessable',
    title: 'Return line does not match the receipt',
    description:
      'A line of a return with a receipt names no line of the original sale, another SKU or another currency; ' +
      '`lines` lists them.',
  },
  return_exceeds_sold: {
    kind: 'conflict',
    title: 'More returned than sold',
    description:
      'A line returns more units than the original line sold minus those already returned; `lines` lists ' +
      '`sold`, `returned` and `requested`.',
  },
  tender_below_amount: {
    kind: 'unprocessable',
    title: 'Cash tendered below the amount',
    description:
      'A payment names `tendered` cash smaller than the `amount` it pays; `payment` is its number.',
  },
  refund_mismatch: {
    kind: 'unprocessable',
    title: 'Refunds do not cover the return',
    description: 'The sum of refunds must equal the return total.',
  },
  return_policy_violation: {
    kind: 'unprocessable',
    title: 'Return refused by policy',
    description:
      'A return without a receipt exceeds the store policy (amount or refund method); `policy` describes it.',
  },
  stored_value_not_found: {
    kind: 'not_found',
    title: 'Unknown gift card or store credit',
    description: 'No gift card or store credit has this number.',
  },
  insufficient_balance: {
    kind: 'conflict',
    title: 'Balance too low',
    description:
      'The gift card or store credit holds less than the redemption asks for; `balance` is what it holds now.',
  },
  stored_value_currency_mismatch: {
    kind: 'unprocessable',
    title: 'Gift card in another currency',
    description: 'The gift card or store credit holds value in another currency (`currency`).',
  },
  stored_value_kind_mismatch: {
    kind: 'conflict',
    title: 'Number used by another kind',
    description: 'The number belongs to a gift card and is used as store credit, or the other way round.',
  },
  stored_value_reference_required: {
    kind: 'unprocessable',
    title: 'Gift card number missing',
    description:
      'A `gift_card` or `store_credit` payment must name its number in `reference`; `payment` is its position.',
  },
  stored_value_tender_not_allowed: {
    kind: 'unprocessable',
    title: 'Gift card paid with stored value',
    description: 'A gift card or store credit cannot be bought with a gift card or store credit.',
  },
  stored_value_redemption_not_found: {
    kind: 'not_found',
    title: 'Unknown gift card redemption',
    description: 'No gift card or store credit redemption has this id.',
  },
  stored_value_redemption_mismatch: {
    kind: 'unprocessable',
    title: 'Payment does not match its redemption',
    description:
      'A payment names a `redemptionId` held for another number or amount, or already used by another sale.',
  },
  stored_value_redemption_claimed: {
    kind: 'conflict',
    title: 'Redemption used by a sale',
    description: 'The redemption paid for a sale and cannot be cancelled; return the goods instead.',
  },
  tax_mismatch: {
    kind: 'unprocessable',
    title: 'Tax does not match its rate',
    description:
      "A line's added tax is not its total × rate, rounded half up (the pricing engine's rule); `lines` lists " +
      'the expected amounts.',
  },
  quarantine_entry_not_found: {
    kind: 'not_found',
    title: 'Unknown quarantined transaction',
    description: 'No quarantined transaction of this terminal has this id.',
  },
  pricing_snapshot_unavailable: {
    kind: 'unavailable',
    title: 'Pricing snapshot unavailable',
    description: 'ERP did not serve a pricing snapshot; terminals keep pricing with the one they have.',
  },
  webhook_not_found: {
    kind: 'not_found',
    title: 'Unknown webhook',
    description: 'No webhook subscription has this id (or it was deleted).',
  },
  webhook_delivery_not_found: {
    kind: 'not_found',
    title: 'Unknown webhook delivery',
    description: 'This webhook has no delivery with this id.',
  },
  webhook_url_invalid: {
    kind: 'invalid',
    title: 'Webhook URL not usable',
    description: 'The URL must be an absolute http or https URL without credentials or a fragment.',
  },
  webhook_url_not_allowed: {
    kind: 'unprocessable',
    title: 'Webhook URL targets a private address',
    description:
      'The host is, or resolves to, a loopback, private, link-local or otherwise reserved address. Operators ' +
      'can allow such hosts with `webhookAllowedHosts`; `addresses` lists what the host resolved to.',
  },
  webhook_url_unresolvable: {
    kind: 'unprocessable',
    title: 'Webhook host does not resolve',
    description: 'The host name of the URL has no DNS address.',
  },
  unknown_event_type: {
    kind: 'unprocessable',
    title: 'Unknown event type',
    description:
      'An event type pattern matches no published event type (see docs/events.md); `patterns` lists them.',
  },
  webhook_disabled: {
    kind: 'conflict',
    title: 'Webhook disabled',
    description: 'Resend and replay need an active webhook; enable it first (PATCH `status: "active"`).',
  },
  replay_too_large: {
    kind: 'unprocessable',
    title: 'Replay too large',
    description: 'The replay would enqueue more events than one request may; narrow it with `since`/`until`.',
  },
  cart_not_found: {
    kind: 'not_found',
    title: 'Unknown cart',
    description: 'No cart has this id.',
  },
  cart_closed: {
    kind: 'conflict',
    title: 'Cart closed',
    description: 'The cart was checked out (or is being checked out) and can no longer change.',
  },
  cart_empty: {
    kind: 'unprocessable',
    title: 'Cart empty',
    description: 'A cart needs at least one line to check out.',
  },
  cart_line_not_found: {
    kind: 'not_found',
    title: 'Unknown cart line',
    description: 'The cart has no line for this SKU.',
  },
  cart_too_large: {
    kind: 'unprocessable',
    title: 'Cart too large',
    description: 'A cart holds at most 100 distinct SKUs.',
  },
  checkout_in_progress: {
    kind: 'conflict',
    title: 'Checkout in progress',
    description: 'Another checkout of this cart is running; retry to get its order.',
  },
  payment_declined: {
    kind: 'unprocessable',
    title: 'Payment declined',
    description: 'The payment provider declined; the stock hold was released and the cart stays open.',
  },
  payment_timeout: {
    kind: 'unavailable',
    title: 'Payment timed out',
    description:
      'The payment provider did not answer in time; the hold was released and the cart stays open. Retry ' +
      'after `Retry-After` seconds.',
  },
  unknown_payment_method: {
    kind: 'unprocessable',
    title: 'Unknown payment method',
    description: 'No payment provider is configured for this method.',
  },
  order_not_found: {
    kind: 'not_found',
    title: 'Unknown order',
    description: 'No order has this id.',
  },
  order_transition_invalid: {
    kind: 'conflict',
    title: 'Order cannot do that now',
    description: 'The order is in a status that does not allow this step (e.g. cancel after shipping).',
  },
  fulfilment_not_found: {
    kind: 'not_found',
    title: 'Unknown fulfilment',
    description: 'No fulfilment has this id.',
  },
  cart_expired: {
    kind: 'conflict',
    title: 'Cart expired',
    description:
      'The cart was left untouched longer than the cart expiry (abandoned); it can no longer change or check ' +
      'out. Start a new cart.',
  },
  fulfilment_not_shipped: {
    kind: 'conflict',
    title: 'Fulfilment not shipped',
    description: 'Only a shipped fulfilment can be marked delivered.',
  },
  refund_exceeds_paid: {
    kind: 'unprocessable',
    title: 'Refund exceeds what was paid',
    description:
      'The refund is larger than the order total minus what was refunded already; `refundable` says how much is left.',
  },
  refund_failed: {
    kind: 'unavailable',
    title: 'Refund failed',
    description:
      'The payment provider did not refund; nothing was recorded as refunded. Retry the same refund (same id) ' +
      'after `Retry-After` seconds.',
  },
  return_exceeds_shipped: {
    kind: 'unprocessable',
    title: 'More returned than shipped',
    description:
      'A line returns more units than the order shipped minus those already returned; `lines` lists ' +
      '`shipped`, `returned` and `requested`.',
  },
  return_line_not_in_order: {
    kind: 'unprocessable',
    title: 'SKU not in the order',
    description: 'A return line names a SKU the order does not contain; `skus` lists them.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
