import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createCommerce, type PaymentProvider, type PaymentResult } from '../src/index.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
/** With these, a checkout's claim lasts 90 s + 3 × 2 s + a 30 s margin = 126 s of clock time. */
const PAYMENT_TIMEOUT_MS = 90_000;
const ERP_TIMEOUT_MS = 2_000;

describe.each(harnessDialects(pgUrl))(
  'checkout against a slow or silent payment provider on %s',
  (dialect) => {
    let commerce: ContextHarness;
    const erp = fakeErp({ A: 5, B: 5, C: 5 });
    /** Every authorisation asked of the provider, and the answer it gives: now, or when the test says. */
    const attempts: Array<{ attemptId: string; amount: number; answer(result: PaymentResult): void }> = [];
    const refunds: Array<{ refundId: string; amount: number }> = [];
    const gated: PaymentProvider = {
      authorize: (request) =>
        new Promise((resolve) =>
          attempts.push({ attemptId: request.attemptId, amount: request.amount, answer: resolve }),
        ),
      async refund(request) {
        refunds.push({ refundId: request.refundId, amount: request.amount });
        return { status: 'refunded', reference: `refund-${request.refundId}` };
      },
    };
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
      const response = await commerce.app.inject({ method, url, ...(payload ? { payload } : {}) });
      return { status: response.statusCode, body: response.json() };
    };
    const cartWith = async (sku: string, quantity: number) => {
      const cart = await call('POST', '/commerce/v1/carts', {});
      await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku, quantity });
      return cart.body.id as string;
    };
    const checkout = (cartId: string, method: string, extra: object = {}) =>
      call('POST', `/commerce/v1/carts/${cartId}/checkout`, {
        email: 'a@example.com',
        payment: { method },
        ...extra,
      });
    /** A checkout through the gated provider that it answers `timeout`: 503, the attempt left unknown. */
    const timedOut = async (cartId: string) => {
      const answer = checkout(cartId, 'gated');
      (await asked(attempts.length + 1)).answer({ status: 'timeout' });
      expect((await answer).body.code).toBe('payment_timeout');
      return attempts.at(-1)!;
    };
    /** A checkout through the gated provider that it approves; what it was asked. */
    const approved = async (cartId: string) => {
      const answer = checkout(cartId, 'gated');
      const asking = await asked(attempts.length + 1);
      asking.answer({ status: 'approved', reference: `ref-${asking.attemptId}` });
      expect((await answer).status).toBe(201);
      return asking;
    };
    /** Waits until the provider has been asked `count` times in all. */
    const asked = async (count: number) => {
      for (let spin = 0; attempts.length < count; spin += 1) {
        if (spin > 500) throw new Error(`the provider was asked ${attempts.length} times, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return attempts[count - 1]!;
    };
    const placedEvents = async (cartId: string) =>
      (await commerce.published()).filter(
        (event) =>
          event.type === 'commerce.order.placed' && (event.data as { cartId: string }).cartId === cartId,
      );

    beforeAll(async () => {
      commerce = await createContextHarness(
        (deps) =>
          createCommerce({
            ...deps,
            cacheMaxAgeSeconds: 5,
            erp: erp.port,
            payments: { gated },
            paymentTimeoutMs: PAYMENT_TIMEOUT_MS,
            erpTimeoutMs: ERP_TIMEOUT_MS,
          }),
        { dialect, pgUrl, name: 'commerce' },
      );
      erp.state.now = () => commerce.clock.now();
    });
    afterAll(async () => commerce?.close());

    it('never lets a checkout waiting on its provider be taken over, and pays back the one that lost its cart', async () => {
      const cartId = await cartWith('A', 2);
      const first = checkout(cartId, 'gated');
      const firstAttempt = await asked(1);

      // Past the provider's timeout but within the lease: the first checkout may still be paid, so it keeps the cart.
      commerce.clock.advance(100_000);
      const early = await checkout(cartId, 'test');
      expect([early.status, early.body.code]).toEqual([409, 'checkout_in_progress']);

      // Past the lease (as if the first process had died): another checkout takes the cart over and is paid.
      commerce.clock.advance(30_000);
      const second = await checkout(cartId, 'test');
      expect([second.status, second.body.status]).toEqual([201, 'placed']);
      expect(erp.stock.A).toBe(1);

      // The first provider approves at last: its checkout must not place a second order nor keep the money.
      firstAttempt.answer({ status: 'approved', reference: 'late-approval' });
      const late = await first;
      expect([late.status, late.body.code, late.body.paymentRefunded]).toEqual([
        409,
        'checkout_in_progress',
        true,
      ]);
      expect(refunds).toEqual([{ refundId: `${firstAttempt.attemptId}/unplaced`, amount: 1000 }]);
      expect(erp.stock.A).toBe(3);
      expect(
        (await placedEvents(cartId)).map((event) => (event.data as { orderId: string }).orderId),
      ).toEqual([second.body.id]);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('ordered');
    });

    it('repeats a timed-out payment attempt on retry, and starts a new one after a decline', async () => {
      const cartId = await cartWith('B', 1);
      const before = attempts.length;

      const timedOut = checkout(cartId, 'gated');
      (await asked(before + 1)).answer({ status: 'timeout' });
      expect([(await timedOut).status, (await timedOut).body.code]).toEqual([503, 'payment_timeout']);
      expect(erp.stock.B).toBe(5);

      const declined = checkout(cartId, 'gated');
      (await asked(before + 2)).answer({ status: 'declined', reason: 'card' });
      expect((await declined).body.code).toBe('payment_declined');

      const paid = checkout(cartId, 'gated');
      (await asked(before + 3)).answer({ status: 'approved', reference: 'ok' });
      expect((await paid).status).toBe(201);

      const [timeoutId, retryId, afterDeclineId] = attempts.slice(before).map((attempt) => attempt.attemptId);
      // The provider may have taken the timed-out payment: the retry is the same attempt, so it cannot charge twice.
      expect(retryId).toBe(timeoutId);
      // A decline is a known outcome: the next checkout is a new attempt.
      expect(afterDeclineId).not.toBe(timeoutId);
    });

    it('asks a new attempt for a cart changed after a timeout: the old one would answer the old amount', async () => {
      const cartId = await cartWith('C', 1);
      const first = await timedOut(cartId);
      expect(first.amount).toBe(500);
      // Repeated, a provider idempotent by attempt would answer its payment of 5.00 for an order of 10.00.
      await call('PUT', `/commerce/v1/carts/${cartId}/lines/C`, { quantity: 2 });
      const second = await approved(cartId);
      expect([second.attemptId === first.attemptId, second.amount]).toEqual([false, 1000]);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('ordered');
      erp.stock.C = 5;
    });

    it('asks a new attempt when a timed-out cart is paid another way', async () => {
      const cartId = await cartWith('C', 1);
      const first = await timedOut(cartId);
      const other = await checkout(cartId, 'test');
      expect([other.status, other.body.payment.reference === `test-${first.attemptId}`]).toEqual([
        201,
        false,
      ]);
      erp.stock.C = 5;
    });

    it('keeps a timed-out attempt through a checkout that failed before the provider was asked', async () => {
      const cartId = await cartWith('C', 1);
      const first = await timedOut(cartId);
      erp.stock.C = 0;
      const short = await checkout(cartId, 'gated');
      expect(short.body.code).toBe('insufficient_stock');
      erp.state.down = true;
      expect((await checkout(cartId, 'gated')).body.code).toBe('service_unavailable');
      erp.state.down = false;
      erp.stock.C = 5;
      // The provider may have taken the first attempt: the retry repeats it, whatever failed in between.
      const retry = await approved(cartId);
      expect([retry.attemptId, retry.amount]).toEqual([first.attemptId, 500]);
    });

    it('charges nothing when the total is no longer the one the shopper agreed to', async () => {
      const cartId = await cartWith('C', 2);
      const [before, stock] = [attempts.length, erp.stock.C];
      const changed = await checkout(cartId, 'gated', { expectedTotal: 900 });
      expect(changed).toMatchObject({
        status: 409,
        body: { code: 'cart_total_changed', total: 1000, expectedTotal: 900 },
      });
      expect([attempts.length, erp.stock.C]).toEqual([before, stock]);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
      const agreed = checkout(cartId, 'gated', { expectedTotal: 1000 });
      (await asked(before + 1)).answer({ status: 'approved', reference: 'agreed' });
      expect((await agreed).status).toBe(201);
      erp.stock.C = 5;
    });

    it('repeats the attempt of a checkout that died waiting on its provider, once its claim lapsed', async () => {
      const cartId = await cartWith('C', 1);
      // The first checkout asks the provider and never hears back: its process died, as far as anyone knows.
      const dead = checkout(cartId, 'gated');
      const first = await asked(attempts.length + 1);
      commerce.clock.advance(130_000);
      // The provider may have taken that payment: the checkout taking the cart over asks for the same attempt.
      const takeover = await approved(cartId);
      expect([takeover.attemptId, takeover.amount]).toEqual([first.attemptId, 500]);
      first.answer({ status: 'timeout' });
      expect((await dead).status).toBe(503);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('ordered');
      erp.stock.C = 5;
    });
  },
);
