import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Every method a route of the API takes (the library's default lets only GET, HEAD and POST through). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Request headers a page may send: the ones the API reads. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'if-none-match',
  'last-event-id',
  'traceparent',
  'tracestate',
];
/** Answer headers a page may read besides the CORS-safelisted ones: the ones a client acts on. */
const EXPOSED_HEADERS = [
  'allow',
  'etag',
  'idempotency-key-ignored',
  'idempotent-replayed',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'www-authenticate',
  'x-trace-id',
];
/** How long a browser may reuse a preflight's answer (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Lets web pages of the given origins call the API from a browser: a headless storefront on
 * https://shop.example.com reading products and filling carts, a back-office page using an API key. `*` lets
 * any origin in. Keys travel in `Authorization`, never in cookies, so no credentials are allowed and a page
 * of another origin can do only what its key lets it. Without origins nothing is registered and browsers keep
 * their same-origin rule.
 *
 * A preflight (OPTIONS) is answered in @fastify/cors's onRequest hook, before any route's key check: a
 * browser sends no `Authorization` with it. An OPTIONS that is not a preflight gets the same 204 rather than a
 * plain-text 400 (`strictPreflight: false`): every other answer of the API is JSON.
 */
export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  // Queued, not awaited: it loads before every plugin registered after it, the contexts' routes among them.
  void app.register(fastifyCors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    strictPreflight: false,
  });
}
