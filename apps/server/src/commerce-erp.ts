import type { ErpPort, ShortLine } from '@tillstream/commerce';
import type { PricingSnapshot } from '@tillstream/contracts';
import { conflict, unavailable } from '@tillstream/kernel';

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

/**
 * Commerce's port onto ERP's pricing, redemption and reservation APIs. Anything but the expected answers (timeout,
 * refused connection, 5xx) becomes 503 `service_unavailable` with `Retry-After`: checkout fails closed.
 */
export function createCommerceErp(call: ErpCall): ErpPort {
  const send = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    try {
      return await call(method, path, body);
    } catch {
      throw down('ERP did not answer in time');
    }
  };
  const expectOk = (answer: ErpAnswer, what: string) => {
    if (answer.status !== 200 && answer.status !== 201)
      throw down(`ERP answered ${answer.status} to ${what}`);
  };
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
  };
}
