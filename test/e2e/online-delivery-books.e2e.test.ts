/**
 * A delivery charge through the books on the whole platform: the storefront charges it, ERP's finance owes
 * its tax at payment and deposits its net, earns it as shipping income (4070) with the first parcel, and a
 * cancelled order gives it back from the deposit, a refund naming it after shipping out of 4070. Analytics' tax
 * per rate, delivery included, is ERP's tax summary; its sales stay the goods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { journalEntryOf, signed } from '../support/journal.js';
import { cartWithDelivery, checkOut, DUTCH_ADDRESS, seedWebShop, type WebShop } from '../support/delivery.js';
import { ok, startPricingPlatform } from '../support/pricing.js';
import { shipOnlyFulfilment } from '../support/fulfilments.js';

type Row = Record<string, any>;

describe.each(ENGINES)('a delivery charge in the books (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: WebShop;
  const startedAt = new Date(Date.now() - 1_000).toISOString();
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  /** A checked-out order of one 12.10 tee (2.10 VAT inside) delivered for 4.95 (0.86 VAT inside). */
  const orderOne = async () => {
    const order = await checkOut(platform, await cartWithDelivery(platform, shop), 'joost@example.com');
    expect(order).toMatchObject({ total: 1705, shipping: { methodId: shop.methodId, amount: 495 } });
    return order.id as string;
  };

  const webBalances = async () => {
    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?channel=web&from=${encodeURIComponent(startedAt)}`,
    );
    expect(status).toBe(200);
    const [eur] = body.currencies;
    expect(eur.balanced).toBe(true);
    return Object.fromEntries(
      (eur.accounts as Array<{ code: string; balance: number }>).map((account) => [
        account.code,
        account.balance,
      ]),
    );
  };

  /**
   * Waits until ERP's tax summary and analytics' web rows both show `expected` at one rate (its sales and
   * returns, each `{net, tax}`); answers the web rows, for what else a test reads of them.
   */
  const taxAtRateInBoth = async (ratePpm: number, expected: object): Promise<Row[]> => {
    let fromErp: unknown;
    let fromAnalytics: unknown;
    let rows: Row[] = [];
    await eventually(
      async () => {
        const summary = await platform.request('GET', '/erp/v1/finance/tax-summary');
        const rate = (summary.body.currencies?.[0]?.rates ?? []).find(
          (each: Row) => each.ratePpm === ratePpm,
        );
        fromErp = rate && { sales: rate.sales, returns: rate.returns };
        const report = await platform.request(
          'GET',
          `/analytics/v1/sales?from=${day(-1)}&to=${day(1)}&channel=web`,
        );
        rows = report.status === 200 ? report.body.rows : [];
        const rates = rows
          .flatMap((row) => row.taxByRate as Row[])
          .filter((each) => each.ratePpm === ratePpm);
        fromAnalytics = {
          sales: { net: sumOf(rates, 'net'), tax: sumOf(rates, 'tax') },
          returns: { net: sumOf(rates, 'returnsNet'), tax: sumOf(rates, 'returnsTax') },
        };
        return JSON.stringify(fromErp) === JSON.stringify(expected) &&
          JSON.stringify(fromAnalytics) === JSON.stringify(expected)
          ? true
          : null;
      },
      60_000,
      () => `ERP's summary ${JSON.stringify(fromErp)}, analytics' ${JSON.stringify(fromAnalytics)}`,
    );
    return rows;
  };

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    shop = await seedWebShop(platform);
  }, 120_000);
  afterAll(async () => platform?.stop());

  it(
    'owes its tax at payment, earns it with the parcel, gives it back on a cancel',
    { timeout: 120_000 },
    async () => {
      const shippedId = await orderOne();
      // Paid: 2.10 + 0.86 VAT owed; the tee's 10.00 and the delivery's 4.09 wait in deposits.
      expect(signed(await journalEntryOf(platform, shippedId))).toEqual({
        '1150': 1705,
        '2100': -296,
        '2400': -1409,
      });

      const fulfilment = await shipOnlyFulfilment(platform, shippedId);
      expect(fulfilment.shipTo).toEqual(DUTCH_ADDRESS);
      // The parcel earns the tee and, being the first, the delivery.
      expect(signed(await journalEntryOf(platform, `${shippedId}/${fulfilment.id}`))).toEqual({
        '2400': 1409,
        '4000': -1000,
        '4070': -409,
      });

      const cancelledId = await orderOne();
      ok(
        await platform.request('POST', `/commerce/v1/orders/${cancelledId}/cancel`, {
          reason: 'changed my mind',
        }),
        'cancel',
      );
      await eventually(
        async () => ((await webBalances())['2400'] === 0 ? true : null),
        30_000,
        'the cancel takes the whole deposit back',
      );
      // One order paid and earned; the other paid and given back from its deposit, its delivery never earned.
      expect(await webBalances()).toEqual({
        '1150': 1705,
        '2100': 296,
        '2400': 0,
        '4000': 1000,
        '4070': 409,
      });
    },
  );

  it(
    'reports the delivery’s tax per rate as ERP’s tax summary does, and not as sales',
    { timeout: 90_000 },
    async () => {
      // Both orders at 21 %: the tee and the delivery each time, one order refunded whole.
      const [web] = await taxAtRateInBoth(210_000, {
        sales: { net: 2818, tax: 592 },
        returns: { net: 1409, tax: 296 },
      });
      // Sales are the goods as analytics counts them (VAT inside the price is in `net`): two tees, one refunded,
      // and none of the delivery; its tax is in the tax.
      expect(web).toMatchObject({ channel: 'web', net: 2420, tax: 592, returns: 1210, returnsTax: 296 });
    },
  );

  it(
    'gives a shipped order’s delivery back out of shipping income when the refund names it',
    { timeout: 120_000 },
    async () => {
      const orderId = await orderOne();
      const fulfilment = await shipOnlyFulfilment(platform, orderId);
      await journalEntryOf(platform, `${orderId}/${fulfilment.id}`);
      const refunds = `/commerce/v1/orders/${orderId}/refunds`;
      const late = { id: 'late-parcel', amount: 495, shipping: 495, reason: 'parcel two days late' };

      // More delivery than the refund, or than the order paid for it: refused, nothing refunded.
      for (const [body, refundableShipping] of [
        [{ ...late, id: 'too-much', amount: 300 }, 300],
        [{ ...late, id: 'too-much', amount: 600, shipping: 496 }, 495],
      ] as const) {
        const refused = await platform.request('POST', refunds, body);
        expect(refused.status).toBe(422);
        expect(refused.body).toMatchObject({ code: 'refund_shipping_exceeds_paid', refundableShipping });
      }
      for (const shipping of ['495', -1, 4.5]) {
        const typed = await platform.request('POST', refunds, { ...late, id: 'typed', shipping });
        expect([typed.status, typed.body.code]).toEqual([400, 'validation_failed']);
      }
      const given = await platform.request('POST', refunds, late);
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({ amount: 495, shipping: 495, status: 'succeeded' });
      // The same refund again is the same refund; the delivery cannot be named twice.
      expect((await platform.request('POST', refunds, late)).status).toBe(200);
      const again = await platform.request('POST', refunds, { ...late, id: 'late-again' });
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ code: 'refund_shipping_exceeds_paid', refundableShipping: 0 });
      expect((await platform.request('GET', refunds)).body.refunds).toHaveLength(1);

      // Its tax back, and the delivery's 4.09 out of 4070: the goods' revenue is untouched.
      expect(signed(await journalEntryOf(platform, `${orderId}/late-parcel`))).toEqual({
        '1150': -495,
        '2100': 86,
        '4070': 409,
      });
      const standing = await platform.request('GET', `/erp/v1/finance/online-orders/${orderId}`);
      expect(standing.body.delivery).toMatchObject({ earned: 409, returned: 409, left: 0 });
    },
  );

  it(
    'gives a delivery taxed at another rate than the goods back at its own rate, in the books and in analytics',
    { timeout: 120_000 },
    async () => {
      // A delivery taxed at 9 % (its own category) with a tee at 21 %: 4.95 holds 0.41 of VAT, 4.54 net.
      const category = uniqueName('delivery');
      ok(
        await platform.request('PUT', `/erp/v1/tax-rates/${category}`, {
          name: 'VAT 9 % on delivery',
          taxCategory: category,
          ratePpm: 90_000,
          inclusive: true,
        }),
        'delivery tax rate',
      );
      const reduced = await seedWebShop(platform, { method: { taxCategory: category } });
      const order = await checkOut(platform, await cartWithDelivery(platform, reduced));
      expect(order.shipping).toMatchObject({ amount: 495, tax: { ratePpm: 90_000, amount: 41 } });
      const fulfilment = await shipOnlyFulfilment(platform, order.id);
      await journalEntryOf(platform, `${order.id}/${fulfilment.id}`);
      const refunds = `/commerce/v1/orders/${order.id}/refunds`;
      ok(
        await platform.request('POST', refunds, { id: 'late', amount: 495, shipping: 495, reason: 'late' }),
        'delivery refund',
      );
      ok(
        await platform.request('POST', refunds, {
          id: 'goods',
          amount: 1210,
          shipping: 0,
          reason: 'goodwill',
        }),
        'goods refund',
      );
      // Each part's own tax back: nothing of the delivery at 21 %, nothing of the tee at 9 %, nothing to 4100
      // from the rates differing.
      expect(signed(await journalEntryOf(platform, `${order.id}/late`))).toEqual({
        '1150': -495,
        '2100': 41,
        '4070': 454,
      });
      expect(signed(await journalEntryOf(platform, `${order.id}/goods`))).toEqual({
        '1150': -1210,
        '2100': 210,
        '4100': 1000,
      });
      // The 9 % is this order's delivery alone: ERP's summary and analytics both give it back whole.
      await taxAtRateInBoth(90_000, { sales: { net: 454, tax: 41 }, returns: { net: 454, tax: 41 } });
    },
  );
});

const sumOf = (rows: Row[], field: string) => rows.reduce((sum, row) => sum + (row[field] as number), 0);
