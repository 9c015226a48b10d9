import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type onRequestHookHandler,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger.js';
import type { ApiKeyStore } from '../auth/api-keys.js';
import { hasScope, type Principal, type Scope } from '../auth/scopes.js';
import { createValidatorCompiler } from './validation.js';
import { registerJsonBody } from './json-body.js';
import { trackAllowedMethods } from './allowed-methods.js';
import { registerCors } from './cors.js';
import { publicRateLimiter, type PublicRateLimits } from './rate-limit.js';
import { problem, problemDocument, sendProblem, toProblem } from './problem.js';
import { withRouteHook } from './route-hooks.js';
import { lazyRequestLogger } from './request-logger.js';
import { lazySchemaCompilers } from './lazy-schemas.js';
import { freshTraceId, parseTraceparent, requestOrigin, runWithOrigin } from '../events/origin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a caller's key needs, or 'public' for routes open to anyone (health, docs, storefront reads). */
    scope?: Scope | 'public';
    /** false: a public route whose requests are not rate-limited (health probes, metrics). */
    rateLimit?: false;
    /** Its answer carries a secret shown once (an API key issued): never kept for an Idempotency-Key replay. */
    secretInAnswer?: true;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Compiles every route schema now instead of on the route's first request (see lazySchemaCompilers). */
    compileRouteSchemas(): void;
  }
}

export interface HttpAppOptions {
  logger: Logger;
  apiKeys: ApiKeyStore;
  bodyLimitBytes: number;
  maxUrlLength: number;
  /** Origins whose web pages may call the API from a browser (`*`: any); none by default. */
  corsOrigins?: readonly string[];
  /**
   * How long a client may take to send a whole request, headers and body: a connection that sends part of a
   * body and then nothing would otherwise be held open for good (Fastify turns Node's own limit off).
   */
  requestTimeoutMs?: number;
  /** Per client address, on public routes; none by default. */
  publicRateLimits?: PublicRateLimits;
  /**
   * Proxies (addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`) whose `X-Forwarded-For` tells
   * the client's address: behind a load balancer every request would otherwise come from its address.
   */
  trustProxy?: readonly string[];
}

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The trace id of a W3C traceparent header when a valid one came in, else a fresh one. */
function traceIdFrom(header: string | string[] | undefined): string {
  return parseTraceparent(header)?.traceId ?? freshTraceId();
}

type RouteHook = onRequestHookHandler;

const REQUEST_LINE = /^[A-Z]+ /;

/**
 * What Node's parser refused, as a catalogue code. A head too large is 414 `uri_too_long` when the request
 * line alone is past `maxUrlLength` (as the onRequest check answers a shorter one), else 431. The parser
 * hands over only the chunk it failed in: a request line split over several reads is 431 too.
 */
function clientErrorCode(error: Error, maxUrlLength: number): { status: number; code: string } {
  const { code } = error as { code?: string };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout' };
  if (code !== 'HPE_HEADER_OVERFLOW') return { status: 400, code: 'bad_request' };
  const packet = (error as { rawPacket?: Buffer }).rawPacket;
  if (packet && REQUEST_LINE.test(packet.subarray(0, 16).toString('latin1'))) {
    const lineEnd = packet.indexOf('\r\n');
    if ((lineEnd === -1 ? packet.length : lineEnd) > maxUrlLength)
      return { status: 414, code: 'uri_too_long' };
  }
  return { status: 431, code: 'request_headers_too_large' };
}

/**
 * Node's HTTP server settings. A request without a Host header is left to the onRequest hook, which answers
 * it with a problem document (Node's own check sends a bare 400). With `requestTimeoutMs`, the whole request
 * must arrive within it, the head too (Node's 60 s otherwise), checked every few seconds rather than every 30
 * (Node's default), so a slow sender is cut off close to its deadline; Node answers 408 through the client
 * error handler.
 */
function serverSettings(requestTimeoutMs: number | undefined) {
  const http = { requireHostHeader: false };
  if (!requestTimeoutMs) return { http };
  return {
    requestTimeout: requestTimeoutMs,
    http: {
      ...http,
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs),
    },
  };
}

/** A problem document for a request answered before Fastify routed it, so without a request to read. */
function unroutedProblem(status: number, code: string, detail: string): { traceId: string; body: string } {
  const traceId = traceIdFrom(undefined);
  return { traceId, body: JSON.stringify(problemDocument(status, code, detail, traceId)) };
}

/** The credentials of `Authorization: Bearer …`, the scheme in any case and spaces or tabs after it (RFC 9110 §11). */
function bearerToken(request: FastifyRequest): string {
  const matched = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
  return matched?.[1] ?? '';
}

/** Past this, a body refused for its size is not read to the end: the connection is closed instead. */
const DRAIN_REFUSED_BODY_UP_TO = 32 * 1024 * 1024;

/**
 * Fastify answers a body refused for its declared size with `connection: close`, and the socket is closed
 * while the client may still be sending: the reset that follows can take the 413 with it before the client
 * has read it (seen as EPIPE in a test under load). A body refused on its Content-Length alone has not been
 * read at all, so Node reads the rest and drops it if the connection is kept (as for any handler that
 * ignores its body); the client then gets its answer and may reuse the connection. Beyond a bound, or for a
 * body cut off mid-stream, the connection is still closed.
 */
function drainsInstead(request: FastifyRequest): boolean {
  const declared = Number(request.headers['content-length']);
  return (
    Number.isFinite(declared) && declared <= DRAIN_REFUSED_BODY_UP_TO && request.raw.readableFlowing === null
  );
}

/**
 * Path parameters are bounded by their schemas and the whole URL by maxUrlLength (a problem document), not by
 * the router's own limit, which would answer 414 in plain JSON.
 */
const ROUTER_OPTIONS = { maxParamLength: 100_000, ignoreTrailingSlash: true };

/** Methods that read only: their handlers write no events, and run without a request origin. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs a route's handler with the request's origin (see events/origin.ts), so that the transactions it opens,
 * through any store, stamp their events with the request's trace and correlation id: those opened before its
 * first await directly, later ones through `keepOrigin()`. Read-only routes are left alone: the hot storefront
 * reads pay nothing for it.
 */
function withRequestOrigin(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.every((method) => READS.has(method))) return;
  const handler = route.handler;
  route.handler = function handleWithOrigin(this: FastifyInstance, request, reply) {
    const origin = requestOrigin(request.id, request.headers.traceparent);
    return runWithOrigin(origin, () => handler.call(this, request, reply));
  };
}

/**
 * The HTTP app every context is mounted on: strict JSON Schema validation, problem+json for every error,
 * API-key auth by route scope, trace ids, and limits on body and URL size.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: schemas.serializers(SerializerSelector()) } },
    loggerInstance: options.logger,
    // Per-request log lines cost more than the request at POS ingest rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: options.bodyLimitBytes,
    genReqId: (request) => traceIdFrom(request.headers.traceparent),
    requestIdHeader: false,
    return503OnClosing: true,
    ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
    forceCloseConnections: 'idle',
    ...serverSettings(options.requestTimeoutMs),
    routerOptions: ROUTER_OPTIONS,
    frameworkErrors: (error, request, reply) => {
      sendProblem(reply, problem(request, 400, 'bad_request', error.message));
    },
    ajv: { customOptions: { coerceTypes: false } },
    clientErrorHandler: (error, socket) => {
      // Requests Node's parser refuses (a head too large, bytes that are not HTTP) never reach Fastify; they
      // still get a problem document with a catalogue code and a trace id, then the connection is closed.
      const { status, code } = clientErrorCode(error, options.maxUrlLength);
      const { traceId, body } = unroutedProblem(status, code, error.message);
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
            `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `X-Trace-Id: ${traceId}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // An Expect other than 100-continue is answered by Node itself, before Fastify, with an empty 417; this
  // listener replaces that answer with a problem document like every other refusal.
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const detail = `Expect: ${request.headers.expect} is not supported; only 100-continue is`;
    const { traceId, body } = unroutedProblem(417, 'expectation_failed', detail);
    response.writeHead(417, { 'content-type': 'application/problem+json', 'x-trace-id': traceId });
    response.end(body);
  });

  // The kit's own parts see the app untyped: they read no route's types, and its pino logger is not the
  // FastifyBaseLogger their signatures name.
  const untyped = app as unknown as FastifyInstance;
  const allowedMethods = trackAllowedMethods(untyped, ROUTER_OPTIONS);
  registerJsonBody(untyped);
  registerCors(untyped, options.corsOrigins ?? []);
  app.setValidatorCompiler(schemas.validator(createValidatorCompiler()));
  app.decorate('compileRouteSchemas', schemas.compileAll);
  app.decorateRequest('principal', null);

  /** Answers 401/403 unless the request carries a key with `scope`; sets `request.principal` when it does. */
  async function requireKey(request: FastifyRequest, reply: FastifyReply, scope: Scope) {
    const token = bearerToken(request);
    const principal = token ? await options.apiKeys.verify(token) : null;
    if (!principal) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(reply, problem(request, 401, 'unauthorized', 'A valid API key is required'));
    }
    if (!hasScope(principal, scope)) {
      return sendProblem(
        reply,
        problem(request, 403, 'insufficient_scope', `This route needs the ${scope} scope`, {
          requiredScope: scope,
        }),
      );
    }
    request.principal = principal;
  }

  /**
   * A public route needs no key, but a request that comes with a valid key learns its caller: a POST's
   * Idempotency-Key is then scoped to that key (see registerIdempotency), and the rate limit does not count it.
   * An invalid key is ignored, not refused.
   */
  async function identifyCaller(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (token) request.principal = await options.apiKeys.verify(token);
  }

  const rateLimiter = publicRateLimiter(
    untyped,
    options.publicRateLimits ?? { readsPerMinute: 0, writesPerMinute: 0 },
    identifyCaller,
  );

  const authenticate = (scope: Scope): RouteHook =>
    async function authenticate(request: FastifyRequest, reply: FastifyReply) {
      return requireKey(request, reply, scope);
    };

  // Every request, matched or not: a trace id header and the URL limit. Synchronous: no I/O happens here, and
  // an async hook costs a promise and a tick on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-trace-id', request.id);
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      sendProblem(
        reply,
        problem(request, 400, 'bad_request', 'An HTTP/1.1 request must carry a Host header'),
      );
      return;
    }
    if (request.url.length > options.maxUrlLength) {
      sendProblem(
        reply,
        problem(request, 414, 'uri_too_long', `URL longer than ${options.maxUrlLength} characters`),
      );
      return;
    }
    done();
  });

  /**
   * A route registered without a scope may still get one from a plugin's own onRoute hook, which runs after
   * this app's (the web app marks its static files public that way): such routes read their scope per request.
   * Undeclared ones need admin, except the API docs plugin's own routes.
   */
  const byFinalScope: RouteHook = async function byFinalScope(request: FastifyRequest, reply: FastifyReply) {
    const scope =
      request.routeOptions.config.scope ??
      (request.routeOptions.url?.startsWith('/docs') ? 'public' : 'admin');
    if (scope !== 'public') return requireKey(request, reply, scope);
  };

  // Auth is decided per route when it is registered, so routes that declare themselves public (health,
  // storefront reads) run no auth hook at all; public POSTs only look at a key when one is sent, and so does
  // the rate limit of a public route. Unmatched URLs answer 404 without auth: nothing is there to protect.
  app.addHook('onRoute', (route) => {
    withRequestOrigin(route);
    const declared = route.config?.scope;
    if (declared === 'public') {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      // A hook of the route's own, after the app's (CORS's among them, so that a page can read a 429).
      const limit = rateLimiter.limitFor(route);
      if (limit) route.onRequest = withRouteHook(route.onRequest, limit);
      else if (methods.includes('POST'))
        route.onRequest = withRouteHook<RouteHook>(route.onRequest, identifyCaller);
      return;
    }
    route.onRequest = withRouteHook(route.onRequest, declared ? authenticate(declared) : byFinalScope);
  });

  // On shutdown, answers to requests already in flight close their connection: a kept-alive socket would
  // otherwise hold close() open until the keep-alive timeout, well past any drain deadline.
  let closing = false;
  // Connections on which the client has sent nothing yet: Node counts them as busy (so a client that never
  // sends its headers still meets the headers timeout) and closeIdleConnections() passes them over, so an
  // HTTP client's spare pooled connection would hold close() open until that timeout.
  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
    for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    else if (reply.statusCode === 413 && drainsInstead(request)) reply.removeHeader('connection');
    done(null, payload);
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error as FastifyError, request);
    // A refusal that says when to try again says it in the header too (any status: a checkout of the cart
    // still running is a 409), and a 503 always does.
    if (body.retryAfterSeconds !== undefined || body.status === 503)
      reply.header('retry-after', String(body.retryAfterSeconds ?? 1));
    if (body.status >= 500 && body.status !== 503)
      request.log.error({ err: error, traceId: request.id }, 'request failed');
    return sendProblem(reply, body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = allowedMethods(path);
    if (allowed.length === 0)
      return sendProblem(
        reply,
        problem(request, 404, 'route_not_found', `No route for ${request.method} ${path}`),
      );
    reply.header('allow', allowed.join(', '));
    return sendProblem(
      reply,
      problem(request, 405, 'method_not_allowed', `${path} does not take ${request.method}`, { allowed }),
    );
  });

  return app as unknown as HttpApp;
}
