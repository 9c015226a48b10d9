import { describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { pgUrl, shippingRig } from './shipping.rig.js';

describe.each(harnessDialects(pgUrl))('delivery in cancels and refunds on %s', (dialect) => {
  const { commerce, call, checkout, deliveredCart, shipAll } = shippingRig(dialect);

  it('refunds the delivery on cancel; returns refund the goods; a goodwill refund may cover the delivery', async () => {
    const cancelled = (await checkout(await deliveredCart(2))).body;
    const cancel = await call(
      'POST',
      `/commerce/v1/orders/${cancelled.id}/cancel`,
      { reason: 'customer' },
      true,
    );
    expect(cancel.body).toMatchObject({ status: 'cancelled', refunded: 2599 });
    const refunds = await call('GET', `/commerce/v1/orders/${cancelled.id}/refunds`, undefined, true);
    expect(refunds.body.refunds).toEqual([
      // The cancel names the delivery it gives back, for ERP's books.
      expect.objectContaining({ id: 'cancel', amount: 2599, shipping: 599, status: 'succeeded' }),
    ]);

    const order = (await checkout(await deliveredCart(2))).body;
    await shipAll(order);
    const returned = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/returns`,
      { id: 'all-back', lines: [{ sku: 'A', quantity: 2, disposition: 'restock' }] },
      true,
    );
    expect(returned.body).toMatchObject({ refundAmount: 2000 });
    const refund = (id: string, amount: number) =>
      call(
        'POST',
        `/commerce/v1/orders/${order.id}/refunds`,
        { id, amount, shipping: amount, reason: 'goodwill' },
        true,
      );
    const over = await refund('too-much', 600);
    expect([over.status, over.body.code, over.body.refundable]).toEqual([422, 'refund_exceeds_paid', 599]);
    expect((await refund('delivery', 599)).body).toMatchObject({ amount: 599, shipping: 599 });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: 2599 });
    const listed = await call('GET', `/commerce/v1/orders/${order.id}/refunds`, undefined, true);
    // The return's refund is goods: it names no delivery.
    expect(
      listed.body.refunds.map((each: { id: string; shipping: number }) => [each.id, each.shipping]),
    ).toEqual([
      ['delivery', 599],
      ['return-all-back', 0],
    ]);
  });

  it('lets only one of many concurrent refunds name the last of the delivery', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        call(
          'POST',
          `/commerce/v1/orders/${order.id}/refunds`,
          { id: `late-${index}`, amount: 400, shipping: 400, reason: 'late' },
          true,
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(422)]);
    for (const refused of answers.filter((answer) => answer.status === 422))
      expect(refused.body).toMatchObject({ code: 'refund_shipping_exceeds_paid', refundableShipping: 199 });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: 400 });
  });

  it('counts each refund once in the running totals its event carries, however many finish at once', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        call(
          'POST',
          `/commerce/v1/orders/${order.id}/refunds`,
          { id: `part-${index}`, amount: 100, ...(index % 2 ? { shipping: 50 } : {}), reason: 'late' },
          true,
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array<number>(8).fill(201));
    type Refunded = {
      orderId: string;
      amount: number;
      shipping?: number;
      refunded: number;
      shippingRefunded: number;
    };
    const events = (await commerce().published())
      .filter((event) => event.type === 'commerce.order.refunded')
      .map((event) => event.data as Refunded)
      .filter((data) => data.orderId === order.id)
      .sort((a, b) => a.refunded - b.refunded);
    // Each event's totals pick up exactly where the one before left off: no stretch of the order twice.
    let refunded = 0;
    let shippingRefunded = 0;
    for (const event of events) {
      expect([event.refunded - event.amount, event.shippingRefunded - (event.shipping ?? 0)]).toEqual([
        refunded,
        shippingRefunded,
      ]);
      ({ refunded, shippingRefunded } = event);
    }
    expect([refunded, shippingRefunded]).toEqual([800, 200]);
  });
});
