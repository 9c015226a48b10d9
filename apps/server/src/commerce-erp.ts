import type { ErpPort, ShortLine } from '@tillstream/commerce';
import type { PricingSnapshot } from '@tillstream/contracts';
import { DomainError, conflict, traceHeaders, unavailable, type ErrorKind } from '@tillstream/kernel';

/** Sends a request to ERP and answers status and JSON body; embedded uses in-process inject, scale-out HTTP. */
export type ErpCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<ErpAnswer>;
export interface ErpAnswer {
  status: number;
  body: unknown;
}

interface Problem {
  code?: string;
  lines?: ShortLine[];
  expiresAt?: string;
  promotionIds?: string[];
}

export function httpErpCall(baseUrl: string, apiKey: () => string, timeoutMs: number): ErpCall {
  return async (method, path, body) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${apiKey()}`,
        ...traceHeaders(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
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
 * 4xx too, with ERP's code, rather than a 503 with `Retry-After`. 401/403 (commerce's own key) and 429 stay
 * 503s: they are this deployment's problem or passing, not the shopper's.
 */
const refused = (answer: ErpAnswer, what: string) => {
  const kind = REFUSAL_KINDS[answer.status];
  const code = ((answer.body ?? {}) as Problem).code;
  if (!kind || !code) return null;
  return new DomainError(kind, code, `ERP refused ${what} (${answer.status} ${code})`, {
    erpStatus: answer.status,
  });
};

/**
 * Calls ERP the way every context's port does: no answer is 503 `service_unavailable` with `Retry-After`, and
 * `expectOk` turns any answer but 200/201 into ERP's own refusal (a 4xx with its code) or a 503.
 */
export function erpSender(call: ErpCall) {
  return {
    async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ErpAnswer> {
      try {
        return await call(method, path, body);
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

/**
 * Commerce's port onto ERP's pricing, redemption and reservation APIs. Anything but the expected answers (timeout,
 * refused connection, 5xx) becomes 503 `service_unavailable` with `Retry-After`: checkout fails closed. A request
 * ERP refuses as such (400, 404, 409, 413, 422 with a code) becomes the same 4xx problem: a retry would not help.
 */
export function createCommerceErp(call: ErpCall): ErpPort {
  const { send, expectOk } = erpSender(call);
  return {
    async pricingSnapshot() {
      const answer = await send('GET', '/erp/v1/pricing/snapshot');
      if (answer.status === 404) return null;
      expectOk(answer, 'the pricing snapshot');
      return answer.body as PricingSnapshot;
    },
    async hold(request) {
      const answer = await send('POST', '/erp/v1/reservations', request);
      const body = (answer.body ?? {}) as Problem;
      if (answer.status === 409 && body.code === 'insufficient_stock') {
        return { held: false, lines: body.lines ?? [] };
      }
      expectOk(answer, 'a reservation');
      return { held: true, expiresAt: String(body.expiresAt) };
    },
    async commit(id) {
      expectOk(await send('POST', `/erp/v1/reservations/${encodeURIComponent(id)}/commit`), 'a commit');
    },
    async release(id) {
      const answer = await send('POST', `/erp/v1/reservations/${encodeURIComponent(id)}/release`);
      // ERP answers an expired or released hold 200 unchanged: the stock is back either way. A 409 means the
      // units were not given back (committed: the goods left; or part of the order shipped), so whatever
      // the release was for (a cancel and its refund) must not go on.
      if (answer.status === 409) {
        const erpCode = ((answer.body ?? {}) as Problem).code;
        throw conflict('order_transition_invalid', `ERP kept reservation ${id} (${erpCode})`, { erpCode });
      }
      if (answer.status === 404) return;
      expectOk(answer, 'a release');
    },
    async redeem(request) {
      const answer = await send('POST', '/erp/v1/redemptions', request);
      const body = (answer.body ?? {}) as Problem;
      if (answer.status === 409 && body.code === 'promotion_usage_exhausted') {
        return { redeemed: false, promotionIds: body.promotionIds ?? [] };
      }
      expectOk(answer, 'a redemption');
      return { redeemed: true, promotionIds: body.promotionIds ?? [] };
    },
    async releaseRedemption(orderId) {
      const answer = await send('POST', `/erp/v1/redemptions/${encodeURIComponent(orderId)}/release`);
      // The order took no uses (no limited promotion applied, or ERP never got the redemption).
      if (answer.status === 404) return;
      expectOk(answer, 'a redemption release');
    },
    async locationExists(locationId) {
      const answer = await send('GET', `/erp/v1/locations/${encodeURIComponent(locationId)}`);
      if (answer.status === 404) return false;
      expectOk(answer, 'a location lookup');
      return true;
    },
  };
}
