import { describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { pgUrl, shippingRig } from './shipping.rig.js';

/**
 * Refunds that overtake one another: a cancel, a return and a goodwill refund of one order each work out what
 * to pay back, and another may go through before they count it. What the order paid goes back exactly once,
 * the stock and the order's status agree, and no request fails for what another did meanwhile.
 */
describe.each(harnessDialects(pgUrl))('refunds of one order racing on %s', (dialect) => {
  const { erp, call, checkout, deliveredCart, shipAll } = shippingRig(dialect);
  /** Two units of A at €10.00 and the standard delivery (€5.99 with its tax): 2599 paid. */
  const PAID = 2599;
  const refund = (orderId: string, body: Record<string, unknown>) =>
    call('POST', `/commerce/v1/orders/${orderId}/refunds`, { reason: 'goodwill', ...body }, true);

  it('pays back the rest on a cancel a goodwill refund overtook, rather than leaving the order open with its stock released', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    // The cancel is held while it gives the stock back; the goodwill refund goes through meanwhile.
    const release = erp.port.release;
    let releasing!: () => void;
    let resume!: () => void;
    const inRelease = new Promise<void>((resolve) => (releasing = resolve));
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    erp.port.release = async (id) => {
      releasing();
      await resumed;
      return release(id);
    };
    try {
      const cancel = call('POST', `/commerce/v1/orders/${order.id}/cancel`, { reason: 'customer' }, true);
      await inRelease;
      expect((await refund(order.id, { id: 'goodwill', amount: 500 })).status).toBe(201);
      resume();
      const cancelled = await cancel;
      expect([cancelled.status, cancelled.body.status, cancelled.body.refunded]).toEqual([
        200,
        'cancelled',
        PAID,
      ]);
    } finally {
      erp.port.release = release;
    }
    const refunds = (await call('GET', `/commerce/v1/orders/${order.id}/refunds`, undefined, true)).body;
    expect(refunds.refunds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'goodwill', amount: 500, status: 'succeeded' }),
        // What was left, the delivery among it.
        expect.objectContaining({ id: 'cancel', amount: PAID - 500, shipping: 599, status: 'succeeded' }),
      ]),
    );
  });

  it('refunds each racing return what is left of its share, and every return is answered', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    await shipAll(order);
    const answers = await Promise.all([
      refund(order.id, { id: 'goodwill', amount: 1500 }),
      ...[1, 2].map((n) =>
        call(
          'POST',
          `/commerce/v1/orders/${order.id}/returns`,
          { id: `back-${n}`, lines: [{ sku: 'A', quantity: 1, disposition: 'restock' }] },
          true,
        ),
      ),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const [goodwill, ...returns] = answers.map((answer) => answer.body);
    const refundedByReturns = returns.reduce((sum, body) => sum + body.refundAmount, 0);
    // The units' shares (1000 each) come to 2000; with the goodwill's 1500 that is more than was paid, so
    // the returns together get the 1099 left, whichever counted first.
    expect(goodwill.amount + refundedByReturns).toBe(PAID);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: PAID });
  });

  it('answers one refund sent many times at once as one refund, never as a 500', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => refund(order.id, { id: 'retry-me', amount: 700 })),
    );
    // The first answer of an id is its 201, every repeat's is 200 (README, Idempotency), however they race.
    const statuses = answers.map((answer) => answer.status);
    expect([
      statuses.filter((status) => status === 201).length,
      statuses.filter((s) => s === 200).length,
    ]).toEqual([1, 11]);
    expect(new Set(answers.map((answer) => answer.body.id))).toEqual(new Set(['retry-me']));
    const refunds = (await call('GET', `/commerce/v1/orders/${order.id}/refunds`, undefined, true)).body;
    expect(refunds.refunds).toEqual([expect.objectContaining({ id: 'retry-me', amount: 700 })]);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: 700 });
  });
});
