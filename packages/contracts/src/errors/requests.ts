import type { ErrorEntry } from './entry.js';

/** Errors of any request: its shape, its key and scopes, Idempotency-Key, and the server itself. */
export const REQUEST_ERRORS = {
  validation_failed: {
    kind: 'invalid',
    title: 'Request failed validation',
    description:
      'The body, path or query does not match the route schema, or holds text no database can store as sent ' +
      '(a NUL character, U+0000, or a lone surrogate such as `\\ud800`) anywhere; `errors` lists where.',
  },
  malformed_json: { kind: 'invalid', title: 'Malformed JSON', description: 'The body is not valid JSON.' },
  body_too_deep: {
    kind: 'invalid',
    title: 'Body nested too deep',
    description:
      'The body nests objects and arrays more than 32 levels deep; no request of this API needs more than five.',
  },
  unsupported_media_type: {
    kind: 'invalid',
    title: 'Unsupported media type',
    description:
      'Send `Content-Type: application/json` with a body in UTF-8 (no other `charset`) and uncompressed ' +
      '(no `Content-Encoding`).',
    status: 415,
  },
  expectation_failed: {
    kind: 'invalid',
    title: 'Expectation not supported',
    description:
      'The `Expect` header asks for something other than `100-continue`, the one expectation served.',
    status: 417,
  },
  body_too_large: {
    kind: 'too_large',
    title: 'Body too large',
    description: 'The body exceeds the configured limit (`bodyLimitBytes`, 1 MiB by default).',
  },
  uri_too_long: {
    kind: 'invalid',
    title: 'URI too long',
    description: 'The request target exceeds `maxUrlLength`.',
    status: 414,
  },
  request_headers_too_large: {
    kind: 'invalid',
    title: 'Request headers too large',
    description:
      'The request line and headers together exceed what the HTTP server reads at all (16 KiB). A request line ' +
      'that is too long on its own is `uri_too_long` (414) instead. The connection is closed.',
    status: 431,
  },
  bad_request: { kind: 'invalid', title: 'Bad request', description: 'The request could not be read.' },
  request_timeout: {
    kind: 'invalid',
    title: 'Request timeout',
    description:
      'The request, headers and body, did not arrive within `requestTimeoutMs` (60 s by default). The ' +
      'connection is closed.',
    status: 408,
  },
  route_not_found: {
    kind: 'not_found',
    title: 'No such route',
    description: 'No route answers this path, with any method.',
  },
  method_not_allowed: {
    kind: 'invalid',
    title: 'Method not allowed',
    description:
      'The path exists but does not take this method; the `Allow` header and `allowed` list the ones it takes.',
    status: 405,
  },
  rate_limited: {
    kind: 'unavailable',
    title: 'Too many requests',
    description:
      'This client address sent more public requests (storefront reads, or cart and checkout writes) in the ' +
      'last minute than `publicReadsPerMinute` or `publicWritesPerMinute` allow. Wait `Retry-After` seconds ' +
      '(also `retryAfterSeconds`); every answer of a limited route states the quota in `RateLimit-Policy` and ' +
      'what is left in `RateLimit`. A request with a valid API key is not counted.',
    status: 429,
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
  secret_shown_once: {
    kind: 'conflict',
    title: 'Secret shown once',
    description:
      'A retry with the `Idempotency-Key` of a request whose answer carried a secret shown once (registering a ' +
      'terminal or rotating its API key, creating a webhook or rotating its signing secret): the request was ' +
      'done, and its secret is not kept for replay (API keys are stored only as hashes), so it cannot be shown ' +
      'again. If the first answer was lost, rotate the key or the secret.',
  },
  idempotency_request_in_progress: {
    kind: 'conflict',
    title: 'Request with this Idempotency-Key in progress',
    description: 'A request with the same key has not finished; retry after it does.',
  },
  backup_in_progress: {
    kind: 'conflict',
    title: 'A backup is running',
    description:
      'One backup runs at a time (`POST /ops/v1/backups`); ask again once it is done. Its directory appears in ' +
      '`GET /ops/v1/backups` when complete.',
  },
  backup_failed: {
    kind: 'unavailable',
    title: 'The backup could not be written',
    description:
      'Writing the copy failed (the backup directory is not writable, or the disk is full); `detail` says why. ' +
      'Nothing was left half-written: a backup directory is either complete or absent. The platform goes on serving.',
  },
  internal_error: {
    kind: 'internal',
    title: 'Internal error',
    description: 'An unexpected error; it is logged with the trace id. Nothing was half-written.',
  },
  database_unavailable: {
    kind: 'unavailable',
    title: 'Database unavailable',
    description:
      "The service's database could not be reached (refused, reset, timed out, restarting), its disk is full, " +
      'or every connection of the service stayed in use for 10 s (`detail` says which). Retry after the `Retry-After` seconds: a write that names its own id (a ' +
      'sale, a stock adjustment) is applied once when retried, even if the first attempt committed just ' +
      'before the connection was lost.',
  },
  service_unavailable: {
    kind: 'unavailable',
    title: 'Service unavailable',
    description:
      'A dependency did not answer in time; the answer carries `Retry-After` (seconds): retry then.',
  },
} as const satisfies Record<string, ErrorEntry>;
