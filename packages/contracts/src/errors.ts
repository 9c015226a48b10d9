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
    description: 'A sale with this id exists with different content; a retry must resend the same body.',
  },
  service_unavailable: {
    kind: 'unavailable',
    title: 'Service unavailable',
    description:
      'A dependency did not answer in time; the answer carries `Retry-After` (seconds): retry then.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
