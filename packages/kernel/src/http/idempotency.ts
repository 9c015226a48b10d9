import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import type { Db } from '../db/port.js';
import type { Clock } from '../clock.js';
import { withRouteHook } from './route-hooks.js';
import { problem, sendProblem } from './problem.js';
import { canonicalJson, sha256Hex } from '../fingerprint.js';

export interface IdempotencyOptions {
  db: Db;
  clock: Clock;
  /** How long a key and its stored answer are kept (at least 24 h; longer for POS sync). */
  ttlHours: number;
}

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_body: string | null;
}

interface PendingKey {
  principal: string;
  key: string;
}

/** An in-progress key older than this belongs to a request whose process died; a retry may take it over. */
const ABANDONED_AFTER_MS = 60_000;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: PendingKey | null;
  }
}

/**
 * What tells a retry from another request under the key: method, URL and body, its members in key order, so
 * a client that builds the same body again in another order is retrying, not reusing the key.
 */
function requestHash(request: FastifyRequest): string {
  return sha256Hex(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`);
}

/** The hash keys stored before bodies were put in key order had: their retries after an upgrade still match. */
function requestHashAsSent(request: FastifyRequest): string {
  return sha256Hex(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
}

/**
 * `Idempotency-Key` on mutating POSTs (Stripe / IETF draft semantics), registered per context on its own
 * database. The first answer (any status below 500) is stored and replayed with `Idempotent-Replayed: true`;
 * the same key with another request is 422; while the first is running, 409. A 5xx, or an answer with
 * `Retry-After`, frees the key for a retry.
 * Keys are scoped to the API key that sent them, so two callers cannot collide. A request without a key (a public
 * route: the storefront's carts) has nothing only its caller holds to scope by, and a shared namespace would let
 * one shopper replay another's answer (their cart id): its header is ignored, and the answer says so with
 * `Idempotency-Key-Ignored: anonymous`. Public POSTs protect themselves where it matters (checkout claims the
 * cart; a cart becomes at most one order). The hooks are attached to POST routes only, when they are
 * registered: reads and PUTs (idempotent by themselves) pay nothing for them.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  app.decorateRequest('idempotencyKey', null);

  const claimKey: preHandlerHookHandler = async function claimKey(
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return;
    if (!request.principal) {
      reply.header('idempotency-key-ignored', 'anonymous');
      return;
    }
    const principal = request.principal.keyId;
    const key = Array.isArray(header) ? (header[0] ?? '') : header;
    if (!KEY_PATTERN.test(key)) {
      return sendProblem(
        reply,
        problem(
          request,
          400,
          'idempotency_key_invalid',
          'Idempotency-Key must be 1-255 visible ASCII characters',
        ),
      );
    }
    const hash = requestHash(request);
    const now = options.clock.now();
    const expiredBefore = new Date(now.getTime() - options.ttlHours * 3_600_000).toISOString();
    const existing = await options.db.transaction(async (tx) => {
      await tx.execute(
        'DELETE FROM idempotency_keys WHERE principal = $1 AND idempotency_key = $2 AND created_at < $3',
        [principal, key, expiredBefore],
      );
      // A first request that died mid-flight (process killed) must not block its retries forever.
      await tx.execute(
        `DELETE FROM idempotency_keys WHERE principal = $1 AND idempotency_key = $2 AND state = 'in_progress' AND created_at < $3`,
        [principal, key, new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString()],
      );
      const inserted = await tx.execute(
        `INSERT INTO idempotency_keys (principal, idempotency_key, method, path, request_hash, state, created_at)
         VALUES ($1, $2, $3, $4, $5, 'in_progress', $6) ON CONFLICT DO NOTHING`,
        [principal, key, request.method, request.url, hash, now.toISOString()],
      );
      if (inserted === 1) return null;
      const rows = await tx.query<KeyRow>(
        'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE principal = $1 AND idempotency_key = $2',
        [principal, key],
      );
      return rows[0] ?? null;
    });
    if (!existing) {
      request.idempotencyKey = { principal, key };
      return;
    }
    if (existing.request_hash !== hash && existing.request_hash !== requestHashAsSent(request)) {
      return sendProblem(
        reply,
        problem(
          request,
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request',
        ),
      );
    }
    if (existing.state === 'in_progress') {
      reply.header('retry-after', '1');
      return sendProblem(
        reply,
        problem(
          request,
          409,
          'idempotency_request_in_progress',
          'A request with this Idempotency-Key is still in progress',
        ),
      );
    }
    const body = existing.response_body ?? '';
    const isProblem = body.includes('"urn:tillstream:problem:');
    return reply
      .code(existing.response_status ?? 200)
      .header('idempotent-replayed', 'true')
      .type(isProblem ? 'application/problem+json' : 'application/json')
      .send(body);
  };

  const storeAnswer: onSendHookHandler = async function storeAnswer(request, reply, payload) {
    const pending = request.idempotencyKey;
    if (!pending) return payload;
    request.idempotencyKey = null;
    try {
      const kept = keptForReplay(request, reply.statusCode, payload);
      await storeOrFree(pending, kept.status, reply.hasHeader('retry-after'), kept.payload);
    } catch (error) {
      // The answer goes out as the handler gave it. Below 500 what the handler did is committed: turned into a
      // 5xx it would send the caller to retry work already done. The key stays in progress, so a retry with it
      // meets 409, not a second run, until the key counts as abandoned, as after a crash at this point.
      request.log.warn({ err: error, idempotencyKey: pending.key }, 'idempotency answer not stored');
    }
    return payload;
  };

  /**
   * What is kept for replay: the answer, unless it carries a secret shown once (an API key issued), which is
   * kept nowhere, in this table no more than in the keys' (only their hashes): its replay is a 409 saying
   * the request was done and its secret cannot be shown again.
   */
  function keptForReplay(request: FastifyRequest, status: number, payload: unknown) {
    if (!request.routeOptions.config.secretInAnswer || status >= 300) return { status, payload };
    const detail =
      'This request was done and answered with a secret, which is shown only once: it is not kept to show again';
    return { status: 409, payload: problem(request, 409, 'secret_shown_once', detail) };
  }

  /**
   * Stores the first answer for replay, or frees the key so that a retry runs again: after a 5xx, and after
   * any answer that says when to try again (`Retry-After`, such as 409 `checkout_in_progress` while another
   * checkout of the cart runs). That answer is no outcome of the request: stored, every retry with the key
   * would replay it for the key's lifetime, though the retry it asks for would have gone through.
   */
  async function storeOrFree(
    pending: PendingKey,
    status: number,
    saysRetry: boolean,
    payload: unknown,
  ): Promise<void> {
    await options.db.transaction(async (tx) => {
      if (status >= 500 || saysRetry) {
        await tx.execute('DELETE FROM idempotency_keys WHERE principal = $1 AND idempotency_key = $2', [
          pending.principal,
          pending.key,
        ]);
        return;
      }
      await tx.execute(
        `UPDATE idempotency_keys SET state = 'done', response_status = $1, response_body = $2
         WHERE principal = $3 AND idempotency_key = $4`,
        [
          status,
          typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
          pending.principal,
          pending.key,
        ],
      );
    });
  }

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    route.preHandler = withRouteHook(route.preHandler, claimKey);
    route.onSend = withRouteHook(route.onSend, storeAnswer);
  });
}

/** Deletes stored keys past their lifetime; the server runs it periodically. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date, ttlHours: number): Promise<number> {
  const before = new Date(now.getTime() - ttlHours * 3_600_000).toISOString();
  return db.transaction((tx) => tx.execute('DELETE FROM idempotency_keys WHERE created_at < $1', [before]));
}
