import type { ErpPort, ShortLine } from '@tillstream/commerce';
import { conflict } from '@tillstream/kernel';
import { erpSender, readPricingSnapshot, redeemInErp, type ErpCall } from './erp-caller.js';

/** What ERP's problems carry that the port passes on. */
interface Problem {
  code?: string;
  lines?: ShortLine[];
  expiresAt?: string;
}

/**
 * Commerce's port onto ERP's pricing, redemption and reservation APIs. Anything but the expected answers (timeout,
 * refused connection, 5xx) becomes 503 `service_unavailable` with `Retry-After`: checkout fails closed. A request
 * ERP refuses as such (400, 404, 409, 413, 422 with a code) becomes the same 4xx problem: a retry would not help.
 */
export function createCommerceErp(call: ErpCall): ErpPort {
  const sender = erpSender(call);
  const { send, expectOk } = sender;
  return {
    pricingSnapshot: (held) => readPricingSnapshot(sender, held),
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
    redeem: (request) => redeemInErp(sender, request),
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
