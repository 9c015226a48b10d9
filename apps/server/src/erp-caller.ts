import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';
import { DomainError, traceHeaders, unavailable, type ErrorKind, type HttpApp } from '@tillstream/kernel';
import { applySnapshotDelta } from '@tillstream/pricing';

type Method = 'GET' | 'POST';

/** Request headers a port adds to its call (e.g. `if-none-match`); the key and trace are always sent. */
export type ErpHeaders = Record<string, string>;

/**
 * Sends a request to ERP with a service key and answers the status and JSON body (`null` when there is none,
 * as with a 304). Embedded runs ERP in-process (`inProcessErpCall`), scale-out reaches it over HTTP.
 */
export type ErpCall = (
  method: Method,
  path: string,
  body?: unknown,
  headers?: ErpHeaders,
) => Promise<ErpAnswer>;
export interface ErpAnswer {
  status: number;
  body: unknown;
}

/** ERP over the network (scale-out). The caller's trace goes along, so what ERP writes shares its correlation. */
export function httpErpCall(baseUrl: string, apiKey: () => string, timeoutMs: number): ErpCall {
  return async (method, path, body, headers) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        ...headers,
        authorization: `Bearer ${apiKey()}`,
        ...traceHeaders(method !== 'GET'),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

/** ERP in the same process (embedded), through the app's own routes, so keys, scopes and schemas still apply. */
export function inProcessErpCall(app: HttpApp, apiKey: () => string, timeoutMs: number): ErpCall {
  return async (method, path, body, headers) => {
    // The same timeout as over the network: an in-process call can stall too (e.g. while draining).
    const response = await Promise.race([
      app.inject({
        method,
        url: path,
        headers: { ...headers, authorization: `Bearer ${apiKey()}`, ...traceHeaders(method !== 'GET') },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
      new Promise<never>((_, reject) => {
        setTimeout(() => reject(new Error('ERP call timed out')), timeoutMs).unref();
      }),
    ]);
    return { status: response.statusCode, body: response.body ? response.json() : null };
  };
}

const down = (detail: string) => unavailable('service_unavailable', detail, { retryAfterSeconds: 1 });

const REFUSAL_KINDS: Record<number, ErrorKind> = {
  400: 'invalid',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  422: 'unprocessable',
};

/**
 * ERP refused the request itself (a 4xx it would answer again): retrying cannot help, so the caller gets a
 * 4xx too, with ERP's code, rather than a 503 with `Retry-After`. 401/403 (the service's own key) and 429 stay
 * 503s: they are this deployment's problem or passing, not the shopper's.
 */
const refused = (answer: ErpAnswer, what: string) => {
  const kind = REFUSAL_KINDS[answer.status];
  const body = (answer.body ?? {}) as Record<string, unknown>;
  const code = typeof body.code === 'string' ? body.code : undefined;
  if (!kind || !code) return null;
  // What ERP's problem says beyond its own envelope (the `skus` or `lines` it refused) reaches the caller too.
  const {
    type: _type,
    title: _title,
    status: _status,
    detail: _detail,
    code: _code,
    traceId: _traceId,
    instance: _instance,
    ...extensions
  } = body;
  return new DomainError(kind, code, `ERP refused ${what} (${answer.status} ${code})`, {
    ...extensions,
    erpStatus: answer.status,
  });
};

/**
 * Calls ERP the way every context's port does: no answer is 503 `service_unavailable` with `Retry-After`, and
 * `expectOk` turns any answer but 200/201 into ERP's own refusal (a 4xx with its code) or a 503.
 */
export function erpSender(call: ErpCall) {
  return {
    async send(method: Method, path: string, body?: unknown, headers?: ErpHeaders): Promise<ErpAnswer> {
      try {
        return await call(method, path, body, headers);
      } catch {
        throw down('ERP did not answer in time');
      }
    },
    expectOk(answer: ErpAnswer, what: string): void {
      if (answer.status === 200 || answer.status === 201) return;
      throw refused(answer, what) ?? down(`ERP answered ${answer.status} to ${what}`);
    },
  };
}

type ErpSender = ReturnType<typeof erpSender>;

/**
 * Takes the uses of an order's or a sale's limited promotions in ERP (`POST /erp/v1/redemptions`), for
 * commerce's checkout and an online till alike. ERP's 409 `promotion_usage_exhausted` is an answer (nothing
 * was taken; it names the promotions used up); any other refusal or no answer throws as `expectOk` does.
 */
export async function redeemInErp(
  { send, expectOk }: ErpSender,
  request: unknown,
): Promise<{ redeemed: true; promotionIds: string[] } | { redeemed: false; promotionIds: string[] }> {
  const answer = await send('POST', '/erp/v1/redemptions', request);
  const body = (answer.body ?? {}) as { code?: string; promotionIds?: string[] };
  if (answer.status === 409 && body.code === 'promotion_usage_exhausted')
    return { redeemed: false, promotionIds: body.promotionIds ?? [] };
  expectOk(answer, 'a redemption');
  return { redeemed: true, promotionIds: body.promotionIds ?? [] };
}

/** ERP's current pricing snapshot; its ETag is the quoted version. */
const PRICING_SNAPSHOT_PATH = '/erp/v1/pricing/snapshot';

/** What changed in ERP's pricing snapshot since a version: 200 a delta, 204 nothing newer, 410 not kept. */
export async function readSnapshotDelta(
  { send }: ErpSender,
  since: number,
): Promise<PricingSnapshotDelta | 'unchanged' | 'gone'> {
  const answer = await send('GET', `${PRICING_SNAPSHOT_PATH}/delta?since=${since}`);
  if (answer.status === 204) return 'unchanged';
  if (answer.status === 410) return 'gone';
  if (answer.status === 200) return answer.body as PricingSnapshotDelta;
  throw down(`ERP answered ${answer.status} to a pricing snapshot delta`);
}

/**
 * ERP's current pricing snapshot for a holder of `held`, for POS and commerce alike: what changed since its
 * version, applied to it, so one price change costs its own bytes rather than the whole catalog's, and
 * `'unchanged'` while that version is current. The whole snapshot (conditionally on the version held) only when
 * nothing is held or ERP no longer keeps that version; null when ERP has none. Any other answer is ERP's
 * trouble, not the caller's: 503.
 */
export async function readPricingSnapshot(
  sender: ErpSender,
  held: PricingSnapshot | null,
): Promise<PricingSnapshot | 'unchanged' | null> {
  if (held) {
    const delta = await readSnapshotDelta(sender, held.version);
    if (delta === 'unchanged') return 'unchanged';
    if (delta !== 'gone' && delta.baseVersion === held.version) return applySnapshotDelta(held, delta);
  }
  const conditional = held ? { 'if-none-match': `"${held.version}"` } : undefined;
  const answer = await sender.send('GET', PRICING_SNAPSHOT_PATH, undefined, conditional);
  if (answer.status === 304) return 'unchanged';
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw down(`ERP answered ${answer.status} to a pricing snapshot read`);
  return answer.body as PricingSnapshot;
}
